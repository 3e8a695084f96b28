/**
 * The one function that turns a strategy's period returns into its performance statistics. The
 * engine, the reports and `backtest compare` all call it, so every number a user sees follows
 * the same conventions (MISSION.md, "Conventions"; formulas in the building blocks' files).
 */
import { maxDrawdown } from './drawdown';
import { cagr, totalReturn } from './growth';
import { exposure, tradeCount, turnover } from './positions';
import { alphaBeta } from './regression';
import { historicalVarEs } from './risk';
import { informationRatio, sharpeRatio, sortinoRatio, volatility } from './sharpe';
import { assertFinite, assertLength, assertPositive, type Series } from './validate';

export interface MetricsInput {
  /** Strategy return of each period (0.01 = +1%). Must be finite: NaN throws a RangeError. */
  returns: Series;
  /** Buy-and-hold return over the same periods; enables alpha, beta and information ratio. */
  benchmark?: Series;
  /** Weight held over each period, or one series per asset of a universe; enables exposure, turnover and trades. */
  weights?: Series | readonly Series[];
  /** Cash (risk-free) return per period, a constant or a series; default 0. */
  cash?: Series | number;
  /** Periods per year: 12 for monthly returns, 252 for daily. */
  periodsPerYear: number;
}

/**
 * Performance statistics. Every field is a number; NaN means "undefined for this input" (too few
 * periods, zero variance, or the optional series that the field needs was not given).
 */
export interface Metrics {
  /** prod(1 + r) - 1. */
  totalReturn: number;
  /** prod(1 + r)^(ppy/N) - 1. */
  cagr: number;
  /** sd(r, n-1) * sqrt(ppy) (raw returns, not excess). */
  volatility: number;
  /** mean(r - cash) / sd(r - cash, n-1) * sqrt(ppy). */
  sharpe: number;
  /** mean(r - cash) / sqrt(sum(min(r - cash, 0)^2) / N) * sqrt(ppy). */
  sortino: number;
  /** Deepest drawdown of the equity curve started at 1, a negative fraction (0 if none). */
  maxDrawdown: number;
  /**
   * Periods from the peak before the deepest trough until equity recovers to that peak, or until
   * the last period if it never does (days in a daily run).
   */
  maxDrawdownPeriods: number;
  /** @deprecated The same count as `maxDrawdownPeriods` under its old name (it counts periods, not months); it goes in the next release. */
  maxDrawdownMonths: number;
  /** cagr / |maxDrawdown|; NaN if there was no drawdown. */
  calmar: number;
  /** mean |w|. */
  exposure: number;
  /** mean |w_t - w_{t-1}|, w_{-1} = 0. */
  turnover: number;
  /** Number of periods with w_t != w_{t-1}, w_{-1} = 0. */
  trades: number;
  /** Share of periods with r > 0 (a period in cash earning exactly 0 is not a hit). */
  hitRate: number;
  /** Share of periods with r > 0 among those with r != 0 (quantstats' win rate: periods in cash earning 0 left out); NaN with none. */
  winRate: number;
  /** Annualised OLS intercept of r on the benchmark (raw returns), intercept * ppy. */
  alpha: number;
  /** OLS slope of r on the benchmark (raw returns). */
  beta: number;
  /** mean(r - b) / sd(r - b, n-1) * sqrt(ppy). */
  informationRatio: number;
  /**
   * Historical value at risk at 95%, per period: the empirical 5% quantile of the period returns,
   * interpolated linearly between order statistics (numpy's default `quantile`: h = (N-1) * 0.05,
   * x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)) of the sorted returns). A return,
   * negative for a loss, like maxDrawdown; NaN with no periods.
   */
  valueAtRisk95: number;
  /** Historical expected shortfall at 95%, per period: the mean of the period returns at or below valueAtRisk95 (a return, negative for a loss). */
  expectedShortfall95: number;
}

/** Share of periods with a strictly positive return; NaN for an empty series. */
function hitRate(returns: Series): number {
  assertFinite('returns', returns);
  if (returns.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < returns.length; i++) if ((returns[i] as number) > 0) hits++;
  return hits / returns.length;
}

/** Share of the periods with a non-zero return whose return is positive; NaN when every return is 0. */
function winRate(returns: Series): number {
  let wins = 0;
  let active = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (r !== 0) active++;
    if (r > 0) wins++;
  }
  return active === 0 ? NaN : wins / active;
}

/**
 * Computes every performance statistic of one return series.
 *
 * @example
 * computeMetrics({ returns: [0.1, -0.05, 0.02, 0.03], periodsPerYear: 12 }).maxDrawdown
 * // -0.05 (equity 1 -> 1.1 -> 1.045: 5% below the 1.1 peak)
 *
 * @throws RangeError if any series holds NaN/Infinity, lengths differ, or periodsPerYear <= 0.
 */
/** One series of numbers, not a universe's list of them. */
function isSeries(w: Series | readonly Series[]): w is Series {
  return w.length === 0 || typeof w[0] === 'number';
}

export function computeMetrics(input: MetricsInput): Metrics {
  const { returns, benchmark, weights, cash, periodsPerYear } = input;
  assertPositive('periodsPerYear', periodsPerYear);
  assertFinite('returns', returns);
  const n = returns.length;
  if (benchmark !== undefined) {
    assertLength('benchmark', benchmark, n);
    assertFinite('benchmark', benchmark);
  }
  for (const [i, w] of (weights === undefined ? [] : isSeries(weights) ? [weights] : weights).entries()) {
    const what = weights !== undefined && isSeries(weights) ? 'weights' : `weights of asset ${i}`;
    assertLength(what, w, n);
    assertFinite(what, w);
  }

  const growth = cagr(returns, periodsPerYear);
  const dd = maxDrawdown(returns);
  const tail = historicalVarEs(returns);
  const ab = benchmark === undefined ? { alpha: NaN, beta: NaN } : alphaBeta(returns, benchmark, periodsPerYear);
  return {
    totalReturn: totalReturn(returns),
    cagr: growth,
    volatility: volatility(returns, periodsPerYear),
    sharpe: sharpeRatio(returns, periodsPerYear, cash),
    sortino: sortinoRatio(returns, periodsPerYear, cash),
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownPeriods: dd.duration,
    maxDrawdownMonths: dd.duration,
    calmar: dd.maxDrawdown < 0 ? growth / Math.abs(dd.maxDrawdown) : NaN,
    exposure: weights === undefined ? NaN : exposure(weights),
    turnover: weights === undefined ? NaN : turnover(weights),
    trades: weights === undefined ? NaN : tradeCount(weights),
    hitRate: hitRate(returns),
    winRate: winRate(returns),
    alpha: ab.alpha,
    beta: ab.beta,
    informationRatio: benchmark === undefined ? NaN : informationRatio(returns, benchmark, periodsPerYear),
    valueAtRisk95: tail.valueAtRisk,
    expectedShortfall95: tail.expectedShortfall,
  };
}
