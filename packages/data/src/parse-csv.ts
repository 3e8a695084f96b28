import { basename } from 'node:path';
import { type Frequency, InputError, type PriceSeries, UserError } from '@backtest/core';
import { printable } from '@backtest/core/internal';
import { readCsvTable } from './csv-table';
import { checkRepeatedColumns, type ColumnMapping, type LayoutName, type ResolvedLayout, resolveLayout } from './layout';
import { type MissingPolicy, readPriceRows } from './price-rows';
import { toMonthEnd } from './month-end';
import { withTotalReturn } from './total-return';

export interface LoadOptions {
  /** An empty date or close: drop the row and count it (default), or stop with an error. */
  readonly onMissing?: MissingPolicy;
  /** Which headers hold the fields, for a file in no known layout. */
  readonly columns?: ColumnMapping;
  /** Read the file as this layout instead of detecting it (datasets pass their registry layout). */
  readonly layout?: LayoutName;
  /** Rows served: month-end (default; daily files are resampled) or the file's days. */
  readonly frequency?: Frequency;
  /** Add `returnIndex` with dividends reinvested (needs a dividend column). */
  readonly totalReturn?: boolean;
  /** The series' `source`; defaults to the file's name. */
  readonly name?: string;
  /**
   * Extra columns to read and validate (open, volume, dividend, ...); default: all the layout
   * has. `[]` reads only date and close, which cuts a cold load of a daily file by about a third.
   */
  readonly keepColumns?: readonly string[];
  /**
   * What the close is: `price` (default), which must be positive, or `rate`, a rate, yield or
   * other measure that may be 0 or negative (FRED's DTB3 has 0.00, some yields are below 0). With
   * `rate` the open, high and low are read the same way (0 is a value there too); volume stays
   * non-negative. Any layout.
   */
  readonly values?: CloseValues;
}

/** How the close column is read: a positive price, or any finite number (see `LoadOptions.values`). */
export type CloseValues = 'price' | 'rate';

/** A file read into a series, with what a report needs to say where it came from. */
export interface ParsedData {
  readonly series: PriceSeries;
  readonly layout: LayoutName | 'mapped';
  /** How often the file itself has rows (a daily file served monthly says 'daily'). */
  readonly fileFrequency: Frequency;
  /** Data records in the file, and how many of them the missing-value policy dropped. */
  readonly rawRows: number;
  readonly droppedRows: number;
  readonly warnings: readonly string[];
  /**
   * Why the close is not a price to trade, when its layout says so (Shiller's monthly averages, a
   * FRED rate); the run adds it to its warnings when it trades the series (not when it is cash).
   */
  readonly caveat?: string;
}

/**
 * Reads CSV text as a price series (see `LoadOptions`). Errors are `InputError`s naming `file`,
 * the line and the column; repairs are counted in `warnings`, which name the file's base name.
 *
 * @example
 * parseCsvText('date,close\n2024-01-31,100\n2024-02-29,102\n', 'mine.csv').series.close
 * // Float64Array [100, 102]
 */
export function parseCsvText(text: string, file: string, options: LoadOptions = {}): ParsedData {
  const label = basename(file);
  const table = readCsvTable(text, file);
  if (table.headerLine === 0) {
    throw new InputError({ file, line: 1 }, 'the file is empty: expected a header line such as date,close and data rows');
  }
  if (table.recordCount === 0) {
    throw new InputError({ file, line: table.headerLine }, 'the file has a header but no data rows');
  }
  const layout = resolveLayout(
    table.header,
    { file, line: table.headerLine },
    { ...(options.columns ? { mapping: options.columns } : {}), ...(options.layout ? { forced: options.layout } : {}) },
  );
  const onMissing = options.onMissing ?? 'drop';
  if (onMissing !== 'drop' && onMissing !== 'error') {
    throw new UserError(`the missing-value policy must be "drop" or "error", not "${String(onMissing)}"`);
  }
  const values = options.values ?? 'price';
  if (values !== 'price' && values !== 'rate') {
    throw new UserError(`the values option must be "price" or "rate", not "${String(values)}"`);
  }
  const kept = keepOnly(layout, options, file);
  checkRepeatedColumns(kept, table.header, { file, line: table.headerLine });
  const rows = readPriceRows(table, file, label, values === 'rate' ? asRates(kept) : kept, onMissing);
  if (rows.dates.length === 0) {
    throw new InputError({ file, column: layout.close.header }, `no usable rows: all ${rows.rawRows} data rows have an empty ${layout.date.header} or ${layout.close.header}`);
  }

  // Shiller rows and yyyy-MM rows are months. Day-dated rows are days when some month has two
  // of them; otherwise (one row a month, or a single row) they are taken as months unless days
  // are asked for, so that a monthly file dated on the 1st is not cut at a "month-end".
  const wanted = options.frequency ?? 'monthly';
  const surelyMonthly = layout.monthly || rows.monthOnly;
  if (wanted === 'daily' && surelyMonthly) {
    throw new UserError(`${file} has monthly rows (${layout.monthly ? `${layout.name} layout` : 'yyyy-MM dates'}); it cannot be served daily`);
  }
  if (wanted === 'daily' && rows.dates.length >= 3 && !repeatsAMonth(rows.dates)) {
    throw new UserError(
      `${file} has one row a month (${rows.dates.length} rows, no month with two): it is monthly data, ` +
        'which daily frequency would annualise at 252 periods a year; serve it monthly (drop --frequency daily)',
    );
  }
  const fileFrequency: Frequency = !surelyMonthly && (wanted === 'daily' || repeatsAMonth(rows.dates)) ? 'daily' : 'monthly';
  const warnings = [...rows.warnings];
  let series: PriceSeries = {
    source: options.name ?? label,
    frequency: fileFrequency,
    dates: rows.dates,
    close: rows.close,
    columns: rows.columns,
  };
  if (wanted === 'monthly') {
    const monthly = toMonthEnd(series);
    series = monthly.series;
    warnings.push(...monthly.warnings);
    if (series.dates.length === 0) {
      throw new InputError({ file }, 'no complete month: the data ends before the last weekday of its only month');
    }
  }
  if (series.frequency === 'monthly') {
    const gaps = skippedMonths(series.dates);
    if (gaps.length > 0) {
      warnings.push(
        `${printable(series.source)}: no rows for ${gaps.length} calendar month${gaps.length === 1 ? '' : 's'} ` +
          `(${gaps.slice(0, 5).join(', ')}${gaps.length > 5 ? ', ...' : ''}); the return across such a gap spans more than a month`,
      );
    }
  }
  if (options.totalReturn) {
    const total = withTotalReturn(series);
    series = total.series;
    warnings.push(...total.warnings);
  }
  const caveat = LAYOUT_CAVEATS[layout.name]?.(series.source);
  return { series, layout: layout.name, fileFrequency, rawRows: rows.rawRows, droppedRows: rows.droppedRows, warnings, ...(caveat ? { caveat } : {}) };
}

/** The layout with its close, and the prices beside it (open, high, low), read as measures. */
function asRates(layout: ResolvedLayout): ResolvedLayout {
  return {
    ...layout,
    close: { ...layout.close, kind: 'measure' },
    extras: layout.extras.map((f) => (f.kind === 'price' ? { ...f, kind: 'measure' } : f)),
  };
}

const LAYOUT_CAVEATS: Partial<Record<string, (source: string) => string>> = {
  shiller: (source) =>
    `${source}: Shiller's SP500 is the monthly average of daily closes, not a month-end close; returns between averages are smoothed ` +
    '(autocorrelated), which understates volatility and overstates Sharpe ratios. For month-end closes use the sp500 dataset',
  fred: (source) =>
    `${source}: a FRED series (observation_date,SERIES) is usually a rate or a yield, not a price; its "returns" are relative changes of the rate, ` +
    'not what holding anything earns. As cash: --cash-rate',
};

function keepOnly(layout: ResolvedLayout, options: LoadOptions, file: string): ResolvedLayout {
  if (options.keepColumns === undefined) return layout;
  const wanted = new Set(options.keepColumns.map((c) => c.toLowerCase()));
  if (options.totalReturn) wanted.add('dividend');
  const available = layout.extras.map((f) => f.key);
  const unknown = [...wanted].filter((c) => !available.includes(c));
  if (unknown.length > 0) {
    throw new UserError(`${file} has no column ${unknown.map((c) => `"${c}"`).join(', ')} to keep (its ${layout.name} layout gives: ${available.join(', ') || 'none'})`);
  }
  return { ...layout, extras: layout.extras.filter((f) => wanted.has(f.key)) };
}

/** Calendar months (yyyy-MM) between the first and last row that have no row. */
function skippedMonths(dates: readonly string[]): string[] {
  const out: string[] = [];
  const index = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  for (let i = 1; i < dates.length; i++) {
    for (let m = index(dates[i - 1]!) + 1; m < index(dates[i]!); m++) {
      out.push(`${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`);
    }
  }
  return out;
}

/** Daily data has some month with two rows; monthly data (even dated on the 1st) never does. */
function repeatsAMonth(dates: readonly string[]): boolean {
  for (let i = 1; i < dates.length; i++) {
    if (dates[i]!.slice(0, 7) === dates[i - 1]!.slice(0, 7)) return true;
  }
  return false;
}
