import type { TopLevelSpec } from './vega-types';
import { BENCHMARK_COLOR, CHART_CONFIG, CHART_HEIGHT, chartNumber, EXTRA_COLORS, STRATEGY_COLOR } from './theme';

/** One curve by epoch: `values[i]` is epoch i + 1. */
interface EpochSeries {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

/** A horizontal line to compare the curves with (e.g. the regression's residual RMSE). */
interface ReferenceLine {
  readonly name: string;
  readonly value: number;
}

export interface EpochChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly series: readonly EpochSeries[];
  readonly references?: readonly ReferenceLine[];
  /** Axis title with its unit, e.g. `RMSE (standardised units)`. */
  readonly yTitle: string;
  readonly format?: string;
  readonly height?: number;
}

const PALETTE = [STRATEGY_COLOR, BENCHMARK_COLOR, ...EXTRA_COLORS];

/**
 * Curves by epoch with labelled horizontal reference lines, in one legend: training and
 * validation loss against a baseline (the study's figures, the report's loss curves).
 */
export function epochChart(o: EpochChartOptions): TopLevelSpec {
  const refs = o.references ?? [];
  const names = [...o.series.map((s) => s.name), ...refs.map((r) => r.name)];
  const colors = names.map((_, i) => PALETTE[i % PALETTE.length]!);
  const curves = o.series.flatMap((s) => Array.from(s.values, (v, i) => ({ epoch: i + 1, series: s.name, value: chartNumber(v) }))).filter((d) => d.value !== null);
  const lines = refs.map((r) => ({ series: r.name, value: chartNumber(r.value) }));
  const epochs = Math.max(1, ...o.series.map((s) => s.values.length));
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: colors }, legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } } as const;
  const y = { field: 'value', type: 'quantitative', title: o.yTitle, scale: { zero: false, padding: 10 }, axis: { format: o.format ?? '.3~f' } } as const;
  const dash = { field: 'series', type: 'nominal', scale: { domain: names, range: names.map((_, i) => (i < o.series.length ? [1, 0] : [5, 3])) } } as const;
  const layer: unknown[] = [
    {
      data: { values: curves },
      mark: { type: 'line', point: epochs <= 40 ? { size: 18 } : false },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { domain: [1, epochs] }, axis: { tickMinStep: 1, format: 'd' } },
        y,
        color,
        strokeDash: dash,
        tooltip: [
          { field: 'series', title: 'Series' },
          { field: 'epoch', title: 'Epoch' },
          { field: 'value', title: o.yTitle, format: '.4f' },
        ],
      },
    },
  ];
  if (lines.length) {
    layer.push({
      data: { values: lines },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: {
        y,
        color,
        strokeDash: dash,
        tooltip: [
          { field: 'series', title: 'Reference' },
          { field: 'value', title: o.yTitle, format: '.4f' },
        ],
      },
    });
  }
  return {
    title: o.subtitle ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: 'container',
    height: o.height ?? CHART_HEIGHT,
    config: CHART_CONFIG,
    layer,
  } as TopLevelSpec;
}
