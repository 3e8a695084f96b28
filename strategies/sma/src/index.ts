import { defineParams, defineStrategy, type Frequency, strategyModule } from '@backtest/core';
import { trailingSma } from '@backtest/metrics';
import { SMA } from 'technicalindicators';

const params = defineParams({
  window: { type: 'integer', default: 10, min: 1, max: 10_000, description: 'SMA length in periods (months for monthly data)' },
  short: { type: 'boolean', default: false, description: 'go short (-1) instead of to cash when close <= SMA' },
});

/**
 * The classic trend rule: long while the close is above its simple moving average of the last
 * `window` closes (the current one included), else in cash (or short with `short=true`).
 */
export const smaStrategy = defineStrategy({
  id: 'sma',
  description: 'Long when close > its N-period simple moving average, else cash',
  kind: 'rule',
  params,
  create: ({ window, short }, context) => ({
    minHistory: window,
    indicators: (view) => [{ name: smaName(window, context.frequency), pane: 'price', values: trailingSma(view.closes(), window) }],
    decide(view) {
      const [sma] = SMA.calculate({ period: window, values: Array.from(view.closes(window)) });
      if (sma === undefined) throw new Error(`sma: no average from ${window} closes at ${view.label}`);
      return view.close() > sma ? 1 : short ? -1 : 0;
    },
  }),
});

/** The legend name of an N-period SMA: `10-month SMA` (monthly data), `200-day SMA` (daily). */
function smaName(window: number, frequency: Frequency): string {
  return `${window}-${frequency === 'monthly' ? 'month' : 'day'} SMA`;
}

/**
 * Running sums of close, with a leading 0: the sum of rows i..j-1 is prefix[j] - prefix[i].
 * @public (bench/cases/sma-sweep.js loads the built package by path)
 */
export function closePrefixSums(close: Float64Array): Float64Array {
  const prefix = new Float64Array(close.length + 1);
  for (let i = 0; i < close.length; i++) prefix[i + 1] = prefix[i]! + close[i]!;
  return prefix;
}

/**
 * The rule's weights for every decision row at once, for parameter sweeps through the engine's
 * `evaluateWeights`: entry k is decided at row `window - 1 + k` from rows up to it only. The
 * average comes from running prefix sums, so it can differ from `decide`'s (a fresh sum over the
 * window) in the last bits; the two agree except where the close equals its average to ~1e-9.
 */
export function smaWeights(
  close: Float64Array,
  window: number,
  short = false,
  /** Reusable across windows of one sweep: `closePrefixSums(close)` and a buffer of close.length. */
  scratch?: { readonly prefix: Float64Array; readonly into: Float64Array },
): Float64Array {
  const n = close.length;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const periods = n - window;
  if (periods < 1) return new Float64Array(0);
  const prefix = scratch?.prefix ?? closePrefixSums(close);
  const out = scratch ? scratch.into.subarray(0, periods) : new Float64Array(periods);
  const low = short ? -1 : 0;
  // A one-period average is the close itself: never above it (a prefix difference could say so).
  if (window === 1) return out.fill(low);
  for (let k = 0; k < periods; k++) {
    const t = window - 1 + k;
    const sma = (prefix[t + 1]! - prefix[t + 1 - window]!) / window;
    out[k] = close[t]! > sma ? 1 : low;
  }
  return out;
}

export default strategyModule(smaStrategy);
