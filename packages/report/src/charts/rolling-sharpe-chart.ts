import type { TopLevelSpec } from './vega-types';
import { rollingSharpe } from '@backtest/metrics';
import type { Comparison } from './comparison';
import { BENCHMARK_COLOR, STRATEGY_COLOR } from './theme';
import { windowPeriods } from './rolling-risk-chart';
import { timeSeriesChart } from './time-series';

export interface RollingSharpeOptions {
  readonly periodsPerYear: number;
  /** Trailing window in months (default 36), converted to periods. */
  readonly months?: number;
  /** Per-period cash return the Sharpe ratio is measured over. */
  readonly cash?: ArrayLike<number> | number;
}

/** Annualised Sharpe over a trailing window: whether an edge is steady or came from one episode. */
export function rollingSharpeChart(c: Comparison, o: RollingSharpeOptions): TopLevelSpec {
  const months = o.months ?? 36;
  const window = windowPeriods(months, o.periodsPerYear);
  const roll = (r: ArrayLike<number>) => rollingSharpe(r, window, o.periodsPerYear, o.cash);
  return timeSeriesChart({
    title: `Rolling ${months}-month Sharpe ratio`,
    subtitle: `Annualised, over the cash return, each point from the ${window} periods ending there`,
    labels: c.labels,
    series: [
      { name: c.strategy.name, values: roll(c.strategy.returns), color: STRATEGY_COLOR },
      { name: c.benchmark.name, values: roll(c.benchmark.returns), color: BENCHMARK_COLOR },
    ],
    y: { title: 'Sharpe ratio (annualised)', format: '.1f' },
    rules: [{ value: 0 }],
  });
}
