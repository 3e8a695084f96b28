import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '@backtest/core';
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

/**
 * Reads a CSV file from disk (see `parseCsvText` for layouts, validation and `LoadOptions`).
 * The hash is of the bytes as stored, so a report pins the exact file a run used.
 */
export function loadCsvFile(path: string, options: LoadOptions = {}): LoadedData {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `no such file (looked for ${resolve(path)})`
        : code === 'EISDIR'
          ? 'is a directory, not a CSV file'
          : `cannot be read: ${(err as Error).message}`;
    throw new InputError({ file: path }, problem);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseCsvText(bytes.toString('utf8'), path, options);
  return { ...parsed, path: resolve(path), sha256 };
}
