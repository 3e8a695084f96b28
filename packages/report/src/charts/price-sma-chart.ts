import { groupDigits } from '@backtest/core/internal';
import type { TopLevelSpec } from './vega-types';
import { BUCKETS, bucketSize, isDecimated, pointsToDraw } from './decimate';
import { CHART_CONFIG, CHART_HEIGHT, chartNumber, fieldName, logTicks, positiveRange } from './theme';
import { timeAxis, timeSeriesChart } from './time-series';

export interface PriceChartOptions {
  readonly title?: string;
  /** What the price is (for the axis title), e.g. `sp500`. */
  readonly asset: string;
  readonly labels: readonly string[];
  readonly close: ArrayLike<number>;
  /** Levels drawn over the close (a strategy's price-pane indicators), one value per label, NaN where undefined. */
  readonly lines?: readonly { readonly name: string; readonly values: ArrayLike<number> }[];
  /** Word for one period (`month`, `day`). */
  readonly periodName?: string;
  /** Weight held over each period, by the period's label; shades where the strategy was long or short. */
  readonly held?: ReadonlyMap<string, number>;
}

export interface PriceSmaOptions extends Omit<PriceChartOptions, 'lines'> {
  /** SMA length in periods. */
  readonly window: number;
}

/** Colours of the lines over the close, in order. */
const LINE_COLORS = ['#c0392b', '#2e9e5b', '#7b5ea7', '#b8336a', '#5c6b73'];

const LONG = 'Strategy long';
const SHORT = 'Strategy short';

/** Simple moving average of the last `window` values (the current one included); NaN until full. */
export function simpleMovingAverage(values: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  for (let i = window - 1; i < values.length; i++) {
    let s = 0;
    for (let j = i - window + 1; j <= i; j++) s += values[j]!;
    out[i] = s / window;
  }
  return out;
}

/**
 * Runs of equal sign of the weight as spans between closes: a weight held over period i earns
 * the move from close i-1 to close i, so its band runs from label i-1 to label i.
 */
function positionSpans(labels: readonly string[], held: ReadonlyMap<string, number>) {
  const spans: { start: string; end: string; position: string }[] = [];
  const kind = (w: number | undefined) => (w === undefined || w === 0 ? undefined : w > 0 ? LONG : SHORT);
  for (let i = 1; i < labels.length; i++) {
    const k = kind(held.get(labels[i]!));
    if (!k) continue;
    const last = spans[spans.length - 1];
    if (last && last.position === k && last.end === labels[i - 1]) last.end = labels[i]!;
    else spans.push({ start: labels[i - 1]!, end: labels[i]!, position: k });
  }
  return spans;
}

/**
 * A long run's positions as blocks: the periods cut into the buckets the lines are drawn in,
 * each block one band shaded by the share of its periods the strategy held its more frequent
 * position (long or short) over. Deterministic, and every period counts.
 */
function positionBlocks(labels: readonly string[], held: ReadonlyMap<string, number>) {
  const blocks: { start: string; end: string; position: string; share: number | null }[] = [];
  const size = bucketSize(labels.length);
  for (let a = 1; a < labels.length; a += size) {
    const b = Math.min(labels.length, a + size);
    let long = 0;
    let short = 0;
    for (let i = a; i < b; i++) {
      const w = held.get(labels[i]!);
      if (w !== undefined && w > 0) long++;
      else if (w !== undefined && w < 0) short++;
    }
    if (long + short === 0) continue;
    blocks.push({ start: labels[a - 1]!, end: labels[b - 1]!, position: long >= short ? LONG : SHORT, share: chartNumber(Math.max(long, short) / (b - a)) });
  }
  return { blocks, size };
}

/** The close with its `window`-period SMA (the study's figure): `priceChart` with one line. */
export function priceSmaChart(o: PriceSmaOptions): TopLevelSpec {
  const { window, ...rest } = o;
  return priceChart({ ...rest, lines: [{ name: `${window}-${o.periodName ?? 'period'} SMA`, values: simpleMovingAverage(o.close, window) }] });
}

/**
 * The close on a log scale with the given lines over it (a strategy's price-pane indicators;
 * none: the close alone), and (for a strategy) the periods it held a position shaded. A long
 * run (more rows than are drawn whole, and more position spans than buckets) shades blocks of
 * periods by the share held instead (positionBlocks), and says so.
 */
export function priceChart(o: PriceChartOptions): TopLevelSpec {
  const lines = o.lines ?? [];
  const names = ['Close', ...lines.map((l) => l.name)];
  const values = pointsToDraw(o.labels.length, [o.close, ...lines.map((l) => l.values)]).map((i) => {
    const row: Record<string, string | number | null> = { t: o.labels[i]!, Close: chartNumber(o.close[i]!) };
    for (const l of lines) row[l.name] = chartNumber(l.values[i]!);
    return row;
  });
  const { min, max } = positiveRange([o.close]);
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: timeAxis(o.labels) } as const;
  const layers: unknown[] = [];
  const exact = o.held ? positionSpans(o.labels, o.held) : [];
  const inBlocks = o.held !== undefined && isDecimated(o.labels.length) && exact.length > BUCKETS;
  const blocked = inBlocks ? positionBlocks(o.labels, o.held!) : undefined;
  const spans = blocked ? blocked.blocks : exact;
  let subtitle = spans.length ? 'Shaded: periods in which the strategy held a position' : '';
  if (blocked) {
    subtitle =
      `Shaded: the share of each block of ${blocked.size} ${o.periodName ?? 'period'}s in which the strategy held a position ` +
      `(its ${groupDigits(exact.length)} spans are too many to draw one by one)`;
  }
  if (spans.length) {
    const kinds = [LONG, SHORT].filter((k) => spans.some((s) => s.position === k));
    layers.push({
      data: { values: spans },
      mark: { type: 'rect', opacity: 0.5 },
      encoding: {
        x: { field: 'start', type: 'temporal', scale: { type: 'utc' }, axis: timeAxis(o.labels) },
        x2: { field: 'end' },
        fill: {
          field: 'position',
          type: 'nominal',
          scale: { domain: kinds, range: kinds.map((k) => (k === LONG ? '#d6ecd9' : '#f6d5d5')) },
          legend: { symbolType: 'square', title: null, symbolSize: 150 },
        },
        ...(blocked ? { opacity: { field: 'share', type: 'quantitative', scale: { domain: [0, 1], range: [0, 0.5] }, legend: null } } : {}),
      },
    });
  }
  layers.push({
    data: { values },
    transform: [{ fold: names.map(fieldName), as: ['series', 'value'] }, { filter: 'isValid(datum.value)' }],
    mark: { type: 'line' },
    encoding: {
      x,
      y: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log', domain: [min, max], nice: false },
        axis: { title: `${o.asset} close (log scale)`, format: ',.0f', values: logTicks(min, max) },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, range: ['#222', ...lines.map((_, k) => LINE_COLORS[k % LINE_COLORS.length]!)] },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 3 },
      },
      tooltip: [
        { field: 't', type: 'nominal', title: 'Period' },
        { field: 'series', type: 'nominal', title: 'Series' },
        { field: 'value', type: 'quantitative', title: 'Level', format: ',.2f' },
      ],
    },
  });
  return {
    title: { text: o.title ?? (lines.length ? `${o.asset} with its ${listed(lines.map((l) => l.name))}` : `${o.asset} close`), subtitle },
    width: 'container',
    height: CHART_HEIGHT + 60,
    config: CHART_CONFIG,
    layer: layers,
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}

/**
 * A strategy's own-pane indicators (an RSI: not a price level) over the run's rows, on a linear
 * axis of their own, to read below the price chart.
 */
export function indicatorChart(o: { readonly labels: readonly string[]; readonly lines: readonly { readonly name: string; readonly values: ArrayLike<number> }[] }): TopLevelSpec {
  return timeSeriesChart({
    title: `The strategy’s ${listed(o.lines.map((l) => l.name))}`,
    labels: o.labels,
    // Colours after the price chart's first lines, so an own-pane line is not mistaken for one of them.
    series: o.lines.map((l, k) => ({ name: l.name, values: l.values, color: LINE_COLORS[(k + 2) % LINE_COLORS.length]! })),
    y: { title: 'Value', format: ',.2~f' },
    height: Math.round(CHART_HEIGHT * 0.6),
  });
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
