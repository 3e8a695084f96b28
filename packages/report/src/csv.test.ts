import { formatCsv, parseCsv, parseNumber } from './csv';

describe('run folder CSV', () => {
  it('round-trips numbers exactly, missing values as empty fields, and fields that need quotes', () => {
    const values = [0.1 + 0.2, -1e-300, 123456789.123456789, -0, 1 / 3];
    const text = formatCsv(['name', 'value', 'missing'], [
      ['a, "quoted" one', values[0], NaN],
      ['multi\nline', values[1], undefined],
      ['plain', values[2], 3],
      ['tiny', values[3], Infinity],
      ['third', values[4], 0],
    ]);
    const t = parseCsv(text, 'x.csv');
    expect(t.header).toEqual(['name', 'value', 'missing']);
    expect(t.rows.map((r) => r[0])).toEqual(['a, "quoted" one', 'multi\nline', 'plain', 'tiny', 'third']);
    expect(t.rows.map((r) => parseNumber(r[1]!, 'x'))).toEqual(values);
    expect(t.rows.map((r) => r[2])).toEqual(['', '', '3', '', '0']);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'f.csv')).toThrow('f.csv, line 3: 1 fields, but the header has 2');
    expect(() => parseNumber('1.2.3', 'f.csv, line 4, column x')).toThrow('f.csv, line 4, column x: "1.2.3" is not a number');
    expect(() => parseCsv('', 'e.csv')).toThrow('empty file');
  });

  it('refuses a row whose length differs from the header when writing', () => {
    expect(() => formatCsv(['a', 'b'], [[1]])).toThrow('1 fields, header has 2');
  });
});
