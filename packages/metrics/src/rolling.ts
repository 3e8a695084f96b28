/**
 * The project's one rolling-statistics module: trailing windows ending at each row, NaN during
 * the warm-up, each value from rows <= its own (so a strategy, a feature and a chart that use
 * them never see a later row). The mean and deviation sum each window afresh, so no running sum
 * drifts over a long series. The SMA is technicalindicators' running sum (the design's library),
 * its very operations in its order without its generator (a walk-forward computes it at every
 * refit, and the generator's garbage was a tenth of a monthly-refit run): an SMA computed from a
 * shorter history than the full one can differ from it in the last bits (about 1e-13 relative
 * over decades of daily rows), never by a later row. rolling.test.ts checks it against
 * technicalindicators' SMA bit for bit.
 */
import { olsOnBenchmark } from './regression';
import { assertFinite, assertLength } from './validate';

/** The mean of the last `window` values at every row (row t from rows t-window+1..t), NaN before row window-1. */
export function trailingSma(values: Float64Array, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`trailing window must be a positive integer, got ${window}`);
  const out = new Float64Array(values.length).fill(NaN);
  // technicalindicators' SMA: a queue that starts with a 0, a sum of the first window - 1 values,
  // then at each row sum = sum - (the value leaving, the 0 first) + the value entering.
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i < window - 1) sum = sum + v;
    else {
      sum = sum - (i >= window ? values[i - window]! : 0) + v;
      out[i] = sum / window;
    }
  }
  return out;
}

/**
 * Trailing mean and sample standard deviation (divisor n-1) over the last `n` values ending at
 * each row, NaN during the warm-up; from row `from` on only (NaN before it), when only the last
 * rows are wanted: the same numbers there.
 */
export function trailingMeanSd(values: Float64Array, n: number, from = 0): { mean: Float64Array; sd: Float64Array } {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`trailing window must be an integer >= 2, got ${n}`);
  const len = values.length;
  const mean = new Float64Array(len).fill(NaN);
  const sd = new Float64Array(len).fill(NaN);
  for (let i = Math.max(n - 1, from); i < len; i++) {
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += values[j]!;
    const m = s / n;
    let ss = 0;
    for (let j = i - n + 1; j <= i; j++) ss += (values[j]! - m) ** 2;
    mean[i] = m;
    sd[i] = Math.sqrt(ss / (n - 1));
  }
  return { mean, sd };
}

/** Annualised volatility sd(r, n-1) * sqrt(ppy) over the last `window` periods ending at each row, NaN during the warm-up. */
export function rollingVolatility(returns: ArrayLike<number>, window: number, periodsPerYear: number): Float64Array {
  assertFinite('returns', returns);
  const { sd } = trailingMeanSd(Float64Array.from(returns), window);
  const k = Math.sqrt(periodsPerYear);
  return sd.map((v) => v * k);
}

/**
 * OLS slope of `returns` on `benchmark` over the last `window` periods ending at each row:
 * sum((b - mean b)(r - mean r)) / sum((b - mean b)^2), as the full-period beta; NaN during the
 * warm-up and where the benchmark is constant over the window.
 */
export function rollingBeta(returns: ArrayLike<number>, benchmark: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`trailing window must be an integer >= 2, got ${window}`);
  assertFinite('returns', returns);
  assertLength('benchmark', benchmark, returns.length);
  assertFinite('benchmark', benchmark);
  const n = returns.length;
  const r = Float64Array.from(returns);
  const b = Float64Array.from(benchmark);
  const out = new Float64Array(n).fill(NaN);
  // Each window's fit is the full-period beta's own (alphaBeta), on the window's rows.
  for (let i = window - 1; i < n; i++) out[i] = olsOnBenchmark(r.subarray(i - window + 1, i + 1), b.subarray(i - window + 1, i + 1)).beta;
  return out;
}
