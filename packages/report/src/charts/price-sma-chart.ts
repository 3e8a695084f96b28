import { groupDigits } from '@backtest/core';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { BUCKETS, bucketSize, isDecimated, pointsToDraw } from './decimate';
import { CHART_CONFIG, CHART_HEIGHT, chartNumber, logTicks, positiveRange } from './theme';
import { YEAR_AXIS } from './time-series';

export interface PriceSmaOptions {
  readonly title?: string;
  /** What the price is (for the axis title), e.g. `sp500`. */
  readonly asset: string;
  readonly labels: readonly string[];
  readonly close: ArrayLike<number>;
  /** SMA length in periods. */
  readonly window: number;
  /** Word for one period in the legend (`month`, `day`). */
  readonly periodName?: string;
  /** Weight held over each period, by the period's label; shades where the strategy was long or short. */
  readonly held?: ReadonlyMap<string, number>;
}

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

/**
 * The close on a log scale with its SMA, and (for a strategy) the periods it held a position
 * shaded. A long run (more rows than are drawn whole, and more position spans than buckets)
 * shades blocks of periods by the share held instead (positionBlocks), and says so.
 */
export function priceSmaChart(o: PriceSmaOptions): TopLevelSpec {
  const sma = simpleMovingAverage(o.close, o.window);
  const smaName = `${o.window}-${o.periodName ?? 'period'} SMA`;
  const values = pointsToDraw(o.labels.length, [o.close, sma]).map((i) => ({ t: o.labels[i]!, Close: chartNumber(o.close[i]!), [smaName]: chartNumber(sma[i]!) }));
  const { min, max } = positiveRange([o.close]);
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: YEAR_AXIS } as const;
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
        x: { field: 'start', type: 'temporal', scale: { type: 'utc' }, axis: YEAR_AXIS },
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
    transform: [{ fold: ['Close', smaName], as: ['series', 'value'] }, { filter: 'isValid(datum.value)' }],
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
        scale: { domain: ['Close', smaName], range: ['#222', '#c0392b'] },
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
    title: { text: o.title ?? `${o.asset} with its ${smaName}`, subtitle },
    width: 'container',
    height: CHART_HEIGHT + 60,
    config: CHART_CONFIG,
    layer: layers,
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}
