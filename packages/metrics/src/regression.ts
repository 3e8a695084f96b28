/**
 * Alpha and beta of a strategy against its benchmark by ordinary least squares,
 *   r_t = alpha_p + beta * b_t + e_t,
 *   beta = sum((b - mean b)(r - mean r)) / sum((b - mean b)^2),  alpha_p = mean r - beta mean b,
 * with alpha annualised simply as alpha_p * ppy.
 *
 * Both are fitted on raw returns, not on returns in excess of cash. With a zero cash rate (the
 * default) this is the CAPM regression; with a non-zero rate the CAPM alpha differs by
 * (1 - beta) * cash. With cash = 0 this reproduces empyrical's `alpha_beta` regression values
 * (intercept x 252; see empyricalReference.test.ts).
 */
import { mean } from './descriptive';
import { assertFinite, assertLength, assertPositive, type Series } from './validate';

export interface AlphaBeta {
  /** Annualised intercept: per-period OLS intercept times periodsPerYear. */
  alpha: number;
  /** OLS slope on the benchmark's returns. */
  beta: number;
}

/** OLS alpha and beta; both NaN with fewer than 2 periods or a constant benchmark. */
export function alphaBeta(returns: Series, benchmark: Series, periodsPerYear: number): AlphaBeta {
  assertPositive('periodsPerYear', periodsPerYear);
  assertFinite('returns', returns);
  assertLength('benchmark', benchmark, returns.length);
  assertFinite('benchmark', benchmark);
  const { intercept, beta } = olsOnBenchmark(returns, benchmark);
  return { alpha: intercept * periodsPerYear, beta };
}

/**
 * The OLS fit of `returns` on `benchmark` (same length, finite: unchecked, for callers that
 * checked the whole series once, like rollingBeta's windows): the per-period intercept and the
 * slope, both NaN with fewer than 2 periods or a constant benchmark.
 */
export function olsOnBenchmark(returns: Series, benchmark: Series): { intercept: number; beta: number } {
  const n = returns.length;
  if (n < 2) return { intercept: NaN, beta: NaN };
  const mr = mean(returns);
  const mb = mean(benchmark);
  let sbb = 0;
  let sbr = 0;
  for (let i = 0; i < n; i++) {
    const db = (benchmark[i] as number) - mb;
    sbb += db * db;
    sbr += db * ((returns[i] as number) - mr);
  }
  if (!(sbb > 0)) return { intercept: NaN, beta: NaN };
  const beta = sbr / sbb;
  return { intercept: mr - beta * mb, beta };
}
