import { LookAheadError } from './errors';
import { type Frequency, type PriceSeries, periodLabel, type Universe } from './series';

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
  /**
   * The assets of the run, in the order weights are given: one name (the series' own) for a
   * single series, every asset's for a universe (`--universe sp500,ndx,gold`).
   */
  readonly assets: readonly string[];
  /**
   * The view of one asset (by name or position in `assets`) at the same row t, rows 0..t of that
   * asset and nothing after. A universe's own view has no single close: its price accessors
   * throw, and each asset's prices are read through here. A single series' view returns itself.
   */
  asset(which: string | number): MarketView;
}

/** The position of `which` in `names`, or a RangeError naming what exists. */
function assetIndex(names: readonly string[], which: string | number): number {
  const i = typeof which === 'number' ? which : names.indexOf(which);
  if (!Number.isInteger(i) || i < 0 || i >= names.length) {
    throw new RangeError(`no asset ${JSON.stringify(which)} in this view (assets: ${names.join(', ')})`);
  }
  return i;
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

  const assets = Object.freeze([series.source]);
  const view: MarketView = Object.freeze({
    index: t,
    length: visible,
    frequency: freq,
    date: dates[t]!,
    label: periodLabel(dates[t]!, freq),
    columnNames: Object.freeze(Object.keys(columns)),
    assets,
    asset(which: string | number): MarketView {
      assetIndex(assets, which);
      return view;
    },
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
  return view;
}

/**
 * The view of a universe at row t: its assets' views at t (`view.asset(name)`), each showing
 * rows 0..t of that asset only. Its own `close`, `closes` and `column` throw: a universe has no
 * single price, so a strategy that reads one by mistake is told where the prices are.
 */
export function createUniverseView(universe: Universe, t: number): MarketView {
  const n = universe.dates.length;
  if (!Number.isInteger(t) || t < 0 || t >= n) throw new RangeError(`decision row ${t} is outside the universe (0..${n - 1})`);
  const names = Object.freeze(universe.assets.map((a) => a.name));
  const views: (MarketView | undefined)[] = new Array(names.length);
  const freq = universe.frequency;
  const noPrice = (what: string) => (): never => {
    throw new RangeError(
      `${what}: this is the view of a universe of ${names.length} assets (${names.join(', ')}), which has no single price; read each asset's through view.asset(name)`,
    );
  };
  return Object.freeze({
    index: t,
    length: t + 1,
    frequency: freq,
    date: universe.dates[t]!,
    label: periodLabel(universe.dates[t]!, freq),
    columnNames: Object.freeze([]),
    assets: names,
    asset(which: string | number): MarketView {
      const i = assetIndex(names, which);
      views[i] ??= createMarketView(universe.assets[i]!.series, t);
      return views[i];
    },
    close: noPrice('close()'),
    closes: noPrice('closes()'),
    column: noPrice('column()'),
    labels(n?: number): string[] {
      if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new RangeError(`labels: n must be a non-negative integer, got ${n}`);
      if (n !== undefined && n > t + 1) throw new LookAheadError(`labels(${n}) asks for more rows than exist up to row ${t} (${t + 1})`);
      const k = n ?? t + 1;
      return universe.dates.slice(t + 1 - k, t + 1).map((d) => periodLabel(d, freq));
    },
  });
}
