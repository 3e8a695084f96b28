/**
 * Reading back the files of run folders, written in the project's CSV dialect (`formatCsv` in
 * @backtest/core, re-exported here).
 */
import { UserError } from '@backtest/core';

export { type CsvCell, formatCsv } from '@backtest/core';

/** A parsed CSV document: the header and the rows, as strings. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Parses `text` (from `file`, for messages); every row must have the header's length. */
export function parseCsv(text: string, file: string): CsvTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"') (quoted = true), i++;
    else if (ch === ',') record.push(field), (field = ''), i++;
    else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else (field += ch), i++;
  }
  if (quoted) throw new UserError(`${file}: unterminated quoted field at the end of the file`);
  if (field !== '' || record.length) endRecord();
  const [header, ...rows] = records;
  if (!header) throw new UserError(`${file}: empty file, expected a header row`);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new UserError(`${file}, line ${k + 2}: ${r.length} fields, but the header has ${header.length}`);
    }
  });
  return { header, rows };
}

/** A number field: empty is NaN (a missing value), anything else must parse completely. */
export function parseNumber(text: string, where: string): number {
  if (text === '') return NaN;
  const v = Number(text);
  if (Number.isNaN(v)) throw new UserError(`${where}: "${text}" is not a number`);
  return v;
}

/** The index of a required column, or an error that names the file and the column. */
export function columnIndex(table: CsvTable, name: string, file: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new UserError(`${file}: no column "${name}" (columns: ${table.header.join(', ')})`);
  return i;
}
