import { InputError } from '@backtest/core';
import { printable } from '@backtest/core/internal';

/** The records of a CSV file after its header, each with the 1-based line it sits on. */
export interface CsvTable {
  readonly header: readonly string[];
  /** 0 when the file has no non-blank line. */
  readonly headerLine: number;
  readonly recordCount: number;
  line(record: number): number;
  /** Cells in the record (the header's width when the row is well formed). */
  width(record: number): number;
  /** A cell's text, untrimmed; `column` must be below `width(record)`. */
  cell(record: number, column: number): string;
}

/**
 * Splits CSV text into a header and records. Blank lines (anywhere, trailing ones included) carry
 * no data and are skipped; a UTF-8 BOM and CRLF line ends are accepted.
 *
 * Text with a quote character or a bare CR line end goes through csv-parse (RFC 4180 quoting,
 * embedded separators and line breaks). Text without either, as every file in ../shared/data,
 * has no quoting to interpret: a record is then exactly a line cut at its commas. Cutting by hand,
 * and cutting out a cell's text only when it is read, is several times faster than csv-parse
 * (gspc-daily.csv, cold: about 15 ms against 100 ms), mostly because a million cells kept alive
 * until the end of parsing make the garbage collector copy them; this keeps the CLI within its
 * half-second budget. `csv-table.test.ts` checks that both paths give the same table.
 */
export function readCsvTable(text: string, file: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return needsCsvParse(body) ? readWithCsvParse(body, file) : readQuoteFree(body);
}

function needsCsvParse(text: string): boolean {
  if (text.includes('"')) return true;
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) {
    if (text.charCodeAt(cr + 1) !== 10) return true;
  }
  return false;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Exported for the test that compares it with csv-parse. */
export function readQuoteFree(text: string): CsvTable {
  // Offsets only: cell k of record r starts at cellStart[firstCell[r] + k] and ends before the
  // next cell's comma, or at recordEnd[r] for the last cell.
  const cellStart: number[] = [];
  const firstCell: number[] = [];
  const recordEnd: number[] = [];
  const lines: number[] = [];
  let header: string[] = [];
  let headerLine = 0;
  let line = 0;
  for (let pos = 0; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    line++;
    const stop = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (!isBlank(text, pos, stop)) {
      if (headerLine === 0) {
        header = text
          .slice(pos, stop)
          .split(',')
          .map((h) => h.trim());
        headerLine = line;
      } else {
        firstCell.push(cellStart.length);
        recordEnd.push(stop);
        lines.push(line);
        cellStart.push(pos);
        for (let comma = text.indexOf(',', pos); comma >= 0 && comma < stop; comma = text.indexOf(',', comma + 1)) {
          cellStart.push(comma + 1);
        }
      }
    }
    pos = end + 1;
  }
  firstCell.push(cellStart.length);
  return {
    header,
    headerLine,
    recordCount: lines.length,
    line: (r) => lines[r]!,
    width: (r) => firstCell[r + 1]! - firstCell[r]!,
    cell(r, c) {
      const k = firstCell[r]! + c;
      const end = k + 1 < firstCell[r + 1]! ? cellStart[k + 1]! - 1 : recordEnd[r]!;
      return text.slice(cellStart[k]!, end);
    },
  };
}

export function readWithCsvParse(text: string, file: string): CsvTable {
  const records: string[][] = [];
  const lines: number[] = [];
  let header: string[] = [];
  let headerLine = 0;
  // Loaded on first use: files without quotes, the common case, never need it.
  const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
  try {
    parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        if (record.length === 1 && record[0]!.trim() === '') return null;
        // For a record spanning several lines (a quoted line break) this is its last line.
        if (headerLine === 0) {
          header = record.map((h) => h.trim());
          headerLine = context.lines;
        } else {
          records.push(record);
          lines.push(context.lines);
        }
        return null;
      },
    });
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    // csv-parse's message may quote the file's text.
    const problem = `not readable as CSV: ${printable((err as Error).message, 300)}`;
    throw new InputError({ file, ...(typeof line === 'number' ? { line } : {}) }, problem);
  }
  return {
    header,
    headerLine,
    recordCount: records.length,
    line: (r) => lines[r]!,
    width: (r) => records[r]!.length,
    cell: (r, c) => records[r]![c]!,
  };
}
