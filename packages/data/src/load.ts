import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileText, readRegularFile } from '@backtest/core/internal';
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
  /** A named dataset's currency and kind, from the registry (`DatasetEntry`). */
  readonly currency?: string;
  readonly kind?: 'price' | 'yield';
}

/** How a data file is named in messages: "a data file must be a file on disk", "is a directory, not a CSV file". */
const DATA_FILE = { what: 'a data file', notDirectory: 'a CSV file' } as const;

/**
 * Reads a CSV file from disk (see `parseCsvText` for layouts, validation and `LoadOptions`).
 * The file must be a regular file of at most 256 MB (BACKTEST_MAX_FILE_MB), neither a directory,
 * a device, a FIFO nor a socket, none of which is read or waited for: see @backtest/core's
 * `readRegularFile`. The hash is of the bytes as stored, so a report pins the exact file a run used.
 */
export function loadCsvFile(path: string, options: LoadOptions = {}): LoadedData {
  const bytes = readRegularFile(path, DATA_FILE);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseCsvText(fileText(bytes, path), path, options);
  return { ...parsed, path: resolve(path), sha256 };
}
