/**
 * No look-ahead, as a property: for every registered strategy, changing any rows after month t
 * never changes a decision made at or before t.
 */
import fc from 'fast-check';
import { type PriceSeries, resolveParams, silentProgress, type StrategyPlugin } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { loadStrategyRegistry } from '@backtest/cli';

/** Small, fast settings for the expensive strategies; the property does not depend on size. */
const FAST: Record<string, Record<string, string>> = {
  'nn-sma': { hidden: '4', epochs: '2', refit: '5', minTrain: '8', window: '3' },
  'ols-sma': { refit: '3', minTrain: '8', window: '3' },
  forecast: { refit: '3', minTrain: '8', window: '3' },
};

function monthly(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

async function decisions(plugin: StrategyPlugin, closes: number[]): Promise<{ labels: readonly string[]; weights: Float64Array }> {
  const params = resolveParams(plugin.id, plugin.params, FAST[plugin.id] ?? {});
  const strategy = plugin.create(params, { frequency: 'monthly', seed: 7, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} });
  const r = await walkForward(monthly(closes), strategy, { testStart: '2000-01' });
  return { labels: r.decisionLabels, weights: r.weights };
}

// Monthly moves of 0.2% to 15% either way: a market that never moves for months on end has no
// defined z-scores, which the forecast strategies refuse with a message (tested elsewhere).
const move = fc.tuple(fc.boolean(), fc.double({ min: 0.002, max: 0.15, noNaN: true })).map(([up, size]) => (up ? size : -size));
const prices = fc.array(move, { minLength: 40, maxLength: 60 }).map((rets) => {
  const out = [100];
  for (const r of rets) out.push(out[out.length - 1]! * (1 + r));
  return out;
});

const plugins = loadStrategyRegistry().all;

describe.each(plugins.map((p) => [p.id, p] as const))('%s never looks ahead', (id, plugin) => {
  it('keeps every decision up to t when rows after t change', async () => {
    await fc.assert(
      fc.asyncProperty(prices, fc.nat(), fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 60, maxLength: 60 }), async (closes, cut, shocks) => {
        const base = await decisions(plugin, closes);
        if (base.labels.length < 2) return;
        // t: a decision row inside the walk; every row after it gets a random new price.
        const k = cut % (base.labels.length - 1);
        const t = closes.length - 1 - (base.labels.length - k);
        const changed = closes.map((c, i) => (i > t ? c * shocks[i]! : c));
        const other = await decisions(plugin, changed);
        for (let j = 0; j <= k; j++) {
          expect(other.labels[j]).toBe(base.labels[j]);
          expect(other.weights[j]).toBe(base.weights[j]);
        }
      }),
      { numRuns: id === 'nn-sma' ? 8 : 40, seed: 20261126 },
    );
  });
});

it('covers the built-in strategies', () => {
  expect(plugins.map((p) => p.id)).toEqual(expect.arrayContaining(['buy-and-hold', 'sma']));
});

it('catches a strategy that leaks the future through prepare()', async () => {
  // A cheat: prepare() sees every view, remembers the last close of the whole walk, and every
  // decision compares with it. The property must fail for it, or the test above proves nothing.
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
  const result = await fc.check(
    fc.asyncProperty(prices, fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 60, maxLength: 60 }), async (closes, shocks) => {
      const base = await decisions(cheat, closes);
      const changed = closes.map((c, i) => (i > 0 ? c * shocks[i]! : c));
      const other = await decisions(cheat, changed);
      expect(other.weights[0]).toBe(base.weights[0]);
    }),
    { numRuns: 50, seed: 1 },
  );
  expect(result.failed).toBe(true);
});
