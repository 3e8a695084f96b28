import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, UserError } from './errors';
import { DEFAULT_MAX_FILE_MB, fileText, maxFileBytes, megabytes, readRegularFile } from './read-file';
import { thrownBy } from './testing';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'read-file-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.BACKTEST_MAX_FILE_MB;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The module object itself (an `import * as` namespace has read-only bindings), for spies. */
const fsModule = require('node:fs') as typeof fs;
const DATA = { what: 'a data file', notDirectory: 'a CSV file' } as const;

/** The InputError `f` throws (anything else fails the test). */
const inputError = (f: () => unknown): InputError => thrownBy(f, InputError);

/** A FIFO in the temporary folder, or undefined where there is no mkfifo (Windows). */
function fifo(name: string): string | undefined {
  const p = path.join(tmp, name);
  return spawnSync('mkfifo', [p]).status === 0 ? p : undefined;
}

/**
 * Opens as the real openSync does, except that a path in `wouldBlock` opened without O_NONBLOCK
 * fails at once instead of waiting for a writer for ever: a reader that forgot the flag fails
 * the test rather than hanging it.
 */
function guardOpen(wouldBlock: string[]): { flags: number[] } {
  const real = fsModule.openSync;
  const seen = { flags: [] as number[] };
  jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    seen.flags.push(Number(flags));
    if (wouldBlock.includes(String(p)) && !(Number(flags) & fs.constants.O_NONBLOCK)) throw new Error(`${String(p)} opened without O_NONBLOCK: this open would block`);
    return real(p, flags as fs.OpenMode, mode);
  }) as typeof fs.openSync);
  return seen;
}

/** statSync of `p` says what `as` is (a regular file, say), as if `p` was swapped after the check by path. */
function statSaysFor(p: string, as: string): void {
  const real = fsModule.statSync;
  const stats = real(as);
  jest.spyOn(fsModule, 'statSync').mockImplementation(((q: fs.PathLike, o?: fs.StatSyncOptions) => (String(q) === p ? stats : real(q, o))) as typeof fs.statSync);
}

describe('readRegularFile', () => {
  it('returns the bytes of a regular file, exactly', () => {
    const file = path.join(tmp, 'a.bin');
    const bytes = Uint8Array.from([0, 1, 2, 255, 10, 13]);
    fs.writeFileSync(file, bytes);
    expect(Array.from(readRegularFile(file, DATA))).toEqual(Array.from(bytes));
    fs.writeFileSync(file, '');
    expect(readRegularFile(file, DATA).length).toBe(0);
  });

  it('a missing file is an InputError naming it and where it was looked for; optional, it is undefined', () => {
    const file = path.join(tmp, 'nope.csv');
    expect(() => readRegularFile(file, DATA)).toThrow(new InputError({ file }, `no such file (looked for ${file})`));
    const relative = path.relative(process.cwd(), file);
    expect(inputError(() => readRegularFile(relative, DATA)).message).toBe(`${relative}: no such file (looked for ${file})`);
    expect(readRegularFile(file, { ...DATA, optional: true })).toBeUndefined();
  });

  it('a path whose parent is a regular file (ENOTDIR) names the file in the way; optional, it is missing', () => {
    const parent = path.join(tmp, 'plain.txt');
    fs.writeFileSync(parent, 'x');
    const file = path.join(parent, 'sub', 'data.csv');
    expect(inputError(() => readRegularFile(file, DATA)).message).toBe(`${file}: no such file (looked for ${file}, but ${parent} is a file, not a folder)`);
    expect(readRegularFile(file, { ...DATA, optional: true })).toBeUndefined();
  });

  it('a directory is refused, with what it should have been', () => {
    expect(inputError(() => readRegularFile(tmp, DATA)).message).toBe(`${tmp}: is a directory, not a CSV file`);
    expect(inputError(() => readRegularFile(tmp, { what: 'a settings file' })).message).toBe(`${tmp}: is a directory, not a settings file`);
    // optional does not hide it: something is there, and it is not a file.
    expect(() => readRegularFile(tmp, { ...DATA, optional: true })).toThrow('is a directory');
  });

  it('a FIFO is refused without blocking, by path, never opened', () => {
    const pipe = fifo('pipe.csv');
    if (!pipe) return;
    const opened = guardOpen([pipe]);
    expect(inputError(() => readRegularFile(pipe, DATA)).message).toBe(`${pipe}: is a FIFO (named pipe), not a regular file: a data file must be a file on disk`);
    expect(opened.flags).toEqual([]);
  });

  it('a FIFO swapped in after the check by path is opened without blocking and refused on its descriptor', () => {
    const pipe = fifo('swapped.csv');
    if (!pipe) return;
    const regular = path.join(tmp, 'regular.csv');
    fs.writeFileSync(regular, 'date,close\n');
    statSaysFor(pipe, regular);
    const opened = guardOpen([pipe]);
    expect(inputError(() => readRegularFile(pipe, { what: "a run folder's file" })).message).toBe(
      `${pipe}: is a FIFO (named pipe), not a regular file: a run folder's file must be a file on disk`,
    );
    expect(opened.flags).toHaveLength(1);
    expect(opened.flags[0]! & fs.constants.O_NONBLOCK).toBe(fs.constants.O_NONBLOCK);
  });

  it('a directory swapped in, or a file grown past the cap, after the check by path is refused on its descriptor', () => {
    const small = path.join(tmp, 'small.csv');
    fs.writeFileSync(small, 'x');
    const dir = path.join(tmp, 'dir');
    fs.mkdirSync(dir);
    statSaysFor(dir, small);
    expect(inputError(() => readRegularFile(dir, DATA)).message).toBe(`${dir}: is a directory, not a CSV file`);
    jest.restoreAllMocks();
    const big = path.join(tmp, 'big.csv');
    fs.writeFileSync(big, 'x'.repeat(2000));
    statSaysFor(big, small);
    expect(inputError(() => readRegularFile(big, { ...DATA, maxBytes: 1000 })).message).toMatch(
      /^\S+big\.csv: is 0\.002 MB \(2000 bytes\), larger than the 0\.001 MB \(1000 bytes\) a data file may have/,
    );
  });

  it('a character device such as /dev/zero is refused, never read', () => {
    const opened = guardOpen([]);
    expect(inputError(() => readRegularFile('/dev/zero', DATA)).message).toBe(
      '/dev/zero: is a character device (such as /dev/zero), not a regular file: a data file must be a file on disk',
    );
    expect(opened.flags).toEqual([]);
  });

  it('a file over the cap is refused naming its size and the cap, before a byte is read', () => {
    const file = path.join(tmp, 'big.csv');
    fs.writeFileSync(file, 'x'.repeat(1500));
    const read = jest.spyOn(fsModule, 'readSync');
    expect(inputError(() => readRegularFile(file, { ...DATA, maxBytes: 1048 })).message).toBe(
      `${file}: is 0.001 MB (1500 bytes), larger than the 0.001 MB (1048 bytes) a data file may have; ` +
        'set BACKTEST_MAX_FILE_MB to raise the limit (Node cannot hold a text of more than about 512 MB)',
    );
    expect(read).not.toHaveBeenCalled();
    // The default cap is BACKTEST_MAX_FILE_MB's.
    process.env.BACKTEST_MAX_FILE_MB = '0.001';
    expect(() => readRegularFile(file, DATA)).toThrow('larger than the 0.001 MB (1048 bytes) a data file may have');
    process.env.BACKTEST_MAX_FILE_MB = '1';
    expect(readRegularFile(file, DATA).length).toBe(1500);
  });

  it('permission denied is an InputError naming the file (a real unreadable file unless root, and the refusal simulated)', () => {
    const file = path.join(tmp, 'secret.csv');
    fs.writeFileSync(file, 'x');
    if (process.getuid?.() !== 0) {
      // Root reads anyway: a folder without permissions stops everyone else.
      const locked = path.join(tmp, 'locked');
      fs.mkdirSync(locked);
      fs.writeFileSync(path.join(locked, 'in.csv'), 'x');
      fs.chmodSync(locked, 0);
      try {
        expect(inputError(() => readRegularFile(path.join(locked, 'in.csv'), { ...DATA, optional: true })).message).toBe(
          `${path.join(locked, 'in.csv')}: cannot be read: permission denied`,
        );
      } finally {
        fs.chmodSync(locked, 0o755);
      }
    }
    jest.spyOn(fsModule, 'openSync').mockImplementation(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
    });
    const e = inputError(() => readRegularFile(file, { ...DATA, optional: true }));
    expect(e.message).toBe(`${file}: cannot be read: permission denied`);
    expect(e.exitCode).toBe(2);
  });

  it('any other failure of the system while reading is an InputError naming the file, and the descriptor is closed', () => {
    const file = path.join(tmp, 'io.csv');
    fs.writeFileSync(file, 'x');
    const close = jest.spyOn(fsModule, 'closeSync');
    jest.spyOn(fsModule, 'readSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    });
    expect(inputError(() => readRegularFile(file, DATA)).message).toBe(`${file}: cannot be read: EIO: i/o error, read`);
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('maxFileBytes', () => {
  it('is 256 MB by default, BACKTEST_MAX_FILE_MB otherwise, and refuses a value that is not a positive number', () => {
    expect(maxFileBytes({})).toBe(DEFAULT_MAX_FILE_MB * 2 ** 20);
    expect(maxFileBytes({ BACKTEST_MAX_FILE_MB: ' ' })).toBe(256 * 2 ** 20);
    expect(maxFileBytes({ BACKTEST_MAX_FILE_MB: '0.5' })).toBe(2 ** 19);
    for (const bad of ['0', '-5', 'lots', 'Infinity']) {
      expect(() => maxFileBytes({ BACKTEST_MAX_FILE_MB: bad })).toThrow(new UserError(`BACKTEST_MAX_FILE_MB must be a positive number of megabytes, not ${JSON.stringify(bad)}`));
    }
    expect([megabytes(314572800), megabytes(1048)]).toEqual(['300 MB (314572800 bytes)', '0.001 MB (1048 bytes)']);
  });
});

describe('fileText', () => {
  it('decodes UTF-8, and a text too long for a string is an InputError naming the file', () => {
    expect(fileText(Buffer.from('é,1\n'), 'f.csv')).toBe('é,1\n');
    const huge = {
      length: 600 * 2 ** 20,
      toString: () => {
        throw new Error('Cannot create a string longer than 0x1fffffe8 characters');
      },
    } as unknown as Buffer;
    expect(() => fileText(huge, 'f.csv')).toThrow(
      new InputError({ file: 'f.csv' }, 'is 600 MB (629145600 bytes), too large to read as text (Cannot create a string longer than 0x1fffffe8 characters)'),
    );
  });
});
