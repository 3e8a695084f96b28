/**
 * The no-look-ahead property (see look-ahead.test.ts) for the parts a plugin author composes:
 * the `forecast` strategy with each registered feature alone, and a scaffolded plugin loaded
 * from outside the repository.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { StrategyPlugin } from '@backtest/core';
import { builtInFeatures } from '@backtest/forecast';
import { loadStrategyRegistry } from '@backtest/api';
import { builtInModels, composedForecastStrategy } from '@backtest/strategy-forecast';
import { backtest, root } from './helpers';
import { assertNoLookAhead } from './look-ahead-property';
import { outsideDir } from './plugins-scaffold';

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

it('forecast never looks ahead with nested walk-forward selection (--select)', async () => {
  await assertNoLookAhead(forecast, { ...FAST, refit: '8', minTrain: '8', model: 'nn', epochs: '1', select: 'hidden=2|3;learningRate=0.01|0.05' }, 5);
}, 120_000);

// Every built-in model, on both targets it learns (a sequence model over a short lookback, so
// the property also covers the samples that reach back several rows).
const MODELS: [string, Record<string, string>][] = [
  ['ols', {}],
  ['ridge', { alpha: '0.5' }],
  ['nn', { hidden: '3', epochs: '2' }],
  ['lstm', { units: '2', epochs: '1', lookback: '3' }],
  ['gru', { units: '2', epochs: '1', lookback: '3' }],
  ['conv1d', { units: '2', epochs: '1', lookback: '4', kernelSize: '2' }],
];
describe.each(MODELS)('forecast with model %s', (model, params) => {
  it('never looks ahead (target price)', async () => {
    await assertNoLookAhead(forecast, { ...FAST, refit: '8', model, ...params }, 6);
  }, 120_000);
  if (model !== 'ridge') {
    it('never looks ahead (target direction)', async () => {
      // Logistic regression refuses perfectly separated samples (a user error, not a leak): more
      // training rows and more paths keep most of them checkable.
      await assertNoLookAhead(forecast, { ...FAST, refit: '8', minTrain: '16', model, target: 'direction', ...params }, model === 'ols' ? 20 : 6);
    }, 120_000);
  }
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
  await assertNoLookAhead(composedForecastStrategy([...builtInFeatures, peek], builtInModels), { ...FAST, features: 'peek' }, 30);
});
