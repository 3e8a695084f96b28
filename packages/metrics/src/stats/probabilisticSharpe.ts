/**
 * Probabilistic Sharpe Ratio (Bailey & López de Prado 2012, "The Sharpe Ratio Efficient
 * Frontier", Journal of Risk 15(2), eq. 9): the probability that the true Sharpe ratio exceeds
 * a benchmark SR*, given an estimate SR from n observations with skewness g3 and kurtosis g4,
 *
 *   PSR(SR*) = Phi( (SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2) ).
 *
 * SR and SR* are per-period (not annualised) Sharpe ratios: sharpeRatio(returns, 1). The
 * denominator is the standard error of SR under non-normal returns (Mertens 2002) scaled by
 * sqrt(n - 1).
 */
import { sharpeRatio } from '../sharpe';
import { cashAccessor, type Series } from '../validate';
import { kurtosis, skewness } from './higherMoments';
import { normalCdf } from './normal';

/**
 * PSR in [0, 1]. NaN when n < 2, when any input is NaN, or when the variance term
 * 1 - g3 SR + (g4 - 1)/4 SR^2 is not positive (impossible for moments of real data, since
 * g4 >= 1 + g3^2, but possible for hand-typed inputs).
 */
export function probabilisticSharpeRatio(sr: number, srBenchmark: number, n: number, skew: number, kurt: number): number {
  if (!(n >= 2)) return NaN;
  const v = 1 - skew * sr + ((kurt - 1) / 4) * sr * sr;
  if (!(v > 0)) return NaN;
  return normalCdf(((sr - srBenchmark) * Math.sqrt(n - 1)) / Math.sqrt(v));
}

/**
 * PSR computed from a return series: per-period Sharpe (excess over `cash`), skewness and
 * kurtosis of the excess returns, n = number of periods.
 */
export function probabilisticSharpeRatioOfReturns(returns: Series, srBenchmark = 0, cash?: Series | number): number {
  const sr = sharpeRatio(returns, 1, cash);
  const c = cashAccessor(cash, returns.length);
  const excess = Float64Array.from({ length: returns.length }, (_, i) => (returns[i] as number) - c(i));
  return probabilisticSharpeRatio(sr, srBenchmark, returns.length, skewness(excess), kurtosis(excess));
}
