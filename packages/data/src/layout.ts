import { InputError, UserError } from '@backtest/core';
import { printable, quoted, quotedList } from '@backtest/core/internal';

/** The CSV layouts recognised from their header. */
export type LayoutName = 'plain' | 'yahoo' | 'shiller' | 'fred';

/**
 * Which header holds each field, for a file in no known layout. `date` and `close` are
 * required; any other key names an extra column to keep (open, high, low, volume, dividend, ...),
 * stored under that key in lower case. Header names match case-insensitively.
 *
 * @example { date: 'Day', close: 'Last', volume: 'Vol' }
 */
export interface ColumnMapping {
  readonly date: string;
  readonly close: string;
  readonly [column: string]: string;
}

/**
 * How a cell is validated. `close`: positive. `price`: positive; 0 reads as missing (Yahoo writes
 * 0 for an unknown open). `volume`: not negative. `measure`: any number (a close read as a rate
 * or yield is one: 0 and negatives are values). `zero-is-missing`: any number, 0 reads as missing
 * (Shiller's files pad unknown values with 0.0).
 */
type FieldKind = 'date' | 'close' | 'price' | 'volume' | 'measure' | 'zero-is-missing';

export interface Field {
  /** Name in the product: 'date', 'close', or the key in `PriceSeries.columns`. */
  readonly key: string;
  readonly kind: FieldKind;
  /** Position in the record, and the header as the file spells it (for messages). */
  readonly index: number;
  readonly header: string;
}

export interface ResolvedLayout {
  readonly name: LayoutName | 'mapped';
  readonly date: Field;
  readonly close: Field;
  readonly extras: readonly Field[];
  /** Shiller rows are monthly by definition, whatever their dates look like. */
  readonly monthly: boolean;
}

interface ExtraSpec {
  readonly key: string;
  readonly header: string;
  readonly kind: FieldKind;
}

interface LayoutDefinition {
  readonly name: LayoutName;
  /** The header as published, for error messages. */
  readonly published: string;
  /** The date's header (lower case). */
  readonly date: string;
  /** The close's header (lower case), or its position whatever its name (FRED names it after the series). */
  readonly close: string | { readonly position: number };
  /** The exact number of columns, for a layout recognised by its shape. */
  readonly width?: number;
  /** Instead of `date`: the date is the first column, recognised by this test of its header as written. */
  readonly dateFirst?: (header: string) => boolean;
  readonly extras: readonly ExtraSpec[];
  readonly monthly: boolean;
}

const BARS: readonly ExtraSpec[] = [
  { key: 'open', header: 'open', kind: 'price' },
  { key: 'high', header: 'high', kind: 'price' },
  { key: 'low', header: 'low', kind: 'price' },
  { key: 'volume', header: 'volume', kind: 'volume' },
];

const shillerExtra = (key: string, header: string): ExtraSpec => ({ key, header, kind: 'zero-is-missing' });

// Detection tries these in order: the most specific header first.
const LAYOUTS: readonly LayoutDefinition[] = [
  {
    name: 'shiller',
    published: 'Date,SP500,Dividend,Earnings,Consumer Price Index,Long Interest Rate,Real Price,Real Dividend,Real Earnings,PE10',
    date: 'date',
    close: 'sp500',
    extras: [
      shillerExtra('dividend', 'dividend'),
      shillerExtra('earnings', 'earnings'),
      shillerExtra('cpi', 'consumer price index'),
      shillerExtra('long_rate', 'long interest rate'),
      shillerExtra('real_price', 'real price'),
      shillerExtra('real_dividend', 'real dividend'),
      shillerExtra('real_earnings', 'real earnings'),
      shillerExtra('pe10', 'pe10'),
    ],
    monthly: true,
  },
  {
    name: 'yahoo',
    published: 'Date,Open,High,Low,Close,Adj Close,Volume',
    date: 'date',
    close: 'adj close',
    extras: BARS,
    monthly: false,
  },
  { name: 'plain', published: 'date,open,close,volume', date: 'date', close: 'close', extras: BARS, monthly: false },
  // FRED's fredgraph.csv: the date, then one column named after the series (TB3MS, DGS10, ...).
  // Older files head the date `DATE`, in capitals: a two-column `date,price` of one's own is not
  // taken for FRED (it needs a mapping, as before).
  {
    name: 'fred',
    published: 'observation_date,SERIES_ID',
    date: 'observation_date',
    close: { position: 1 },
    width: 2,
    dateFirst: isFredDateHeader,
    extras: [],
    monthly: false,
  },
];

/** Whether a first column's name (trimmed) is FRED's date: `observation_date` in any case, or `DATE` in capitals as older files have it. */
function isFredDateHeader(header: string): boolean {
  return header.toLowerCase() === 'observation_date' || header === 'DATE';
}

/**
 * Whether a header (its fields, unquoted) is FRED's fredgraph.csv header: the date, then one
 * column named after the series (the `fred` layout's width and date test). The one test of it,
 * for the layout here and for what `backtest data fetch --source fred` accepts as FRED's answer.
 */
export function isFredHeader(header: readonly string[]): boolean {
  return header.length === 2 && isFredDateHeader(header[0]!.trim());
}

export const LAYOUT_NAMES: readonly LayoutName[] = LAYOUTS.map((l) => l.name);

/** The header a file in this layout starts with, as its publisher writes it. */
export function publishedHeader(layout: LayoutName): string {
  return LAYOUTS.find((l) => l.name === layout)?.published ?? '';
}

/**
 * Finds the date, close and extra columns from the header: with `mapping` when given, else as
 * the `forced` layout, else the first known layout whose date and close headers are present.
 */
export function resolveLayout(header: readonly string[], where: { file: string; line: number }, choice: { mapping?: ColumnMapping; forced?: LayoutName } = {}): ResolvedLayout {
  const position = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!position.has(k)) position.set(k, i);
  });
  const field = (key: string, headerName: string, kind: FieldKind): Field | undefined => {
    const index = position.get(headerName.trim().toLowerCase());
    return index === undefined ? undefined : { key, kind, index, header: header[index]! };
  };

  if (choice.mapping) return mappedLayout(choice.mapping, field, header, where);

  const candidates = choice.forced ? LAYOUTS.filter((l) => l.name === choice.forced) : LAYOUTS;
  for (const def of candidates) {
    const date = dateField(def, header, field);
    const close = typeof def.close === 'string' ? field('close', def.close, 'close') : positional(header, def.close.position);
    if (!date || !close || (def.width !== undefined && header.length !== def.width)) continue;
    const extras = def.extras.flatMap((e) => field(e.key, e.header, e.kind) ?? []);
    return { name: def.name, date, close, extras, monthly: def.monthly };
  }

  const found = quotedList(header);
  const expected = choice.forced ? candidates : LAYOUTS;
  // Name the column the user most likely has to fix: the date first, then the close (as the
  // plain layout names them, unless a layout was forced).
  const target = choice.forced ? candidates[0] : LAYOUTS.find((l) => l.name === 'plain');
  const missing = !target || !dateField(target, header, field) ? 'date' : typeof target.close === 'string' ? target.close : (header[target.close.position] ?? 'date');
  const known = expected.map((l) => `${l.name} (${l.published})`).join('; ');
  throw new InputError(
    { ...where, column: missing },
    `no date and close columns: the header has ${found}. ` +
      `${choice.forced ? 'Expected layout' : 'Known layouts'}: ${known}. ` +
      'For another layout pass a column mapping such as {date: "Day", close: "Last"}',
  );
}

type FieldLookup = (key: string, headerName: string, kind: FieldKind) => Field | undefined;

/** The layout's date column, if the header has it. */
function dateField(def: LayoutDefinition, header: readonly string[], field: FieldLookup): Field | undefined {
  if (!def.dateFirst) return field('date', def.date, 'date');
  const first = header[0]?.trim();
  return first !== undefined && def.dateFirst(first) ? positional(header, 0, 'date') : undefined;
}

/** The column at `index`, as the date or the close. */
function positional(header: readonly string[], index: number, key: 'date' | 'close' = 'close'): Field | undefined {
  const h = header[index];
  return h === undefined ? undefined : { key, kind: key, index, header: h };
}

function mappedLayout(mapping: ColumnMapping, field: FieldLookup, header: readonly string[], where: { file: string; line: number }): ResolvedLayout {
  const resolve = (key: string, headerName: string, kind: FieldKind): Field => {
    const f = field(key, headerName, kind);
    if (f) return f;
    throw new InputError({ ...where, column: headerName }, `column ${quoted(headerName)} (mapped to ${printable(key)}) is not in the header; found ${quotedList(header)}`);
  };
  const extras: Field[] = [];
  for (const [rawKey, headerName] of Object.entries(mapping)) {
    const key = rawKey.toLowerCase();
    if (key === 'date' || key === 'close') continue;
    const kind: FieldKind = key === 'volume' ? 'volume' : ['open', 'high', 'low'].includes(key) ? 'price' : 'measure';
    extras.push(resolve(key, headerName, kind));
  }
  return {
    name: 'mapped',
    date: resolve('date', mapping.date, 'date'),
    close: resolve('close', mapping.close, 'close'),
    extras,
    monthly: false,
  };
}

/**
 * Refuses a header that names a column the layout reads more than once (two `close` columns):
 * reading the first and ignoring the rest would be a guess about which one is meant. Columns
 * nobody reads may repeat.
 */
export function checkRepeatedColumns(layout: ResolvedLayout, header: readonly string[], where: { file: string; line: number }): void {
  const counts = new Map<string, number[]>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    const seen = counts.get(k);
    if (seen) seen.push(i);
    else counts.set(k, [i]);
  });
  for (const f of [layout.date, layout.close, ...layout.extras]) {
    const all = counts.get(f.header.trim().toLowerCase()) ?? [];
    if (all.length > 1) {
      throw new InputError(
        { ...where, column: f.header },
        `the header names ${quoted(f.header.trim())} ${all.length} times (columns ${all
          .slice(0, 20)
          .map((i) => i + 1)
          .join(', ')}${all.length > 20 ? ', ...' : ''}); rename or remove all but one`,
      );
    }
  }
}

/**
 * Reads a mapping written on the command line, `key=Header` pairs separated by commas.
 *
 * @example parseColumnMapping('date=Day,close=Last') // { date: 'Day', close: 'Last' }
 */
export function parseColumnMapping(spec: string): ColumnMapping {
  const entries: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim().toLowerCase();
    const headerName = pair.slice(eq + 1).trim();
    if (eq < 0 || key === '' || headerName === '') {
      throw new UserError(`column mapping ${quoted(spec)}: expected key=Header pairs such as date=Day,close=Last`);
    }
    entries[key] = headerName;
  }
  const { date, close } = entries;
  if (date === undefined || close === undefined) {
    throw new UserError(`column mapping ${quoted(spec)} must name both date and close (for example date=Day,close=Last)`);
  }
  return { ...entries, date, close };
}
