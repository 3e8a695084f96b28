import type { TopLevelSpec } from './vega-types';
import { equityCurve } from '@backtest/metrics';
import type { Comparison } from './comparison';
import { BENCHMARK_COLOR, STRATEGY_COLOR } from './theme';
import { timeSeriesChart } from './time-series';

/**
 * Growth of 1 for the strategy and buy-and-hold on a log scale, where equal percentage moves
 * have equal heights (on a linear scale the last decade would dwarf the first).
 */
export function equityChart(c: Comparison): TopLevelSpec {
  // Equity after each period; the start value 1 sits before the first label and is left out.
  const s = equityCurve(c.strategy.returns).subarray(1);
  const b = equityCurve(c.benchmark.returns).subarray(1);
  return timeSeriesChart({
    title: 'Growth of 1 invested',
    subtitle: 'Equity at each period end, log scale, returns compounded',
    labels: c.labels,
    series: [
      { name: c.strategy.name, values: s, color: STRATEGY_COLOR },
      { name: c.benchmark.name, values: b, color: BENCHMARK_COLOR },
    ],
    y: { title: 'Value of 1 invested (log scale)', format: ',.2~f', log: true, include: 1 },
    rules: [{ value: 1 }],
    height: 320,
  });
}
