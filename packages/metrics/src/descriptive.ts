/**
 * Mean and sample standard deviation, the two moments every ratio in this package is built on.
 * Inputs are assumed validated (finite); see validate.ts.
 */
import type { Series } from './validate';

/** Arithmetic mean; NaN for an empty series. */
export function mean(x: Series): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/**
 * Sample variance with divisor n-1 (pandas' `std()` default, which quantstats uses; empyrical
 * uses ddof=1 too). NaN for n < 2.
 *
 * A series whose values are all identical returns exactly 0. Without this check the rounded mean
 * (e.g. 0.03/3 = 0.010000000000000002) leaves residuals of ~1e-18 and a "constant" series would
 * get a Sharpe ratio of 1e16 instead of the undefined value it really has. `m` is the series'
 * mean when the caller already has it (a pass saved, the same result).
 */
export function sampleVariance(x: Series, m: number = mean(x)): number {
  if (x.length < 2) return NaN;
  if (isConstant(x)) return 0;
  return correctedTwoPassVariance(x, m);
}

/**
 * The variance (divisor n-1) of at least two values about their mean `m`, by Chan, Golub &
 * LeVeque's (1983) "corrected two-pass": `sampleVariance` without its check for a constant series,
 * for a caller that knows (the bootstrap learns it while it resamples).
 */
export function correctedTwoPassVariance(x: Series, m: number): number {
  const n = x.length;
  let ss = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    ss += d * d;
    comp += d;
  }
  return (ss - (comp * comp) / n) / (n - 1);
}

/** Sample standard deviation, sqrt of {@link sampleVariance}. */
export function sampleStd(x: Series): number {
  return Math.sqrt(sampleVariance(x));
}

/** True when every element equals the first (vacuously true for n <= 1). */
export function isConstant(x: Series): boolean {
  const first = x[0];
  for (let i = 1; i < x.length; i++) if (x[i] !== first) return false;
  return true;
}

/** Pearson's correlation of two series of equal length; NaN when either is constant (or empty). */
export function correlation(x: Series, y: Series): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`correlation: the series have ${n} and ${y.length} values`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx ** 2;
    syy += dy ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
