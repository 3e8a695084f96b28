/**
 * Annualised volatility and risk-adjusted ratios (conventions from MISSION.md):
 *   vol     = sd(r, n-1) * sqrt(ppy)
 *   Sharpe  = mean(x) / sd(x, n-1) * sqrt(ppy),                      x = r - cash
 *   Sortino = mean(x) / sqrt(sum(min(x, 0)^2) / N) * sqrt(ppy),      x = r - cash
 *   IR      = mean(a) / sd(a, n-1) * sqrt(ppy),                      a = r - benchmark
 * These agree with quantstats (`sharpe`, `sortino`, periods=ppy) and empyrical
 * (`sharpe_ratio`, `sortino_ratio`, annualization=ppy). Where a denominator is 0 (constant
 * excess returns, no downside, no tracking error) quantstats and empyrical return +-inf or NaN
 * depending on the sign of the mean; we return NaN throughout, because the ratio is undefined
 * and an infinite Sharpe would top every comparison table.
 */
import { mean, sampleStd, sampleVariance } from './descriptive';
import { assertFinite, assertLength, assertPositive, cashAccessor, type Series } from './validate';

function excessReturns(returns: Series, cash: Series | number | undefined): Series {
  assertFinite('returns', returns);
  // No cash return: the returns are the excess returns, no copy needed (sweeps call this a lot).
  if (cash === undefined || cash === 0) return returns;
  const c = cashAccessor(cash, returns.length);
  const x = new Float64Array(returns.length);
  for (let i = 0; i < x.length; i++) x[i] = (returns[i] as number) - c(i);
  return x;
}

/** mean / sd(n-1) * sqrt(ppy) of an already-validated series; NaN if sd is 0 or undefined. */
function annualisedMeanOverSd(x: Series, periodsPerYear: number): number {
  const m = mean(x);
  const sd = Math.sqrt(sampleVariance(x, m));
  if (!(sd > 0)) return NaN;
  return (m / sd) * Math.sqrt(periodsPerYear);
}

/** Annualised volatility sd(r, n-1) * sqrt(ppy) of raw returns; NaN for fewer than 2 periods. */
export function volatility(returns: Series, periodsPerYear: number): number {
  assertFinite('returns', returns);
  assertPositive('periodsPerYear', periodsPerYear);
  return sampleStd(returns) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sharpe ratio of `returns` in excess of `cash` (a per-period rate or series,
 * default 0). Pass periodsPerYear = 1 for the per-period Sharpe used by the PSR/DSR.
 * NaN for fewer than 2 periods or zero variance.
 */
export function sharpeRatio(returns: Series, periodsPerYear: number, cash?: Series | number): number {
  assertPositive('periodsPerYear', periodsPerYear);
  return annualisedMeanOverSd(excessReturns(returns, cash), periodsPerYear);
}

/**
 * Annualised Sortino ratio with target = cash: the downside deviation divides the sum of
 * squared shortfalls by N, the number of all periods (not only the losing ones), as in
 * quantstats and empyrical. NaN for an empty series or when no period falls below cash.
 */
export function sortinoRatio(returns: Series, periodsPerYear: number, cash?: Series | number): number {
  assertPositive('periodsPerYear', periodsPerYear);
  const x = excessReturns(returns, cash);
  const n = x.length;
  if (n === 0) return NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v < 0) ss += v * v;
  }
  const downside = Math.sqrt(ss / n);
  if (!(downside > 0)) return NaN;
  return (mean(x) / downside) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised information ratio against a benchmark over the same periods: the Sharpe formula
 * applied to active returns r - b (no cash adjustment: it cancels in r - b).
 */
export function informationRatio(returns: Series, benchmark: Series, periodsPerYear: number): number {
  assertPositive('periodsPerYear', periodsPerYear);
  assertFinite('returns', returns);
  assertLength('benchmark', benchmark, returns.length);
  assertFinite('benchmark', benchmark);
  const a = new Float64Array(returns.length);
  for (let i = 0; i < a.length; i++) a[i] = (returns[i] as number) - (benchmark[i] as number);
  return annualisedMeanOverSd(a, periodsPerYear);
}

/**
 * Sharpe ratio over a trailing window ending at each period (quantstats `rolling_sharpe`:
 * rolling mean / rolling std(n-1) * sqrt(ppy)). Output has the length of `returns`; the first
 * window - 1 entries are NaN because the window is not yet full, and so is a window of zero
 * variance. Each window is computed afresh (O(n * window)) rather than with running sums, which
 * drift when updated over long series, in one flat loop with the operations of
 * `annualisedMeanOverSd` in its order (the same doubles as the full-sample Sharpe of the window).
 */
export function rollingSharpe(returns: Series, window: number, periodsPerYear: number, cash?: Series | number): Float64Array {
  if (!(Number.isInteger(window) && window >= 2)) {
    throw new RangeError(`window must be an integer >= 2, got ${String(window)}`);
  }
  assertPositive('periodsPerYear', periodsPerYear);
  const x = Float64Array.from(excessReturns(returns, cash));
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const root = Math.sqrt(periodsPerYear);
  for (let end = window; end <= n; end++) {
    const start = end - window;
    let constant = true;
    let s = 0;
    for (let i = start; i < end; i++) {
      s += x[i]!;
      if (x[i] !== x[start]) constant = false;
    }
    if (constant) continue;
    const m = s / window;
    let ss = 0;
    let comp = 0;
    for (let i = start; i < end; i++) {
      const d = x[i]! - m;
      ss += d * d;
      comp += d;
    }
    const sd = Math.sqrt((ss - (comp * comp) / window) / (window - 1));
    if (sd > 0) out[end - 1] = (m / sd) * root;
  }
  return out;
}
