/**
 * The no-look-ahead property, shared by the tests of every strategy and feature: for random
 * moving prices and a random decision row t, rewriting every row after t with random shocks
 * must leave every decision up to t unchanged, and every value up to t of each indicator the
 * strategy declares (`Strategy.indicators`).
 */
import fc from 'fast-check';
import { createMarketView, type PriceSeries, type StrategyPlugin, silentProgress } from '@backtest/core';
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
