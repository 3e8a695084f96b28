import { InputError } from '@backtest/core';
import fc from 'fast-check';
import { type CsvTable, readCsvTable, readQuoteFree, readWithCsvParse } from './csv-table';

/** A table as plain arrays, for readable expectations. */
function plain(t: CsvTable): { header: readonly string[]; headerLine: number; rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 0; r < t.recordCount; r++) {
    rows.push(Array.from({ length: t.width(r) }, (_, c) => t.cell(r, c)));
    lines.push(t.line(r));
  }
  return { header: t.header, headerLine: t.headerLine, rows, lines };
}

const records = (text: string) => plain(readCsvTable(text, 'f.csv'));

describe('readCsvTable', () => {
  it('splits a plain file and numbers lines from 1 at the header', () => {
    expect(records('date,close\n2020-01-02,3\n2020-01-03,4\n')).toEqual({
      header: ['date', 'close'],
      headerLine: 1,
      rows: [
        ['2020-01-02', '3'],
        ['2020-01-03', '4'],
      ],
      lines: [2, 3],
    });
  });

  it('empty text has no header', () => {
    expect(records('')).toEqual({ header: [], headerLine: 0, rows: [], lines: [] });
    expect(records('\uFEFF')).toEqual({ header: [], headerLine: 0, rows: [], lines: [] });
  });

  it('skips blank lines but keeps counting them', () => {
    expect(records('\n\ndate,close\n\n  \n2020-01-02,3\n\n\n')).toMatchObject({ headerLine: 3, lines: [6] });
  });

  it('drops a BOM and CR of CRLF', () => {
    expect(records('\uFEFFDate,Close\r\n2020-01-02,3\r\n')).toMatchObject({ header: ['Date', 'Close'], rows: [['2020-01-02', '3']] });
  });

  it('keeps empty cells, which the loader reads as missing', () => {
    expect(records('a,b,c\n,,\n1,,\n').rows).toEqual([
      ['', '', ''],
      ['1', '', ''],
    ]);
  });

  it('quoted cells: separators and line breaks inside, escaped quotes; the line is where the record ends', () => {
    const t = records('"Date","Adj Close"\n"2020-01-02","1,000.5"\n2020-01-03,"a\nb"\n2020-01-04,"say ""hi"""\n');
    expect(t.header).toEqual(['Date', 'Adj Close']);
    expect(t.rows).toEqual([
      ['2020-01-02', '1,000.5'],
      ['2020-01-03', 'a\nb'],
      ['2020-01-04', 'say "hi"'],
    ]);
    expect(t.lines).toEqual([2, 4, 5]);
  });

  it('a bare CR line end (old Mac files) goes through csv-parse', () => {
    expect(records('date,close\r2020-01-02,3\r2020-01-03,4\r').rows).toEqual([
      ['2020-01-02', '3'],
      ['2020-01-03', '4'],
    ]);
  });

  it('an unclosed quote is an InputError with the line', () => {
    let error: unknown;
    try {
      readCsvTable('date,close\n2020-01-02,"3\n2020-01-03,4\n', 'bad.csv');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^bad\.csv, line \d: not readable as CSV: .*Quote Not Closed/);
  });

  it('the hand splitter and csv-parse give the same table for any quote-free text', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '1', '.', '-', ' ', 'é'), maxLength: 6 });
    const line = fc.oneof(
      fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.join(',')),
      fc.constant(''),
    );
    const file = fc.record({
      lines: fc.array(line, { maxLength: 12 }),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      finalBreak: fc.boolean(),
    });
    fc.assert(
      fc.property(file, ({ lines, crlf, bom, finalBreak }) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (finalBreak ? eol : '');
        const body = bom ? text.slice(1) : text;
        expect(plain(readQuoteFree(body))).toEqual(plain(readWithCsvParse(body, 'f.csv')));
      }),
      { numRuns: 300 },
    );
  });
});
