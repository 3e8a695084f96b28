/**
 * Historical value at risk and expected shortfall of per-period returns.
 *
 *   VaR_95 = the empirical 5% quantile of the returns, interpolated linearly between order
 *            statistics (Hyndman & Fan type 7, numpy's default `quantile`): with the returns
 *            sorted x_(0) <= ... <= x_(n-1), h = (n - 1) * 0.05, VaR = x_(floor h) + (h - floor h)
 *            (x_(floor h + 1) - x_(floor h)).
 *   ES_95  = the mean of the returns at or below VaR_95 (never empty: x_(0) <= VaR).
 *
 * Both are returns, negative for a loss (like maxDrawdown): -0.04 = "in 1 period in 20 the
 * strategy lost 4% or more". quantstats' `value_at_risk` is parametric (normal) by default and
 * its `cvar` averages the returns below its own quantile, so its numbers differ from these.
 */
import { quantileSorted } from './stats/stationaryBootstrap';
import { assertFinite, type Series } from './validate';

/** Tail probability of the 95% VaR and ES. */
const TAIL = 0.05;

/** Historical VaR and ES at 95%, per period; both NaN for an empty series. */
export function historicalVarEs(returns: Series): { valueAtRisk: number; expectedShortfall: number } {
  assertFinite('returns', returns);
  if (returns.length === 0) return { valueAtRisk: NaN, expectedShortfall: NaN };
  const sorted = Float64Array.from(returns).sort();
  const v = quantileSorted(sorted, TAIL);
  let s = 0;
  let k = 0;
  for (let i = 0; i < sorted.length && (sorted[i] as number) <= v; i++) {
    s += sorted[i] as number;
    k++;
  }
  return { valueAtRisk: v, expectedShortfall: s / k };
}
