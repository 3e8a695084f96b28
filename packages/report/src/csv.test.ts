import { formatCsv, numberAt, parseCsv } from './csv';

describe('run folder CSV', () => {
  it('round-trips numbers exactly, missing values as empty fields, and fields that need quotes', () => {
    const values = [0.1 + 0.2, -1e-300, 123456789.12345679, -0, 1 / 3];
    const text = formatCsv(
      ['name', 'value', 'missing'],
      [
        ['a, "quoted" one', values[0], NaN],
        ['multi\nline', values[1], undefined],
        ['plain', values[2], 3],
        ['tiny', values[3], Infinity],
        ['third', values[4], 0],
      ],
    );
    const t = parseCsv(text, 'x.csv');
    expect(t.header).toEqual(['name', 'value', 'missing']);
    expect(t.rows.map((r) => r[0])).toEqual(['a, "quoted" one', 'multi\nline', 'plain', 'tiny', 'third']);
    expect(t.rows.map((r, k) => numberAt(r[1]!, { file: 'x.csv', line: t.lines[k]!, column: 'value' }))).toEqual(values);
    expect(t.rows.map((r) => r[2])).toEqual(['', '', '3', '', '0']);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'f.csv')).toThrow('f.csv, line 3: 1 fields, but the header has 2');
    expect(() => numberAt('1.2.3', { file: 'f.csv', line: 4, column: 'x' })).toThrow('f.csv, line 4, column "x": expected a number, found "1.2.3"');
    expect(() => parseCsv('', 'e.csv')).toThrow('empty file');
  });

  it('knows the line each row starts on, past blank lines and quoted line breaks, and reads numbers strictly', () => {
    const t = parseCsv('\na,b\n1,"x\ny"\n\n2,z\r\n3,w', 'f.csv');
    expect([t.headerLine, ...t.lines]).toEqual([2, 3, 6, 7]);
    expect(() => parseCsv('a,b\n1,"x\ny"\n2\n', 'f.csv')).toThrow('f.csv, line 4: 1 fields, but the header has 2');
    for (const bad of ['NaN', 'Infinity', '1e999', '0x10', ' 1', '1,5', '--1']) {
      expect(() => numberAt(bad, { file: 'f.csv', line: 9, column: 'close' })).toThrow(`f.csv, line 9, column "close": expected a number, found "${bad}"`);
    }
    // biome-ignore lint/correctness/noPrecisionLoss: the 20-digit text must parse to the same nearest double as the same literal
    expect(['-0', '1e-300', '.5', '5.', '12345678901234567890'].map((v) => numberAt(v, { file: 'f' }))).toEqual([-0, 1e-300, 0.5, 5, 12345678901234567890]);
  });

  it('refuses a row whose length differs from the header when writing', () => {
    expect(() => formatCsv(['a', 'b'], [[1]])).toThrow('1 fields, header has 2');
  });
});
