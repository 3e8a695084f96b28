/**
 * The project's one reader of input files that must be regular files of a sane size (data files,
 * the files of a run folder), and the one cap on their size. `readRegularFile(path, { what })`:
 * - refuses, by name, what is not a regular file: a directory, a FIFO (reading one waits for a
 *   writer), a device such as /dev/zero (read without end) or a socket, and is never blocked by
 *   one: the path is checked before it is opened, opened with O_NONBLOCK, and the open
 *   descriptor checked again (fstat), so a FIFO or a device swapped in between is refused too;
 * - refuses a file larger than the cap (`maxFileBytes`: BACKTEST_MAX_FILE_MB, or 256 MB), and
 *   reads at most the size it checked;
 * - turns the system's refusals (no such file, a file where a folder should be, permission
 *   denied) into an InputError naming the file, exit 2, never a raw error.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, UserError } from './errors';
import { printable } from './terminal-text';

/** The largest file read, in MB (2^20 bytes), unless BACKTEST_MAX_FILE_MB says otherwise. */
export const DEFAULT_MAX_FILE_MB = 256;
const MB = 1 << 20;
/** Longest path shown in a message. */
const SHOWN_PATH = 1024;

/** The cap on an input file's size in bytes: BACKTEST_MAX_FILE_MB (a positive number of MB) or 256 MB. */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.BACKTEST_MAX_FILE_MB;
  if (text === undefined || text.trim() === '') return DEFAULT_MAX_FILE_MB * MB;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new UserError(`BACKTEST_MAX_FILE_MB must be a positive number of megabytes, not ${JSON.stringify(text)}`);
  }
  return Math.floor(mb * MB);
}

/** `300.5 MB (315097088 bytes)`; small sizes keep up to three decimals (`0.001 MB`). */
export function megabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${Number(mb.toFixed(mb >= 10 ? 1 : 3))} MB (${bytes} bytes)`;
}

export interface ReadRegularFileOptions {
  /** What the file is, with its article, for the messages: `a data file` ("a data file must be a file on disk"). */
  readonly what: string;
  /** What a directory found at the path should have been (`a CSV file`: "is a directory, not a CSV file"); `what` by default. */
  readonly notDirectory?: string;
  /** The largest size accepted, in bytes; `maxFileBytes()` by default. */
  readonly maxBytes?: number;
  /** A missing file (nothing at the path, or a file where one of its folders should be) is `undefined`, not an error. */
  readonly optional?: boolean;
}

/** Why the path cannot be read, as a sentence after its name; undefined when it is a regular file within the cap. */
function problemWith(st: Stats, cap: number, o: ReadRegularFileOptions): string | undefined {
  const onDisk = `not a regular file: ${o.what} must be a file on disk`;
  if (st.isDirectory()) return `is a directory, not ${o.notDirectory ?? o.what}`;
  if (st.isFIFO()) return `is a FIFO (named pipe), ${onDisk}`;
  if (st.isCharacterDevice()) return `is a character device (such as /dev/zero), ${onDisk}`;
  if (st.isBlockDevice()) return `is a block device, ${onDisk}`;
  if (st.isSocket()) return `is a socket, ${onDisk}`;
  if (!st.isFile()) return `is ${onDisk}`;
  if (st.size > cap) {
    return (
      `is ${megabytes(st.size)}, larger than the ${megabytes(cap)} ${o.what} may have; ` +
      'set BACKTEST_MAX_FILE_MB to raise the limit (Node cannot hold a text of more than about 512 MB)'
    );
  }
  return undefined;
}

/** The nearest existing ancestor of `abs` when it is not a directory (why ENOTDIR), if one is found. */
function fileInTheWay(abs: string): string | undefined {
  for (let dir = dirname(abs); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return statSync(dir).isDirectory() ? undefined : dir;
    } catch {
      // not there either: look further up
    }
  }
  return undefined;
}

/** The system's refusal to stat, open or read `path`, as an InputError naming it. */
function cannotRead(path: string, err: unknown, o: ReadRegularFileOptions): InputError {
  const e = err as NodeJS.ErrnoException;
  const abs = resolve(path);
  switch (e.code) {
    case 'ENOENT':
      return new InputError({ file: path }, `no such file (looked for ${printable(abs, SHOWN_PATH)})`);
    case 'ENOTDIR': {
      const file = fileInTheWay(abs);
      const why = file === undefined ? 'a folder on its path is not a folder' : `${printable(file, SHOWN_PATH)} is a file, not a folder`;
      return new InputError({ file: path }, `no such file (looked for ${printable(abs, SHOWN_PATH)}, but ${why})`);
    }
    case 'EISDIR':
      return new InputError({ file: path }, `is a directory, not ${o.notDirectory ?? o.what}`);
    case 'EACCES':
    case 'EPERM':
      return new InputError({ file: path }, 'cannot be read: permission denied');
    default:
      return new InputError({ file: path }, `cannot be read: ${e.message}`);
  }
}

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * The bytes of `path`, a regular file no larger than the cap (see the module's comment); an
 * InputError naming the file otherwise. With `optional`, a missing file is `undefined`.
 */
export function readRegularFile(path: string, options: ReadRegularFileOptions & { readonly optional: true }): Buffer | undefined;
export function readRegularFile(path: string, options: ReadRegularFileOptions): Buffer;
export function readRegularFile(path: string, options: ReadRegularFileOptions): Buffer | undefined {
  const cap = options.maxBytes ?? maxFileBytes();
  const refuse = (st: Stats) => {
    const problem = problemWith(st, cap, options);
    if (problem !== undefined) throw new InputError({ file: path }, problem);
  };
  let fd: number;
  try {
    // By path first: opening a FIFO or a device by mistake is never needed to refuse it.
    refuse(statSync(path));
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (options.optional && isMissing(err)) return undefined;
    throw cannotRead(path, err, options);
  }
  try {
    // Again on what was opened: a FIFO swapped in after the check opens at once (O_NONBLOCK) and is refused here.
    const st = fstatSync(fd);
    refuse(st);
    const bytes = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < bytes.length) {
      const got = readSync(fd, bytes, n, bytes.length - n, null);
      if (got === 0) break; // shorter than its size said: truncated while we read
      n += got;
    }
    return n === bytes.length ? bytes : bytes.subarray(0, n);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw cannotRead(path, err, options);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a file read as UTF-8 text; past V8's longest string (a cap raised above ~512 MB), an InputError naming the file. */
export function fileText(bytes: Buffer, path: string): string {
  try {
    return bytes.toString('utf8');
  } catch (err) {
    throw new InputError({ file: path }, `is ${megabytes(bytes.length)}, too large to read as text (${(err as Error).message})`);
  }
}
