/**
 * The no-look-ahead property (see look-ahead.test.ts) for the parts a plugin author composes:
 * the `forecast` strategy with each registered feature alone, and a scaffolded plugin loaded
 * from outside the repository.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { type PriceSeries, resolveParams, type StrategyPlugin, silentProgress } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { builtInFeatures } from '@backtest/forecast';
import { loadStrategyRegistry } from '@backtest/cli';
import { composedForecastStrategy } from '@backtest/strategy-forecast';
import { backtest, root } from './helpers';
import { outsideDir } from './plugins-scaffold';

function monthly(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

async function decisions(plugin: StrategyPlugin, params: Record<string, string>, closes: number[]) {
  const resolved = resolveParams(plugin.id, plugin.params, params);
  const strategy = plugin.create(resolved, { frequency: 'monthly', seed: 7, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} });
  const r = await walkForward(monthly(closes), strategy, { testStart: '2000-01' });
  return { labels: r.decisionLabels, weights: r.weights };
}

// Prices that move every month: on a flat stretch a feature's trailing deviation is zero, so
// the feature is undefined and a forecast strategy rightly refuses to train.
const move = fc.double({ min: -0.15, max: 0.15, noNaN: true }).filter((r) => Math.abs(r) > 1e-3);
const prices = fc.array(move, { minLength: 50, maxLength: 70 }).map((rets) => {
  const out = [100];
  for (const r of rets) out.push(out[out.length - 1]! * (1 + r));
  return out;
});

/** Every decision up to a random t survives any change to the rows after t. */
async function assertNoLookAhead(plugin: StrategyPlugin, params: Record<string, string>, numRuns: number): Promise<void> {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(prices, fc.nat(), fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 71, maxLength: 71 }), async (closes, cut, shocks) => {
      let base: Awaited<ReturnType<typeof decisions>>;
      try {
        base = await decisions(plugin, params, closes);
      } catch (e) {
        // Too few usable training rows (a user error, exit code 2) is a refusal, not a leak.
        if ((e as { exitCode?: number }).exitCode === 2) return;
        throw e;
      }
      if (base.labels.length < 2) return;
      checked++;
      const k = cut % (base.labels.length - 1);
      const t = closes.length - 1 - (base.labels.length - k);
      const changed = closes.map((c, i) => (i > t ? c * shocks[i]! : c));
      const other = await decisions(plugin, params, changed);
      for (let j = 0; j <= k; j++) {
        expect(other.labels[j]).toBe(base.labels[j]);
        expect(other.weights[j]).toBe(base.weights[j]);
      }
    }),
    { numRuns, seed: 20261126 },
  );
  // The property must have been checked on most paths, or it proves nothing.
  expect(checked).toBeGreaterThan(numRuns / 2);
}

const forecast = loadStrategyRegistry().get('forecast');
const FAST = { refit: '3', minTrain: '8', window: '3' };

describe.each(builtInFeatures.map((f) => [f.id] as const))('forecast with the %s feature alone', (feature) => {
  it('never looks ahead (ols)', async () => {
    await assertNoLookAhead(forecast, { ...FAST, features: feature }, 30);
  });
});

it('forecast never looks ahead with a network on every feature', async () => {
  const features = builtInFeatures.map((f) => f.id).join(',');
  await assertNoLookAhead(forecast, { ...FAST, features, model: 'nn', hidden: '4', epochs: '2', refit: '6' }, 5);
});

describe('a scaffolded plugin loaded from outside the repository', () => {
  let plugins: StrategyPlugin[];
  beforeAll(() => {
    const dir = path.join(outsideDir('lookahead'), 'ahead-check');
    expect(backtest(['new', 'ahead-check', '--kind', 'forecast', '--dir', dir]).code).toBe(0);
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const registry = loadStrategyRegistry({ plugins: [dir] });
    plugins = [registry.get('ahead-check'), forecast];
    // The registry rebuilt the forecast strategy with the plugin's feature in it.
    plugins[1] = registry.get('forecast');
  }, 120_000);

  it('its strategy never looks ahead', async () => {
    await assertNoLookAhead(plugins[0]!, FAST, 30);
  });

  it('its feature, composed by name, never looks ahead', async () => {
    await assertNoLookAhead(plugins[1]!, { ...FAST, features: 'ahead-check-range' }, 30);
  });
});

it('gives a feature no way to read the next row: it is built from rows <= t only', async () => {
  // A feature that tries to cheat, holding close[t+1] / close[t] at row t. The strategy builds
  // features from the decision's view, which ends at t, so the last row never has a next one.
  const peek = {
    id: 'peek',
    description: 'next close, if it could see it',
    warmup: () => 0,
    build: (closes: Float64Array) => Float64Array.from(closes, (_, t) => (t + 1 < closes.length ? closes[t + 1]! / closes[t]! : 1)),
  };
  await assertNoLookAhead(composedForecastStrategy([...builtInFeatures, peek]), { ...FAST, features: 'peek' }, 30);
});

it('catches a strategy that leaks the future through prepare()', async () => {
  // The property's power: a strategy that remembers the last close of the whole walk in
  // prepare() and compares every decision with it must fail it.
  const cheat: StrategyPlugin = {
    id: 'cheat',
    description: 'leaks',
    kind: 'rule',
    params: {},
    create: () => {
      let future = 0;
      return {
        minHistory: 1,
        async prepare(views) {
          future = views[views.length - 1]!.close();
        },
        decide: (view) => (future > view.close() ? 1 : 0),
      };
    },
  };
  await expect(assertNoLookAhead(cheat, {}, 30)).rejects.toThrow('Property failed');
});
