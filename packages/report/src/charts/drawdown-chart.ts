import type { TopLevelSpec } from './vega-types';
import { drawdownSeries } from '@backtest/metrics';
import type { Comparison } from './comparison';
import { BENCHMARK_COLOR, STRATEGY_COLOR } from './theme';
import { timeSeriesChart } from './time-series';

/** How far each equity curve stands below its running peak (the start value 1 counts as a peak). */
export function drawdownChart(c: Comparison): TopLevelSpec {
  return timeSeriesChart({
    title: 'Drawdown',
    subtitle: `Fall of the equity curve from its previous peak; shaded: ${c.strategy.name}, line only: ${c.benchmark.name}`,
    labels: c.labels,
    series: [
      { name: c.strategy.name, values: drawdownSeries(c.strategy.returns).subarray(1), color: STRATEGY_COLOR, areaOpacity: 0.28 },
      { name: c.benchmark.name, values: drawdownSeries(c.benchmark.returns).subarray(1), color: BENCHMARK_COLOR, areaOpacity: 0 },
    ],
    y: { title: 'Drawdown from peak (%)', format: '.0%', zero: true },
    area: true,
  });
}
