import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, printable, UserError } from '@backtest/core';
import { type LoadOptions, type ParsedData, parseCsvText } from './parse-csv';

/** A file read into a series, with its resolved path and SHA-256 for reports. */
export interface LoadedData extends ParsedData {
  readonly path: string;
  readonly sha256: string;
  /**
   * Where a named dataset was found: a file in a data directory, or the month-end extract
   * embedded in the data package. Undefined for a file named directly.
   */
  readonly origin?: 'data directory' | 'embedded';
}

/** The largest data file read, in MB (2^20 bytes), unless BACKTEST_MAX_FILE_MB says otherwise. */
export const DEFAULT_MAX_FILE_MB = 256;
const MB = 1 << 20;

/** The cap on a data file's size in bytes: BACKTEST_MAX_FILE_MB (a positive number of MB) or 256 MB. */
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
function megabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${Number(mb.toFixed(mb >= 10 ? 1 : 3))} MB (${bytes} bytes)`;
}

/** What a path is when it is not a regular file, for the message. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory, not a CSV file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a regular file: a data file must be a file on disk';
  if (st.isCharacterDevice()) return 'is a character device (such as /dev/zero), not a regular file: a data file must be a file on disk';
  if (st.isBlockDevice()) return 'is a block device, not a regular file: a data file must be a file on disk';
  if (st.isSocket()) return 'is a socket, not a regular file: a data file must be a file on disk';
  return 'is not a regular file: a data file must be a file on disk';
}

function checkFile(path: string, st: Stats, cap: number): void {
  const problem = notRegular(st);
  if (problem) throw new InputError({ file: path }, problem);
  if (st.size > cap) {
    throw new InputError(
      { file: path },
      `is ${megabytes(st.size)}, larger than the ${megabytes(cap)} a data file may have; ` +
        'set BACKTEST_MAX_FILE_MB to raise the limit (Node cannot hold a text of more than about 512 MB)',
    );
  }
}

function cannotRead(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem =
    code === 'ENOENT'
      ? `no such file (looked for ${printable(resolve(path), 1024)})`
      : code === 'EISDIR'
        ? 'is a directory, not a CSV file'
        : `cannot be read: ${(err as Error).message}`;
  return new InputError({ file: path }, problem);
}

/**
 * The bytes of a data file, after checking what it is: a regular file (not a directory, a
 * device such as /dev/zero, a FIFO or a socket, which could be read without end or block) no
 * larger than the cap (`maxFileBytes`). It is checked by path before it is opened (opening a
 * FIFO waits for a writer), opened without blocking, and checked again on the open descriptor,
 * so a file swapped in between is caught too. At most the size checked is read.
 */
export function readDataFile(path: string, cap = maxFileBytes()): Buffer {
  let fd: number;
  try {
    checkFile(path, statSync(path), cap);
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw cannotRead(path, err);
  }
  try {
    const st = fstatSync(fd);
    checkFile(path, st, cap);
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
    throw cannotRead(path, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a CSV file from disk (see `parseCsvText` for layouts, validation and `LoadOptions`).
 * The file must be a regular file of at most 256 MB (BACKTEST_MAX_FILE_MB): see `readDataFile`.
 * The hash is of the bytes as stored, so a report pins the exact file a run used.
 */
export function loadCsvFile(path: string, options: LoadOptions = {}): LoadedData {
  const bytes = readDataFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch (err) {
    // Past V8's string limit (a cap raised above ~512 MB): say so rather than crash.
    throw new InputError({ file: path }, `is ${megabytes(bytes.length)}, too large to read as text (${(err as Error).message})`);
  }
  const parsed = parseCsvText(text, path, options);
  return { ...parsed, path: resolve(path), sha256 };
}
