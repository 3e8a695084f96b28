import { rollingBeta, rollingVolatility } from '@backtest/metrics';
import type { Comparison } from './comparison';
import { BENCHMARK_COLOR, STRATEGY_COLOR } from './theme';
import { timeSeriesChart } from './time-series';
import type { TopLevelSpec } from './vega-types';

/** Trailing window of `months` months in periods (12 months = periodsPerYear periods). */
export function windowPeriods(months: number, periodsPerYear: number): number {
  return Math.max(2, Math.round((months * periodsPerYear) / 12));
}

/** Annualised volatility over a trailing 12 months, of the strategy and the benchmark. */
export function rollingVolatilityChart(c: Comparison, periodsPerYear: number): TopLevelSpec {
  const window = windowPeriods(12, periodsPerYear);
  const roll = (r: ArrayLike<number>) => rollingVolatility(r, window, periodsPerYear);
  return timeSeriesChart({
    title: 'Rolling 12-month volatility',
    subtitle: `Annualised: sd(r, n−1)·√${periodsPerYear} of the ${window} periods ending at each point`,
    labels: c.labels,
    series: [
      { name: c.strategy.name, values: roll(c.strategy.returns), color: STRATEGY_COLOR },
      { name: c.benchmark.name, values: roll(c.benchmark.returns), color: BENCHMARK_COLOR },
    ],
    y: { title: 'Volatility (annualised)', format: '.0%', zero: true },
  });
}

/** The strategy's OLS beta on the benchmark over a trailing 36 months; `beta` from {@link rollingBeta} over {@link windowPeriods}(36). */
export function rollingBetaChart(c: Comparison, beta: ArrayLike<number>, window: number): TopLevelSpec {
  return timeSeriesChart({
    title: `Rolling 36-month beta against ${c.benchmark.name}`,
    subtitle: `OLS slope of the strategy’s returns on the benchmark’s over the ${window} periods ending at each point`,
    labels: c.labels,
    series: [{ name: `${c.strategy.name} beta`, values: beta, color: STRATEGY_COLOR }],
    y: { title: 'Beta', format: '.2f' },
    rules: [{ value: 0 }, { value: 1 }],
  });
}
