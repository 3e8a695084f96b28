import { InputError } from '@backtest/core';
import { printable, quoted } from '@backtest/core/internal';
import type { CsvTable } from './csv-table';
import { readIsoDate } from './iso-date';
import type { Field, ResolvedLayout } from './layout';

/** What to do with a row whose date or close is empty. */
export type MissingPolicy = 'drop' | 'error';

/** Validated rows of a file, in file order, before any resampling. */
export interface PriceRows {
  readonly dates: string[];
  readonly close: Float64Array;
  readonly columns: Record<string, Float64Array>;
  /** Data records in the file (blank lines and the header not counted). */
  readonly rawRows: number;
  readonly droppedRows: number;
  /** True when the file gave months (yyyy-MM) rather than days. */
  readonly monthOnly: boolean;
  readonly warnings: string[];
}

// Markers other tools write for "no value" (Yahoo: null, R: NA, FRED: "."); read as empty.
const MISSING_MARKERS = new Set(['null', 'nan', 'na', 'n/a', '.']);
const LINES_SHOWN = 5;

function isMissing(cell: string): boolean {
  if (cell.length === 0) return true;
  const first = cell.charCodeAt(0);
  // A digit or sign starts a number, never a marker: the common case costs one comparison.
  if ((first >= 48 && first <= 57) || first === 45 || first === 43) return false;
  return cell.length <= 4 && MISSING_MARKERS.has(cell.toLowerCase());
}

/**
 * A finite decimal number, or NaN. `Number` alone also accepts `Infinity` and 0x/0b/0o
 * integers; blanks never get here (they are missing values).
 */
function readNumber(cell: string): number {
  const v = Number(cell);
  if (!Number.isFinite(v)) return NaN;
  const radix = cell.charCodeAt(1) | 0x20;
  return radix === 0x78 || radix === 0x62 || radix === 0x6f ? NaN : v;
}

/** Counts rows with one kind of repair, and remembers the first few lines for the warning. */
class RepairTally {
  count = 0;
  readonly lines: number[] = [];
  add(line: number): void {
    this.count++;
    if (this.lines.length < LINES_SHOWN) this.lines.push(line);
  }
  describeLines(): string {
    const more = this.count > this.lines.length ? ', ...' : '';
    return `(line${this.count === 1 ? '' : 's'} ${this.lines.join(', ')}${more})`;
  }
}

/**
 * True when `text` is yyyy-MM-dd starting with `monthPrefix` (the `yyyy-MM-` of a valid date)
 * with a day 01..28, which every month has: then it is a real date without the full parse, and
 * most rows are such.
 */
function sameMonthDay(text: string, monthPrefix: string): boolean {
  if (text.length !== 10 || !text.startsWith(monthPrefix)) return false;
  const tens = text.charCodeAt(8) - 48;
  const ones = text.charCodeAt(9) - 48;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return false;
  const day = tens * 10 + ones;
  return day >= 1 && day <= 28;
}

const rows = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;

/**
 * Validates every record of a table: dates strictly ascending and real, close a positive number
 * (any number when the layout's close is a `measure`: a rate or yield),
 * extra columns numbers of their kind (see `FieldKind`). Any violation is an `InputError` naming
 * the file, line and column; date and close are checked before the extra columns. Only an empty
 * date or close is a gap the policy may repair (drop the row); an empty extra column (open,
 * volume, dividend, ...) leaves NaN there and keeps the row, since the product runs on the close
 * and a missing volume does not make a close wrong.
 *
 * @param label the short file name used in warnings
 */
export function readPriceRows(table: CsvTable, file: string, label: string, layout: ResolvedLayout, onMissing: MissingPolicy): PriceRows {
  const { header } = table;
  const width = header.length;
  const n = table.recordCount;
  const dates: string[] = [];
  const close = new Float64Array(n);
  const keptRecords = new Int32Array(n);
  const dropped = new RepairTally();
  const at = (field: Field, line: number) => ({ file, line, column: field.header });
  const dateIndex = layout.date.index;
  const closeIndex = layout.close.index;
  // A close read as a rate or measure (`values: 'rate'`) may be 0 or negative; a price may not.
  const closeIsPrice = layout.close.kind !== 'measure';
  const rateHint = layout.name === 'fred' ? ' (a FRED rate or yield is read with the values option "rate", not as a price)' : '';
  let monthOnly = false;
  let previousDate = '';
  let monthPrefix = '';
  let previousLine = 0;
  let kept = 0;

  for (let r = 0; r < n; r++) {
    const found = table.width(r);
    const line = table.line(r);
    if (found !== width) {
      const column = header[Math.min(found, width - 1)];
      throw new InputError({ file, line, ...(column !== undefined ? { column } : {}) }, `expected ${width} fields as in the header, found ${found}`);
    }
    const dateText = table.cell(r, dateIndex).trim();
    const closeText = table.cell(r, closeIndex).trim();
    const emptyField = isMissing(dateText) ? layout.date : isMissing(closeText) ? layout.close : undefined;
    if (emptyField) {
      if (onMissing === 'error') {
        throw new InputError({ file, line, column: emptyField.header }, 'empty field (the missing-value policy is "error"; "drop" would skip the row)');
      }
      dropped.add(line);
      continue;
    }

    // Most rows take the quick check; a full parse would allocate a result per row.
    const quick = monthPrefix !== '' && sameMonthDay(dateText, monthPrefix);
    const date = quick ? undefined : readIsoDate(dateText);
    const iso = quick ? dateText : date?.iso;
    if (iso === undefined) {
      throw new InputError(at(layout.date, line), `${quoted(dateText)} is not a date (expected yyyy-MM-dd, or yyyy-MM for months)`);
    }
    const rowMonthOnly = date?.monthOnly ?? false;
    if (kept === 0) monthOnly = rowMonthOnly;
    else if (rowMonthOnly !== monthOnly) {
      const [given, earlier] = monthOnly ? ['yyyy-MM-dd', 'yyyy-MM'] : ['yyyy-MM', 'yyyy-MM-dd'];
      throw new InputError(at(layout.date, line), `${quoted(dateText)} is ${given} but the rows before are ${earlier}`);
    }
    if (iso <= previousDate) {
      throw new InputError(
        at(layout.date, line),
        iso === previousDate
          ? `date ${printable(dateText)} repeats the date on line ${previousLine}`
          : `date ${printable(dateText)} is earlier than ${printable(previousDate)} on line ${previousLine}: rows must be in ascending date order`,
      );
    }
    const price = readNumber(closeText);
    if (Number.isNaN(price)) throw new InputError(at(layout.close, line), `${quoted(closeText)} is not a number`);
    if (price <= 0 && closeIsPrice) {
      throw new InputError(at(layout.close, line), `price must be positive, found ${printable(closeText)}${rateHint}`);
    }

    dates.push(iso);
    close[kept] = price;
    keptRecords[kept] = r;
    kept++;
    if (!quick) monthPrefix = iso.slice(0, 8);
    previousDate = iso;
    previousLine = line;
  }

  const warnings: string[] = [];
  if (dropped.count > 0) {
    warnings.push(`${printable(label)}: dropped ${rows(dropped.count)} with an empty field ${dropped.describeLines()}`);
  }
  const columns: Record<string, Float64Array> = {};
  let firstError: InputError | undefined;
  for (const field of layout.extras) {
    const column = readExtraColumn(table, field, keptRecords.subarray(0, kept), file, label);
    if (column instanceof InputError) {
      if (firstError === undefined || column.location.line! < firstError.location.line!) firstError = column;
      continue;
    }
    columns[field.key] = column.values;
    warnings.push(...column.warnings);
  }
  if (firstError) throw firstError;
  return { dates, close: close.slice(0, kept), columns, rawRows: n, droppedRows: dropped.count, monthOnly, warnings };
}

/**
 * One extra column over the kept records: its values and repair warnings, or its first bad cell.
 * A column at a time rather than inside the row loop: small loops get compiled sooner, which
 * makes a cold load of gspc-daily.csv markedly cheaper.
 */
function readExtraColumn(table: CsvTable, field: Field, records: Int32Array, file: string, label: string): { values: Float64Array; warnings: string[] } | InputError {
  const values = new Float64Array(records.length);
  const empty = new RepairTally();
  const zero = new RepairTally();
  const zeroIsMissing = field.kind === 'price' || field.kind === 'zero-is-missing';
  const mustNotBeNegative = field.kind === 'price' || field.kind === 'volume';
  for (let k = 0; k < records.length; k++) {
    const r = records[k]!;
    const text = table.cell(r, field.index).trim();
    if (isMissing(text)) {
      values[k] = NaN;
      empty.add(table.line(r));
      continue;
    }
    const v = readNumber(text);
    if (Number.isNaN(v) || (v < 0 && mustNotBeNegative)) {
      const problem = Number.isNaN(v)
        ? `${quoted(text)} is not a number`
        : field.kind === 'price'
          ? `price must be positive, found ${printable(text)}`
          : `volume must not be negative, found ${printable(text)}`;
      return new InputError({ file, line: table.line(r), column: field.header }, problem);
    }
    if (v === 0 && zeroIsMissing) {
      values[k] = NaN;
      zero.add(table.line(r));
      continue;
    }
    values[k] = v;
  }
  const warnings: string[] = [];
  if (empty.count > 0) {
    warnings.push(`${printable(label)}: kept ${rows(empty.count)} with an empty ${printable(field.header)}, as no value there ${empty.describeLines()}`);
  }
  if (zero.count > 0) {
    warnings.push(`${printable(label)}: read 0 in ${printable(field.header)} as no value on ${rows(zero.count)} ${zero.describeLines()}`);
  }
  return { values, warnings };
}
