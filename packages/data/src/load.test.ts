import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@backtest/core';
import { loadCsvFile } from './load';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backtest-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCsvFile', () => {
  it('returns the resolved path, the SHA-256 of the bytes and the row counts', () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'date,close\n2020-01-31,100\n');
    const r = loadCsvFile(file);
    // From `printf 'date,close\n2020-01-31,100\n' | sha256sum`.
    expect(r.sha256).toBe('25b75ce95ae61220b3465a8a9b052086180bfd1f45036e633000cef779e2801f');
    expect(r.path).toBe(file);
    expect(r.rawRows).toBe(1);
    expect(r.droppedRows).toBe(0);
    expect(r.series.source).toBe('one.csv');
  });

  it('hashes the file as stored, BOM and CRLF included', () => {
    const file = join(dir, 'bom.csv');
    writeFileSync(file, '\uFEFFdate,close\r\n2020-01-31,100\r\n');
    const r = loadCsvFile(file);
    expect(r.sha256).not.toBe('25b75ce95ae61220b3465a8a9b052086180bfd1f45036e633000cef779e2801f');
    expect([...r.series.close]).toEqual([100]);
  });

  it('a missing file', () => {
    const file = join(dir, 'nope.csv');
    expect(() => loadCsvFile(file)).toThrow(new InputError({ file }, `no such file (looked for ${file})`));
  });

  it('a directory', () => {
    expect(() => loadCsvFile(dir)).toThrow(`${dir}: is a directory, not a CSV file`);
  });

  it('a 10 MB generated file loads and resamples correctly', () => {
    // Weekday rows from 1000-01 for 1070 whole years; a month's close is its last weekday's value.
    const lines = ['date,open,close,volume'];
    const expectedMonthEnds = new Map<string, number>();
    for (let t = Date.UTC(1000, 0, 1); t < Date.UTC(2070, 0, 1); t += 86_400_000) {
      const day = new Date(t);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const iso = day.toISOString().slice(0, 10);
      const close = 100 + (lines.length % 997) / 8;
      lines.push(`${iso},${close.toFixed(4)},${close.toFixed(4)},${lines.length * 7}`);
      expectedMonthEnds.set(iso.slice(0, 7), close);
    }
    const file = join(dir, 'big.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(statSync(file).size).toBeGreaterThan(10_000_000);

    // Its speed is measured by the benchmarks (bench/cases/data-load.js), not here.
    const r = loadCsvFile(file);

    expect(r.rawRows).toBe(lines.length - 1);
    expect(r.series.dates).toHaveLength(1070 * 12);
    expect(r.warnings).toEqual([]);
    const months = [...expectedMonthEnds.entries()];
    for (const m of [0, 1, 5000, months.length - 1]) {
      expect(r.series.dates[m]!.slice(0, 7)).toBe(months[m]![0]);
      expect(r.series.close[m]).toBeCloseTo(months[m]![1], 4);
    }
  });
});
