import { LookAheadError } from './errors';
import { type Frequency, type PriceSeries, periodLabel } from './series';

/**
 * What a strategy sees when it decides at row t: rows 0..t and nothing after. The arrays live in
 * a closure, so no property or prototype leads to later rows; every accessor returns a copy or a
 * scalar, and asking for a later row throws a LookAheadError.
 */
export interface MarketView {
  /** The decision row t, counted from the first row of the run's data. */
  readonly index: number;
  /** Rows visible: t + 1. */
  readonly length: number;
  readonly frequency: Frequency;
  /** ISO date and label (`YYYY-MM` monthly) of row t. */
  readonly date: string;
  readonly label: string;
  /** Close `lag` rows before t (0 = row t). */
  close(lag?: number): number;
  /** The last `n` closes, oldest first, ending at row t (all rows when n is omitted). */
  closes(n?: number): Float64Array;
  /** The last `n` values of another column (see `PriceSeries.columns`). */
  column(name: string, n?: number): Float64Array;
  /** The last `n` labels, oldest first, ending at row t. */
  labels(n?: number): string[];
  /** Names of the extra columns available. */
  readonly columnNames: readonly string[];
}

export function createMarketView(series: PriceSeries, t: number): MarketView {
  const len = series.close.length;
  if (!Number.isInteger(t) || t < 0 || t >= len) {
    throw new RangeError(`decision row ${t} is outside the series (0..${len - 1})`);
  }
  const visible = t + 1;
  const close = series.close;
  const dates = series.dates;
  const columns = series.columns;
  const freq = series.frequency;

  function lastN(n: number | undefined, what: string): number {
    if (n === undefined) return visible;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: n must be a non-negative integer, got ${n}`);
    if (n > visible) {
      throw new LookAheadError(`${what}(${n}) asks for more rows than exist up to row ${t} (${visible})`);
    }
    return n;
  }

  return Object.freeze({
    index: t,
    length: visible,
    frequency: freq,
    date: dates[t]!,
    label: periodLabel(dates[t]!, freq),
    columnNames: Object.freeze(Object.keys(columns)),
    close(lag = 0): number {
      if (!Number.isInteger(lag)) throw new RangeError(`close(lag): lag must be an integer, got ${lag}`);
      if (lag < 0) throw new LookAheadError(`close(${lag}) would read row ${t - lag}, after the decision row ${t}`);
      if (lag > t) throw new RangeError(`close(${lag}) reaches before the first row`);
      return close[t - lag]!;
    },
    closes(n?: number): Float64Array {
      const k = lastN(n, 'closes');
      return close.slice(visible - k, visible);
    },
    column(name: string, n?: number): Float64Array {
      const col = columns[name];
      if (!col) throw new RangeError(`no column "${name}" (available: ${Object.keys(columns).join(', ') || 'none'})`);
      const k = lastN(n, 'column');
      return col.slice(visible - k, visible);
    },
    labels(n?: number): string[] {
      const k = lastN(n, 'labels');
      return dates.slice(visible - k, visible).map((d) => periodLabel(d, freq));
    },
  });
}
