import { calendarReturns, histogram } from '@backtest/metrics';
import type { Comparison } from './comparison';
import { BENCHMARK_COLOR, CHART_CONFIG, CHART_HEIGHT, chartNumber, STRATEGY_COLOR } from './theme';
import type { TopLevelSpec } from './vega-types';

/**
 * How the calendar-month returns of the strategy and the benchmark are spread: one histogram on
 * the same round bins for both, the two bars of a bin side by side (the strategy's on the left
 * half), so neither hides the other. Of a daily run, each month's days compounded.
 */
export function returnsDistributionChart(c: Comparison): TopLevelSpec {
  const s = calendarReturns(c.labels, c.strategy.returns, 'month').map((m) => m.value);
  const b = calendarReturns(c.labels, c.benchmark.returns, 'month').map((m) => m.value);
  const h = histogram([s, b]);
  const names = [c.strategy.name, c.benchmark.name];
  const values = h.starts.flatMap((start, k) =>
    names.map((name, j) => ({
      series: name,
      lo: chartNumber(start),
      hi: chartNumber(start + h.width),
      x0: chartNumber(start + (j * h.width) / 2),
      x1: chartNumber(start + ((j + 1) * h.width) / 2),
      n: h.counts[j]![k]!,
    })),
  );
  return {
    title: {
      text: 'Distribution of monthly returns',
      subtitle: `Number of calendar months in each ${(h.width * 100).toFixed(h.width < 0.01 ? 1 : 0)}% bin of return; the two bars of a bin side by side`,
    },
    width: 'container',
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
    data: { values },
    transform: [{ filter: 'datum.n > 0' }],
    layer: [
      {
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          x: {
            field: 'x0',
            type: 'quantitative',
            title: 'Monthly return',
            axis: { format: '.0%' },
            scale: { domain: [chartNumber(h.starts[0] ?? 0), chartNumber((h.starts[h.starts.length - 1] ?? 0) + h.width)], nice: false },
          },
          x2: { field: 'x1' },
          y: { field: 'n', type: 'quantitative', title: 'Months', stack: null },
          y2: { datum: 0 },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: [STRATEGY_COLOR, BENCHMARK_COLOR] } },
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Series' },
            { field: 'lo', type: 'quantitative', title: 'From', format: '.1%' },
            { field: 'hi', type: 'quantitative', title: 'To (excluded)', format: '.1%' },
            { field: 'n', type: 'quantitative', title: 'Months' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#777', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
