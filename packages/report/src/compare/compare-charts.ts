import type { TopLevelSpec } from '../charts/vega-types';
import { equityCurve } from '@backtest/metrics';
import { BENCHMARK_COLOR, CHART_CONFIG, chartNumber, EXTRA_COLORS, STRATEGY_COLOR } from '../charts/theme';
import { timeSeriesChart } from '../charts/time-series';
import type { CompareRecord } from './compare-record';

/** Colours of the configurations, in order; buy-and-hold keeps its own orange in every chart. */
const CONFIG_COLORS = [STRATEGY_COLOR, ...EXTRA_COLORS, '#17becf', '#8c564b', '#bcbd22', '#1b3a6b'];

const BEATS = 'beats buy-and-hold (verdict)';
const NOT_SIGNIFICANT = 'does not (verdict)';

/**
 * Each configuration's annualised Sharpe difference to buy-and-hold as a point, its 95%
 * stationary-bootstrap interval as an error bar, and a zero line: an interval that crosses
 * zero is a difference the data cannot tell from none. Filled green where the verdict says
 * the configuration beats buy-and-hold after deflation.
 */
export function sharpeDiffChart(record: CompareRecord): TopLevelSpec {
  const s = record.summary;
  const values = s.configurations.map((label) => {
    const g = s.results[label]!.significance;
    const verdict = s.verdicts.find((v) => v.configuration === label);
    return {
      configuration: label,
      diff: chartNumber(g.sharpeDiff),
      low: chartNumber(g.sharpeDiffCI[0]),
      high: chartNumber(g.sharpeDiffCI[1]),
      p: chartNumber(g.sharpeDiffPValue),
      adjusted: chartNumber(Math.min(1, g.sharpeDiffPValue * Math.max(1, s.trials))),
      verdict: verdict?.beats ? BEATS : NOT_SIGNIFICANT,
    };
  });
  const y = { field: 'configuration', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } } as const;
  const x = { type: 'quantitative', title: 'Sharpe ratio minus buy-and-hold’s (annualised)', scale: { zero: true, nice: true } } as const;
  const color = {
    field: 'verdict',
    type: 'nominal',
    title: null,
    scale: { domain: [BEATS, NOT_SIGNIFICANT], range: ['#0b8a3e', STRATEGY_COLOR] },
    legend: { labelLimit: 400 },
  } as const;
  const tooltip = [
    { field: 'configuration', type: 'nominal', title: 'Configuration' },
    { field: 'diff', type: 'quantitative', title: 'Sharpe difference', format: '+.3f' },
    { field: 'low', type: 'quantitative', title: '95% interval, low', format: '+.3f' },
    { field: 'high', type: 'quantitative', title: '95% interval, high', format: '+.3f' },
    { field: 'p', type: 'quantitative', title: 'Bootstrap p-value', format: '.3f' },
    { field: 'adjusted', type: 'quantitative', title: `p × ${s.trials} trials (capped at 1)`, format: '.3f' },
    { field: 'verdict', type: 'nominal', title: 'Verdict' },
  ];
  return {
    title: {
      text: 'Sharpe ratio difference to buy-and-hold, with its 95% interval',
      subtitle: `Point: the difference of the annualised Sharpe ratios; bar: the paired stationary-bootstrap interval (${s.period.start} .. ${s.period.end})`,
    },
    width: 'container',
    height: Math.max(90, 44 * values.length),
    config: CHART_CONFIG,
    data: { values },
    layer: [
      // One datum of its own: with the layer's data the zero line would be drawn once per configuration.
      { data: { values: [{}] }, mark: { type: 'rule', color: '#777', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'errorbar', ticks: { size: 12 }, thickness: 2 },
        encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' }, color, tooltip },
      },
      {
        transform: [{ filter: 'isValid(datum.diff)' }],
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: { y, x: { ...x, field: 'diff' }, color, tooltip },
      },
    ],
  } as TopLevelSpec;
}

/** Growth of 1 for every configuration and buy-and-hold over the common months, log scale. */
export function compareEquityChart(record: CompareRecord, benchmarkName: string): TopLevelSpec {
  const p = record.periods;
  const equity = (r: ArrayLike<number>) => equityCurve(r).subarray(1);
  // `compare --strategies buy-and-hold` has a configuration of that name; the benchmark's line needs another.
  const bench = record.summary.configurations.includes(benchmarkName) ? `${benchmarkName} (benchmark)` : benchmarkName;
  const spec = timeSeriesChart({
    title: 'Growth of 1 invested',
    subtitle: 'Equity at each period end, log scale, returns compounded, costs included; every curve over the same months',
    labels: p.labels,
    series: [
      ...record.summary.configurations.map((label, i) => ({ name: label, values: equity(p.configurations[label]!), color: CONFIG_COLORS[i % CONFIG_COLORS.length]! })),
      { name: bench, values: equity(p.benchmarkReturns), color: BENCHMARK_COLOR, dash: [6, 3] },
    ],
    // No rule at 1: the log axis spans the curves' own range, which starts after the first period's return.
    y: { title: 'Value of 1 invested (log scale)', format: ',.2~f', log: true },
    height: 340,
  });
  // Grid labels are long (`nn-sma[hidden=300,100 epochs=100]`): the legend shows them whole, three to a row.
  return { ...spec, config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, labelLimit: 400, columns: 3 } } } as TopLevelSpec;
}
