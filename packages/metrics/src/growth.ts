/**
 * Compounded growth: total return and CAGR.
 */
import { assertFinite, assertPositive, type Series } from './validate';

/** Product of (1 + r_t): the final value of the equity curve that starts at 1. */
function growthFactor(returns: Series): number {
  let g = 1;
  for (let i = 0; i < returns.length; i++) g *= 1 + (returns[i] as number);
  return g;
}

/** Total compounded return prod(1 + r_t) - 1; 0 for an empty series (nothing happened). */
export function totalReturn(returns: Series): number {
  assertFinite('returns', returns);
  return growthFactor(returns) - 1;
}

/**
 * Compound annual growth rate: prod(1 + r_t)^(ppy / N) - 1 (MISSION.md; quantstats `cagr` with
 * periods=ppy and empyrical `annual_return` use the same exponent). NaN for an empty series,
 * where no time has passed, and for a negative growth factor (a return below -100%), where the
 * fractional power is undefined. A total loss (factor 0) gives -1.
 */
export function cagr(returns: Series, periodsPerYear: number): number {
  assertFinite('returns', returns);
  assertPositive('periodsPerYear', periodsPerYear);
  const n = returns.length;
  if (n === 0) return NaN;
  return growthFactor(returns) ** (periodsPerYear / n) - 1;
}
