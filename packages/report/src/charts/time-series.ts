import type { TopLevelSpec } from './vega-types';
import { pointsToDraw } from './decimate';
import { CHART_CONFIG, CHART_HEIGHT, chartNumber, fieldName, logTicks, positiveRange } from './theme';

/** One line of a chart over time. */
interface TimeSeries {
  readonly name: string;
  readonly values: ArrayLike<number>;
  readonly color: string;
  /** Dash pattern (e.g. [4, 3]); solid by default. */
  readonly dash?: readonly number[];
  /** With `area`: the opacity of this series' area (default 0.15; 0 draws its line only). */
  readonly areaOpacity?: number;
}

export interface TimeSeriesChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Period labels (`YYYY-MM` or ISO dates), one per value of every series. */
  readonly labels: readonly string[];
  readonly series: readonly TimeSeries[];
  readonly y: {
    readonly title: string;
    /** d3-format of the axis labels and tooltips (`.0%`, `.2f`, `,.2~f`). */
    readonly format: string;
    readonly log?: boolean;
    /** Start the axis at zero (linear scales). */
    readonly zero?: boolean;
    /** A value the log axis' domain must include (the start value 1 of an equity curve). */
    readonly include?: number;
  };
  /** Shade the area between each line and zero (drawdowns). */
  readonly area?: boolean;
  /** Horizontal reference lines. */
  readonly rules?: readonly { readonly value: number; readonly label?: string }[];
  readonly height?: number;
}

/** d3 time formats, in UTC because period labels parse as UTC dates. */
// The x scales are UTC (period labels parse as UTC dates), and Vega-Lite formats a UTC scale's labels in UTC.
const YEAR_AXIS = { title: 'Year', format: '%Y', labelOverlap: 'greedy', tickCount: 12 } as const;

/**
 * The time axis for a chart over `labels`: years over a long span; over a short one, where year
 * ticks would repeat a year ("2020 2020 2020"), one tick a year (under 12 years) or months
 * labelled by month and year (under 3 years).
 */
export function timeAxis(labels: readonly string[]): Record<string, unknown> {
  const years = labels.length ? (Date.parse(labels[labels.length - 1]!) - Date.parse(labels[0]!)) / (365.25 * 86_400_000) : 0;
  if (!(years >= 0) || years >= 12) return YEAR_AXIS;
  if (years >= 3) return { ...YEAR_AXIS, tickCount: { interval: 'year', step: 1 } };
  return { title: null, format: '%b %Y', labelOverlap: 'greedy', tickCount: { interval: 'month', step: years > 1.5 ? 3 : years > 0.6 ? 2 : 1 } };
}

/**
 * Lines over time, one colour per series with a legend; the data is stored wide (one row per
 * period) and folded to long form in the browser, which halves the bytes in the report.
 */
export function timeSeriesChart(o: TimeSeriesChartOptions): TopLevelSpec {
  const names = o.series.map((s) => s.name);
  const values = pointsToDraw(
    o.labels.length,
    o.series.map((s) => s.values),
  ).map((i) => {
    const row: Record<string, string | number | null> = { t: o.labels[i]! };
    for (const s of o.series) row[s.name] = chartNumber(s.values[i]!);
    return row;
  });
  let yScale: Record<string, unknown> = { zero: o.y.zero ?? false };
  let yAxis: Record<string, unknown> = { title: o.y.title, format: o.y.format };
  if (o.y.log) {
    const range = positiveRange(o.series.map((s) => s.values));
    const min = o.y.include !== undefined ? Math.min(range.min, o.y.include) : range.min;
    const max = o.y.include !== undefined ? Math.max(range.max, o.y.include) : range.max;
    yScale = { type: 'log', domain: [min, max], nice: false };
    yAxis = { ...yAxis, values: logTicks(min, max) };
  }
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: names, range: o.series.map((s) => s.color) },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3 },
  } as const;
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: timeAxis(o.labels) } as const;
  const y = { field: 'value', type: 'quantitative', scale: yScale, axis: yAxis } as const;
  const dash = o.series.some((s) => s.dash) ? { strokeDash: { field: 'series', type: 'nominal', scale: { domain: names, range: o.series.map((s) => s.dash ?? [1, 0]) } } } : {};
  const layers: unknown[] = [];
  if (o.area) {
    // One unstacked area per series, each from zero to its own line, in its colour but outside
    // the colour scale, so the legend keeps the lines' solid symbols; the first series' last, on top.
    for (const s of [...o.series].reverse()) {
      if (s.areaOpacity === 0) continue;
      layers.push({
        transform: [{ filter: { field: 'series', equal: s.name } }],
        mark: { type: 'area', opacity: s.areaOpacity ?? 0.15, color: s.color },
        encoding: { x, y: { ...y, stack: null } },
      });
    }
  }
  layers.push({
    mark: { type: 'line' },
    encoding: {
      x,
      y,
      color,
      ...dash,
      tooltip: [
        { field: 't', type: 'nominal', title: 'Period' },
        { field: 'series', type: 'nominal', title: 'Series' },
        { field: 'value', type: 'quantitative', title: o.y.title, format: o.y.format },
      ],
    },
  });
  for (const r of o.rules ?? []) {
    layers.push({ mark: { type: 'rule', color: '#777', strokeDash: [3, 3] }, encoding: { y: { datum: r.value, type: 'quantitative' } } });
  }
  return {
    title: o.subtitle ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: 'container',
    height: o.height ?? CHART_HEIGHT,
    config: CHART_CONFIG,
    data: { values },
    transform: [{ fold: names.map(fieldName), as: ['series', 'value'] }, { filter: 'isValid(datum.value)' }],
    layer: layers,
  } as TopLevelSpec;
}
