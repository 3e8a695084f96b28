/**
 * Trailing mean and sample standard deviation (divisor n-1) over the last `n` values ending at
 * each index, NaN during the warm-up. Each window is summed afresh (n is small), so no running
 * sum drifts over a long series.
 */
export function trailingMeanSd(values: Float64Array, n: number): { mean: Float64Array; sd: Float64Array } {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`trailing window must be an integer >= 2, got ${n}`);
  const len = values.length;
  const mean = new Float64Array(len).fill(NaN);
  const sd = new Float64Array(len).fill(NaN);
  for (let i = n - 1; i < len; i++) {
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
