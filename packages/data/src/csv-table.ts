import { InputError } from '@backtest/core';
import { parse } from 'csv-parse/sync';

/**
 * The cells of a CSV file after its header, flat: record r holds
 * `cells[recordStart[r]] .. cells[recordStart[r + 1] - 1]` and sits on 1-based line `lines[r]`.
 * Flat because one array per record costs a third of the loading time in garbage collection.
 */
export interface CsvTable {
  readonly header: readonly string[];
  /** 0 when the file has no non-blank line. */
  readonly headerLine: number;
  readonly cells: readonly string[];
  /** Length: records + 1. */
  readonly recordStart: readonly number[];
  readonly lines: readonly number[];
}

/** Records in a table. */
export function recordCount(table: CsvTable): number {
  return table.lines.length;
}

/**
 * Splits CSV text into a header and records. Blank lines (anywhere, trailing ones included) carry
 * no data and are skipped; a UTF-8 BOM and CRLF line ends are accepted.
 *
 * Text with a quote character or a bare CR line end goes through csv-parse (RFC 4180 quoting,
 * embedded separators and line breaks). Text without either, as every file in ../shared/data,
 * has no quoting to interpret: a record is then exactly a line cut at its commas, and cutting by
 * hand is several times faster than csv-parse (gspc-daily.csv, cold: about 20 ms against 100 ms),
 * which keeps the CLI within its half-second budget. `csv-table.test.ts` checks that both paths
 * give the same table.
 */
export function readCsvTable(text: string, file: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return needsCsvParse(body) ? readWithCsvParse(body, file) : readQuoteFree(body);
}

function needsCsvParse(text: string): boolean {
  return text.includes('"') || /\r(?!\n)/.test(text);
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function readQuoteFree(text: string): CsvTable {
  const cells: string[] = [];
  const recordStart: number[] = [];
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
        header = text.slice(pos, stop).split(',').map((h) => h.trim());
        headerLine = line;
      } else {
        recordStart.push(cells.length);
        lines.push(line);
        for (let from = pos; ; ) {
          const comma = text.indexOf(',', from);
          if (comma < 0 || comma >= stop) {
            cells.push(text.slice(from, stop));
            break;
          }
          cells.push(text.slice(from, comma));
          from = comma + 1;
        }
      }
    }
    pos = end + 1;
  }
  recordStart.push(cells.length);
  return { header, headerLine, cells, recordStart, lines };
}

function readWithCsvParse(text: string, file: string): CsvTable {
  const cells: string[] = [];
  const recordStart: number[] = [];
  const lines: number[] = [];
  let header: string[] = [];
  let headerLine = 0;
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
          recordStart.push(cells.length);
          lines.push(context.lines);
          for (const cell of record) cells.push(cell);
        }
        return null;
      },
    });
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    const problem = `not readable as CSV: ${(err as Error).message}`;
    throw new InputError({ file, ...(typeof line === 'number' ? { line } : {}) }, problem);
  }
  recordStart.push(cells.length);
  return { header, headerLine, cells, recordStart, lines };
}
