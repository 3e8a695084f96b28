/**
 * Reading back the files of run folders, written in the project's CSV dialect (`formatCsv` in
 * @backtest/core, re-exported here).
 */
import { InputError, type InputLocation, UserError } from '@backtest/core';
import { quoted, quotedList } from '@backtest/core/internal';

export { formatCsv } from '@backtest/core/internal';

/** A parsed CSV document: the header and the rows, as strings, and the line each row starts on. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** 1-based line of the file where each row starts (blank lines and quoted line breaks counted). */
  readonly lines: readonly number[];
  /** 1-based line of the header. */
  readonly headerLine: number;
}

/** Parses `text` (from `file`, for messages); every row must have the header's length. */
export function parseCsv(text: string, file: string): CsvTable {
  const records: string[][] = [];
  const starts: number[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) {
      records.push(record);
      starts.push(start);
    }
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      start = ++line;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new InputError({ file, line: start }, 'unterminated quoted field at the end of the file');
  if (field !== '' || record.length) endRecord();
  const [header, ...rows] = records;
  if (!header) throw new UserError(`${file}: empty file, expected a header row`);
  const lines = starts.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new InputError({ file, line: lines[k]! }, `${r.length} fields, but the header has ${header.length}`);
    }
  });
  return { header, rows, lines, headerLine: starts[0]! };
}

/** A number as the run folder's files write it (`String(n)`): digits, a point, an exponent; nothing else. */
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell quoted, control characters escaped and cut to 40 characters: safe to print on a terminal. */
function cellText(text: string): string {
  return quoted(text, 40);
}

/** A number field at `where` (file, line, column): empty is NaN (a missing value); anything else must be a finite number. */
export function numberAt(text: string, where: InputLocation): number {
  if (text === '') return NaN;
  const v = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new InputError(where, `expected a number, found ${cellText(text)}`);
  return v;
}

/** The index of a required column, or an error that names the file and the column. */
export function columnIndex(table: CsvTable, name: string, file: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new InputError({ file, line: table.headerLine, column: name }, `no such column (columns: ${quotedList(table.header, 20, 40)})`);
  return i;
}
