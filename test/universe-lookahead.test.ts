/**
 * No look-ahead over a universe (`--universe a,b,c`), as a property: for random moving prices of
 * 2 or 3 assets, changing the rows after month t of one asset (or of every asset) never changes
 * any asset's weight, nor any asset's forecast, decided at or before t (the property itself:
 * assertNoLookAheadUniverse of look-ahead-property.ts). The strategies are created as the product
 * creates them over a universe: `createUniverse` when the plugin has one (forecast's rotation),
 * else one instance per asset at 1/N (Faber's allocation for sma).
 */
import { type MarketView, type StrategyContext, type StrategyPlugin, silentProgress } from '@backtest/core';
import { strategyParams } from '@backtest/core/internal';
import { walkForward } from '@backtest/engine';
import { loadStrategyRegistry } from '@backtest/api';
import { createStrategy } from '../packages/api/src/run-job';
import { assertNoLookAheadUniverse, generatedUniverse, universeStrategy } from './look-ahead-property';

const registry = loadStrategyRegistry();

/** Small, fast settings for the expensive strategies (as look-ahead.test.ts): the property does not depend on size. */
const CASES: [string, Record<string, string>, number, (readonly [number, number])?][] = [
  ['sma', {}, 40],
  ['sma', { window: '3', short: 'true' }, 20],
  ['nn-sma', { hidden: '4', epochs: '2', refit: '5', minTrain: '8', window: '3' }, 10],
  ['forecast', { model: 'ols', allocation: 'rotation', top: '1', refit: '3', minTrain: '8', window: '3' }, 25],
  ['forecast', { model: 'ols', allocation: 'rotation', top: '2', refit: '3', minTrain: '8', window: '3', features: 'sma,momentum' }, 15, [3, 3]],
  ['forecast', { model: 'ols', refit: '3', minTrain: '8', window: '3' }, 15],
];

describe.each(CASES)('%s %j over a universe never looks ahead', (id, params, numRuns, assets) => {
  const plugin = registry.get(id);
  it("keeps every asset's decisions and forecasts up to t when one asset's rows after t change", async () => {
    await assertNoLookAheadUniverse(plugin, params, numRuns, { changed: 'one', ...(assets ? { assets } : {}) });
  });
  it("keeps every asset's decisions and forecasts up to t when every asset's rows after t change", async () => {
    await assertNoLookAheadUniverse(plugin, params, numRuns, { changed: 'all', seed: 20261128, ...(assets ? { assets } : {}) });
  });
});

it("creates each strategy as the product's createStrategy does (the same walk, weight for weight)", async () => {
  // The property builds strategies with its own copy of packages/api's createStrategy (not
  // exported by @backtest/api): the two must agree, or the property checks another strategy.
  const closes = [0, 1, 2].map((a) => Array.from({ length: 60 }, (_, i) => 100 * (1 + 0.1 * Math.sin(i / (2 + a)) + 0.004 * i * (a + 1))));
  const universe = generatedUniverse(closes);
  const assets = universe.assets.map((a) => a.name);
  const context: StrategyContext = { frequency: 'monthly', seed: 7, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };
  for (const [id, raw] of CASES) {
    const plugin = registry.get(id);
    const params = strategyParams(plugin, raw);
    const ours = await walkForward(universe, universeStrategy(plugin, params, assets, 7), { testStart: '2000-01' });
    const product = await walkForward(universe, createStrategy(plugin, params, universe, context), { testStart: '2000-01' });
    expect({ id, raw, weights: ours.universe!.weights.map((w) => Array.from(w)) }).toEqual({ id, raw, weights: product.universe!.weights.map((w) => Array.from(w)) });
    expect(ours.output.forecasts ?? []).toEqual(product.output.forecasts ?? []);
  }
});

/** A plugin whose universe strategy reads the last close of the whole walk (a later row) through prepare(). */
function leaky(cross: boolean): StrategyPlugin {
  return {
    id: cross ? 'cheat-cross' : 'cheat-universe',
    description: 'leaks',
    kind: 'rule',
    params: {},
    create: () => ({ minHistory: 1, decide: () => 1 }),
    createUniverse: (_params, { assets }) => {
      let future: number[] = [];
      return {
        minHistory: 1,
        async prepare(views: readonly MarketView[]) {
          // The last decision's view, captured: each asset's close at the walk's last decision row.
          const last = views[views.length - 1]!;
          future = assets.map((_, i) => last.asset(i).close());
        },
        decide: (view: MarketView) =>
          // cross: asset i is timed by the future of asset i+1, so changing that asset alone shows it.
          assets.map((_, i) => {
            const peek = cross ? (i + 1) % assets.length : i;
            return future[peek]! > view.asset(peek).close() ? 1 / assets.length : 0;
          }),
      };
    },
  };
}

it('catches a universe strategy that reads a later row of its assets through prepare()', async () => {
  await expect(assertNoLookAheadUniverse(leaky(false), {}, 30, { changed: 'one', endOnFailure: true })).rejects.toThrow('Property failed');
  await expect(assertNoLookAheadUniverse(leaky(false), {}, 30, { changed: 'all', endOnFailure: true })).rejects.toThrow('Property failed');
});

it("catches a universe strategy that times one asset by another asset's later rows", async () => {
  await expect(assertNoLookAheadUniverse(leaky(true), {}, 30, { changed: 'one', endOnFailure: true })).rejects.toThrow('Property failed');
});

it('catches a rotation that ranks the assets by their next return, read through a captured universe', async () => {
  // A cheat that keeps the universe itself (a closure over the data, as a plugin could), and at
  // each decision holds the asset whose next close rises most: exactly the leak rotation must not have.
  let rows: number[][] = [];
  const cheat: StrategyPlugin = {
    id: 'cheat-rotation',
    description: 'leaks',
    kind: 'rule',
    params: {},
    create: () => ({ minHistory: 1, decide: () => 1 }),
    createUniverse: (_p, { assets }) => ({
      minHistory: 1,
      async prepare(views: readonly MarketView[]) {
        // Every asset's closes up to the last decision row: rows the early decisions must not see.
        const last = views[views.length - 1]!;
        rows = assets.map((_, i) => Array.from(last.asset(i).closes()));
      },
      decide: (view: MarketView) => {
        const t = view.index;
        const next = rows.map((c) => (c[t + 1] ?? c[t]!) / c[t]!);
        const best = next.indexOf(Math.max(...next));
        return assets.map((_, i) => (i === best ? 1 : 0));
      },
    }),
  };
  await expect(assertNoLookAheadUniverse(cheat, {}, 30, { changed: 'one', endOnFailure: true })).rejects.toThrow('Property failed');
});
