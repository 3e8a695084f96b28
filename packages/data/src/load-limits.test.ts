import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, UserError } from '@backtest/core';
import { DEFAULT_MAX_FILE_MB, maxFileBytes } from '@backtest/core/internal';
import { thrownBy } from '@backtest/core/testing';
import { loadCsvFile } from './load';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backtest-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.BACKTEST_MAX_FILE_MB;
});

const inputError = (f: () => unknown): InputError => thrownBy(f, InputError);

describe('loadCsvFile checks what it opens before reading it', () => {
  it('refuses a character device such as /dev/zero, naming it, without reading', () => {
    if (!existsSync('/dev/zero')) return;
    const e = inputError(() => loadCsvFile('/dev/zero'));
    expect(e.message).toBe('/dev/zero: is a character device (such as /dev/zero), not a regular file: a data file must be a file on disk');
    expect(e.location.file).toBe('/dev/zero');
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.csv');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo (Windows)
    expect(inputError(() => loadCsvFile(fifo)).message).toBe(`${fifo}: is a FIFO (named pipe), not a regular file: a data file must be a file on disk`);
  });

  it('refuses a directory', () => {
    expect(inputError(() => loadCsvFile(dir)).message).toBe(`${dir}: is a directory, not a CSV file`);
  });

  it('refuses a file over the cap (256 MB by default), naming its size and the cap, before reading a byte', () => {
    // Sparse: 300 MB of size, no blocks on disk.
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    closeSync(fd);
    require('node:fs').truncateSync(big, 300 * 2 ** 20);
    expect(maxFileBytes()).toBe(DEFAULT_MAX_FILE_MB * 2 ** 20);
    expect(inputError(() => loadCsvFile(big)).message).toBe(
      `${big}: is 300 MB (314572800 bytes), larger than the 256 MB (268435456 bytes) a data file may have; set BACKTEST_MAX_FILE_MB to raise the limit (Node cannot hold a text of more than about 512 MB)`,
    );
  });

  it('BACKTEST_MAX_FILE_MB sets the cap; a bad value is refused by name', () => {
    const file = join(dir, 'small.csv');
    const rows = Array.from({ length: 100 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${100 + i}`);
    writeFileSync(file, `${['date,close', ...rows].join('\n')}\n`);
    process.env.BACKTEST_MAX_FILE_MB = '0.001';
    expect(inputError(() => loadCsvFile(file)).message).toMatch(
      /small\.csv: is 0\.001 MB \(1211 bytes\), larger than the 0\.001 MB \(1048 bytes\) a data file may have; set BACKTEST_MAX_FILE_MB/,
    );
    process.env.BACKTEST_MAX_FILE_MB = '1';
    expect(loadCsvFile(file).series.close.length).toBe(100);
    for (const bad of ['0', '-5', 'lots']) {
      process.env.BACKTEST_MAX_FILE_MB = bad;
      expect(() => loadCsvFile(file)).toThrow(new UserError(`BACKTEST_MAX_FILE_MB must be a positive number of megabytes, not ${JSON.stringify(bad)}`));
    }
  });
});
