/** How often a series has a row. Annualisation follows it. */
export type Frequency = 'monthly' | 'daily';

export const PERIODS_PER_YEAR: Readonly<Record<Frequency, number>> = { monthly: 12, daily: 252 };

/**
 * A price series, oldest row first. `close` drives signals; `returnIndex`, when present, is a
 * total-return index (dividends reinvested) whose period changes are the asset's returns.
 */
export interface PriceSeries {
  /** The dataset name or file the rows came from, for messages and reports. */
  readonly source: string;
  readonly frequency: Frequency;
  /** ISO dates (yyyy-MM-dd) of the rows; for month-end rows, the month's last trading day. */
  readonly dates: readonly string[];
  readonly close: Float64Array;
  readonly returnIndex?: Float64Array;
  /** Other numeric columns by lower-case name (open, volume, dividend, ...). */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** One asset of a universe: its name (a dataset or file), its rows, and its currency when known. */
export interface UniverseAsset {
  readonly name: string;
  readonly series: PriceSeries;
  /** ISO 4217 code (`USD`, `EUR`) when the dataset registry says; undefined for a file. */
  readonly currency?: string;
}

/**
 * Several price series aligned on the same rows (`--universe sp500,ndx,gold`): row t of every
 * asset is the same period (the same month for monthly rows, the same day for daily ones), so an
 * asset's returns are over the rows all assets have. A universe has at least two assets; one
 * series alone is a `PriceSeries`.
 */
export interface Universe {
  readonly assets: readonly UniverseAsset[];
  readonly frequency: Frequency;
  /** One per row: the latest of the assets' dates for that row (when every asset's close is known). */
  readonly dates: readonly string[];
}

/** Whether a walk's input is a universe of several assets rather than one series. */
export function isUniverse(input: PriceSeries | Universe): input is Universe {
  return Array.isArray((input as Universe).assets);
}

/** The label a row is known by: `YYYY-MM` for monthly rows, the ISO date for daily ones. */
export function periodLabel(date: string, frequency: Frequency): string {
  return frequency === 'monthly' ? date.slice(0, 7) : date;
}

/** Asset returns of each row over the previous one (row 0 has none: NaN). */
export function assetReturns(series: PriceSeries): Float64Array {
  const level = series.returnIndex ?? series.close;
  const out = new Float64Array(level.length);
  out[0] = NaN;
  for (let i = 1; i < level.length; i++) out[i] = level[i]! / level[i - 1]! - 1;
  return out;
}

/** A copy of rows [start, end) of a series. */
export function sliceSeries(series: PriceSeries, start: number, end: number): PriceSeries {
  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(series.columns)) columns[k] = v.slice(start, end);
  return {
    source: series.source,
    frequency: series.frequency,
    dates: series.dates.slice(start, end),
    close: series.close.slice(start, end),
    ...(series.returnIndex ? { returnIndex: series.returnIndex.slice(start, end) } : {}),
    columns,
  };
}
