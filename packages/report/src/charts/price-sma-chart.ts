import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { pointsToDraw } from './decimate';
import { CHART_CONFIG, CHART_HEIGHT, chartNumber, logTicks } from './theme';
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

/** The close on a log scale with its SMA, and (for a strategy) the periods it held a position shaded. */
export function priceSmaChart(o: PriceSmaOptions): TopLevelSpec {
  const sma = simpleMovingAverage(o.close, o.window);
  const smaName = `${o.window}-${o.periodName ?? 'period'} SMA`;
  const values = pointsToDraw(o.labels.length, [o.close, sma]).map((i) => ({ t: o.labels[i]!, Close: chartNumber(o.close[i]!), [smaName]: chartNumber(sma[i]!) }));
  const closes = Array.from(o.close).filter((v) => v > 0);
  const min = Math.min(...closes);
  const max = Math.max(...closes);
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: YEAR_AXIS } as const;
  const layers: unknown[] = [];
  const spans = o.held ? positionSpans(o.labels, o.held) : [];
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
    title: { text: o.title ?? `${o.asset} with its ${smaName}`, subtitle: spans.length ? 'Shaded: periods in which the strategy held a position' : '' },
    width: 'container',
    height: CHART_HEIGHT + 60,
    config: CHART_CONFIG,
    layer: layers,
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}
