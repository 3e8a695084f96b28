/**
 * The no-look-ahead property, shared by the tests of every strategy and feature: for random
 * moving prices and a random decision row t, rewriting every row after t with random shocks
 * must leave every decision up to t unchanged, and every value up to t of each indicator the
 * strategy declares (`Strategy.indicators`).
 */
import fc from 'fast-check';
import { assetSeed, createMarketView, eachAsset, type PriceSeries, type Strategy, type StrategyContext, type StrategyPlugin, silentProgress, type Universe } from '@backtest/core';
import { strategyParams } from '@backtest/core/internal';
import { walkForward } from '@backtest/engine';

function monthly(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

async function decisions(plugin: StrategyPlugin, params: Record<string, string>, closes: number[]) {
  const resolved = strategyParams(plugin, params);
  const strategy = plugin.create(resolved, { frequency: 'monthly', seed: 7, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} });
  const series = monthly(closes);
  const r = await walkForward(series, strategy, { testStart: '2000-01' });
  const indicators = strategy.indicators?.(createMarketView(series, closes.length - 1)) ?? [];
  // What a forecast strategy forecast at each decision (a price or a probability), not only the weight it took.
  const forecasts = (r.output.forecasts ?? []).map((f) => ({ label: f.label, forecast: f.forecast, probability: f.probability }));
  return { labels: r.decisionLabels, weights: r.weights, indicators, forecasts };
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
export async function assertNoLookAhead(plugin: StrategyPlugin, params: Record<string, string>, numRuns: number): Promise<void> {
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
      const upTo = (f: typeof base.forecasts) => f.filter((x) => base.labels.indexOf(x.label) <= k && base.labels.includes(x.label));
      expect(upTo(other.forecasts)).toEqual(upTo(base.forecasts));
      expect(other.indicators.map((i) => i.name)).toEqual(base.indicators.map((i) => i.name));
      base.indicators.forEach((b, n) => expect(Array.from(other.indicators[n]!.values.subarray(0, t + 1))).toEqual(Array.from(b.values.subarray(0, t + 1))));
    }),
    { numRuns, seed: 20261126 },
  );
  // The property must have been checked on most paths, or it proves nothing.
  expect(checked).toBeGreaterThan(numRuns / 2);
}

// ---------------------------------------------------------------------------------------------
// The same property over a universe of several assets (`--universe a,b,c`): a decision is a
// weight per asset, and rewriting the rows after t of one asset (or of every asset) must leave
// every asset's weight and forecast up to t unchanged.

/** Month-end dates shared by every asset of a generated universe (2000-01-28, 2000-02-28, ...). */
function monthDates(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
}

/** A universe of generated assets `a0, a1, ...`, one close series each (all of one length). */
export function generatedUniverse(closes: readonly (readonly number[])[]): Universe {
  const dates = monthDates(closes[0]!.length);
  return {
    frequency: 'monthly',
    dates,
    assets: closes.map((c, i) => ({
      name: `a${i}`,
      series: { source: `a${i}`, frequency: 'monthly', dates, close: Float64Array.from(c), columns: {} } satisfies PriceSeries,
    })),
  };
}

/**
 * The strategy of `plugin` over a universe, created as the product creates it (`createStrategy`
 * of packages/api/src/run-job.ts, which @backtest/api does not export): by the plugin's
 * `createUniverse` when it has one, else one instance per asset, each seeded from the asset's
 * name, at 1/N each.
 */
export function universeStrategy(plugin: StrategyPlugin, params: Readonly<Record<string, unknown>>, assets: readonly string[], seed = 7): Strategy {
  const context: StrategyContext = { frequency: 'monthly', seed, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };
  if (plugin.createUniverse) return plugin.createUniverse(params as never, { ...context, assets });
  return eachAsset(assets, (asset) => plugin.create(params as never, { ...context, seed: assetSeed(seed, asset) }));
}

async function universeDecisions(plugin: StrategyPlugin, params: Record<string, string>, closes: readonly (readonly number[])[]) {
  const resolved = strategyParams(plugin, params);
  const universe = generatedUniverse(closes);
  const strategy = universeStrategy(
    plugin,
    resolved,
    universe.assets.map((a) => a.name),
  );
  const r = await walkForward(universe, strategy, { testStart: '2000-01' });
  if (!r.universe) throw new Error('walkForward over a universe returned no per-asset weights (result.universe)');
  const forecasts = (r.output.forecasts ?? []).map((f) => ({ asset: f.asset, label: f.label, close: f.close, forecast: f.forecast, probability: f.probability }));
  return { labels: r.decisionLabels, weights: r.universe.weights.map((w) => Array.from(w)), assets: r.universe.assets, forecasts };
}

/** Closes of `min`..`max` assets of one length (50..70 rows), each moving every month. */
const universeCloses = (min: number, max: number) =>
  fc.integer({ min, max }).chain((m) =>
    fc.integer({ min: 50, max: 70 }).chain((n) =>
      fc.array(
        fc.array(move, { minLength: n - 1, maxLength: n - 1 }).map((rets) => {
          const out = [100];
          for (const r of rets) out.push(out[out.length - 1]! * (1 + r));
          return out;
        }),
        { minLength: m, maxLength: m },
      ),
    ),
  );

/**
 * Every decision up to a random t survives any change to the rows after t, over a universe:
 * `changed: 'one'` rewrites one randomly chosen asset's rows after t, `'all'` every asset's.
 * Compared up to t: the decision labels, every asset's weight, every asset's forecasts.
 */
export async function assertNoLookAheadUniverse(
  plugin: StrategyPlugin,
  params: Record<string, string>,
  numRuns: number,
  options: {
    changed: 'one' | 'all';
    seed?: number;
    /** How many assets the generated universes have: 2 or 3 unless given. */
    assets?: readonly [min: number, max: number];
    /** Report the first counter-example as found, without shrinking it (for the tests that expect one). */
    endOnFailure?: boolean;
  },
): Promise<void> {
  const [fewest, most] = options.assets ?? [2, 3];
  let checked = 0;
  let forecastsCompared = 0;
  const shocks = fc.array(fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 70, maxLength: 70 }), { minLength: most, maxLength: most });
  await fc.assert(
    fc.asyncProperty(universeCloses(fewest, most), fc.nat(), fc.nat(), shocks, async (closes, cut, pick, shock) => {
      let base: Awaited<ReturnType<typeof universeDecisions>>;
      try {
        base = await universeDecisions(plugin, params, closes);
      } catch (e) {
        // Too few usable training rows (a user error, exit code 2) is a refusal, not a leak.
        if ((e as { exitCode?: number }).exitCode === 2) return;
        throw e;
      }
      if (base.labels.length < 2) return;
      checked++;
      const n = closes[0]!.length;
      const k = cut % (base.labels.length - 1);
      const t = n - 1 - (base.labels.length - k);
      const which = pick % closes.length;
      const changed = closes.map((c, a) => (options.changed === 'all' || a === which ? c.map((x, i) => (i > t ? x * shock[a]![i]! : x)) : [...c]));
      const other = await universeDecisions(plugin, params, changed);
      expect(other.assets).toEqual(base.assets);
      expect(other.labels.slice(0, k + 1)).toEqual(base.labels.slice(0, k + 1));
      // Per asset (toEqual compares numbers with Object.is: the same value, -0 apart from 0).
      base.weights.forEach((w, a) => {
        for (let j = 0; j <= k; j++) expect([base.assets[a], base.labels[j], other.weights[a]![j]]).toEqual([base.assets[a], base.labels[j], w[j]]);
      });
      const upTo = (f: typeof base.forecasts) => f.filter((x) => base.labels.includes(x.label) && base.labels.indexOf(x.label) <= k);
      expect(upTo(other.forecasts)).toEqual(upTo(base.forecasts));
      forecastsCompared += upTo(base.forecasts).length;
    }),
    { numRuns, seed: options.seed ?? 20261127, ...(options.endOnFailure ? { endOnFailure: true } : {}) },
  );
  // The property must have been checked on most paths, or it proves nothing; a forecast
  // strategy's forecasts must have been among what it compared.
  expect(checked).toBeGreaterThan(numRuns / 2);
  if (plugin.kind === 'forecast') expect(forecastsCompared).toBeGreaterThan(0);
}
