import { createHash } from 'node:crypto';
import { constants, copyFileSync, linkSync, lstatSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type Frequency, InputError, UserError } from '@backtest/core';
import { formatLocation, makeDirectory, maxFileBytes, temporaryName, writeFileAtomic } from '@backtest/core/internal';
import type { LayoutName } from '../layout';
import { type CloseValues, type LoadOptions, type ParsedData, parseCsvText } from '../parse-csv';
import { type DatasetEntry, datasetRegistry } from '../registry';
import { FetchError } from './fetch-error';
import { download, fetchTimeout } from './http';
import { checkDatasetName, checkSymbol, nameFromSymbol } from './names';
import { fetchSource, type FetchSourceName, sourceBase } from './sources';

export interface FetchOptions {
  readonly source: FetchSourceName;
  /** The source's symbol: Stooq `^spx`, FRED `TB3MS`, Yahoo `^GSPC`. */
  readonly symbol: string;
  /**
   * The dataset the file serves (default: the symbol in a safe form, `^spx` -> `spx`). A name
   * registered in config/datasets.json writes that entry's file (`sp500-daily` -> gspc-daily.csv),
   * checked in the entry's layout; any other name writes `NAME.csv`.
   */
  readonly name?: string;
  /** The data directories, first match first: the file goes into the first. */
  readonly dataDirs: readonly string[];
  readonly projectRoot: string;
  /**
   * Where the base URLs (BACKTEST_STOOQ_URL, BACKTEST_FRED_URL, BACKTEST_YAHOO_URL) and the
   * timeout (BACKTEST_FETCH_TIMEOUT_MS) come from; default `process.env`.
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How the close is checked before the file is written (`LoadOptions.values`): `price`, positive
   * (the default for Stooq and Yahoo), or `rate`, any number (the default for FRED, whose series
   * are rates and measures: DTB3 has 0.00). The file itself is the same either way.
   */
  readonly values?: CloseValues;
  /** The download's time, for `downloadedAt` and Yahoo's end date (default: now). */
  readonly now?: Date;
}

/** What `<file>.provenance.json` beside a fetched file says. */
interface Provenance {
  readonly source: FetchSourceName;
  /** The symbol as sent to the source. */
  readonly symbol: string;
  readonly url: string;
  /** ISO 8601, UTC. */
  readonly downloadedAt: string;
  /** SHA-256 of the CSV file's bytes. */
  readonly sha256: string;
  /** Rows the loader keeps (rows with an empty date or close are dropped), and their first and last date. */
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  readonly layout: LayoutName | 'mapped';
}

export interface FetchedData {
  /** The dataset name the file serves (`--dataset NAME`). */
  readonly name: string;
  /** The registry entry when the name is registered. */
  readonly entry: DatasetEntry | undefined;
  /** The CSV file written, absolute, and its provenance file. */
  readonly path: string;
  readonly provenancePath: string;
  readonly provenance: Provenance;
  /** How often the file has rows. */
  readonly fileFrequency: Frequency;
  /** What loading the dataset will warn about (rows dropped, an incomplete last month...), and fetch notes. */
  readonly warnings: readonly string[];
}

/** `gspc-daily.csv` -> `gspc-daily.provenance.json`. */
function provenanceFile(csvFile: string): string {
  return `${csvFile.replace(/\.csv$/i, '')}.provenance.json`;
}

/**
 * Downloads a series from a public source into the first data directory as `<file>.csv`, with
 * `<file>.provenance.json` beside it (see `Provenance`). The body is read up to the cap on a
 * data file (`BACKTEST_MAX_FILE_MB`, 256 MB) and validated first, every row by `parseCsvText`
 * with the loader's messages (in the registry's layout for a registered name, closes checked as
 * `values` says); then the two files are written as a pair (`writePair`): after a success both
 * are the new ones, after any failure both are the old ones, exactly as they were (an existing
 * file is replaced only by one that loads, and a first download that fails leaves nothing).
 *
 * Failures are `UserError`s (exit code 2): `FetchError` naming the source and the URL for no
 * answer, an HTTP error, a body longer than the cap or one that is not the source's CSV (Stooq
 * answers an unknown symbol with 200 and "No data"); `InputError` with the line and column for
 * CSV that does not load; a `UserError` naming the directory or file that could not be
 * written (a file in the data directory's path, no permission, a read-only file system, a full
 * disk, a directory where a file goes, a place such as /proc that holds no directories).
 *
 * @example await fetchDataset({ source: 'stooq', symbol: '^spx', name: 'sp500-daily', dataDirs, projectRoot })
 * // writes <dataDirs[0]>/gspc-daily.csv and gspc-daily.provenance.json
 */
export async function fetchDataset(options: FetchOptions): Promise<FetchedData> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const source = fetchSource(options.source);
  const symbol = source.spell(checkSymbol(options.symbol));
  const name = options.name !== undefined ? checkDatasetName(options.name) : nameFromSymbol(symbol);
  if (name === undefined) {
    throw new UserError(`symbol ${JSON.stringify(options.symbol)} gives no file name: name the dataset with --name`);
  }
  const dir = options.dataDirs[0];
  if (dir === undefined) throw new UserError('no data directory to write to');
  const entry = datasetRegistry(options.projectRoot).datasets.find((d) => d.name === name);
  const file = entry?.file ?? `${name}.csv`;
  if (basename(file) !== file || file.startsWith('.')) {
    throw new UserError(`dataset "${name}" has the file "${file}" in the registry, which is not a plain file name`);
  }
  const path = resolve(dir, file);
  const provenancePath = resolve(dir, provenanceFile(file));

  const url = source.url(sourceBase(source, env), symbol, now);
  const body = await download(source.name, url, { timeoutMs: fetchTimeout(env), maxBytes: maxFileBytes(env), explain: source.explain });
  let csv: string;
  try {
    csv = source.toCsv(body);
  } catch (e) {
    throw new FetchError(source.name, url, 'body', `${url} did not give ${symbol}'s series: ${(e as Error).message}`);
  }
  const where = `${source.name} response from ${url}${source.name === 'yahoo' ? ' (as CSV)' : ''}`;
  const values = options.values ?? (source.name === 'fred' ? 'rate' : 'price');
  // Every row as it is: a daily series read daily, a monthly one (FRED's, dated the 1st) monthly, which leaves it unchanged.
  const frequency = oneRowAMonth(csv) ? 'monthly' : 'daily';
  const parsed = validate(csv, path, where, { name, frequency, values, ...(entry ? { layout: entry.layout } : {}) });
  if (!entry && parsed.layout !== source.layout) {
    throw new FetchError(source.name, url, 'body', `${url} gave CSV in the ${parsed.layout} layout, not ${source.name}'s ${source.header}`);
  }
  const dates = parsed.series.dates;

  const bytes = Buffer.from(csv, 'utf8');
  const provenance: Provenance = {
    source: source.name,
    symbol,
    url,
    downloadedAt: now.toISOString(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rows: dates.length,
    first: dates[0]!,
    last: dates[dates.length - 1]!,
    layout: parsed.layout,
  };
  writePair(dir, path, bytes, provenancePath, `${JSON.stringify(provenance, null, 2)}\n`);

  const warnings = [...parsed.warnings];
  if (entry?.fetch && (entry.fetch.source !== source.name || source.spell(entry.fetch.symbol) !== symbol)) {
    warnings.push(`dataset "${name}" is registered as ${entry.fetch.source} ${entry.fetch.symbol}; ${file} now holds ${source.name} ${symbol}`);
  }
  return { name, entry, path, provenancePath, provenance, fileFrequency: rowFrequency(dates), warnings };
}

/**
 * Writes the CSV file `csvPath` and its provenance `provenancePath` (both in `dir`, created
 * first by `makeDirectory`) so that they stay a pair:
 * - after it returns, both are the new ones;
 * - after it throws, both are as they were: the old CSV and the old provenance, or the old CSV
 *   alone, or nothing, whatever was there before. The previous CSV is kept under a hidden
 *   temporary name (a hard link, or a copy where the file system has none) until the
 *   provenance is written; if that write fails, it is renamed back over the new CSV (or the new
 *   CSV is removed when there was none), and the old provenance was never touched
 *   (`writeFileAtomic` replaces a file only by a complete one).
 * Each file is written by `writeFileAtomic`, so a reader never sees half of one. Not covered: a
 * process killed between the two renames (the new CSV then stands beside the old provenance,
 * whose sha256 no longer matches it; a hidden `.<file>.<hex>.tmp` may be left too), and a
 * failure of the rename that puts the old CSV back, which the error then says.
 * Errors of the place are `UserError`s naming the directory or the file (`placeError`).
 */
function writePair(dir: string, csvPath: string, csv: Uint8Array, provenancePath: string, provenance: string): void {
  try {
    makeDirectory(dir);
  } catch (e) {
    throw placeError(e, 'create the data directory', resolve(dir));
  }
  let previous: string | undefined;
  try {
    previous = keepPrevious(csvPath);
  } catch (e) {
    throw placeError(e, 'write', csvPath);
  }
  try {
    try {
      writeFileAtomic(csvPath, csv);
    } catch (e) {
      throw placeError(e, 'write', csvPath);
    }
    try {
      writeFileAtomic(provenancePath, provenance);
    } catch (e) {
      const error = placeError(e, 'write', provenancePath);
      const notRestored = putBack(previous, csvPath);
      if (notRestored === undefined || !(error instanceof Error)) throw error;
      throw new UserError(
        `${error.message}; and ${csvPath} could not be put back as it was (${notRestored}): it holds the new download, which ${provenancePath} does not describe`,
      );
    }
  } finally {
    // Gone already when it was put back (ENOENT); a leftover hidden file is all a failure here can cost.
    if (previous !== undefined) {
      try {
        unlinkSync(previous);
      } catch {
        // gone, or not ours to remove
      }
    }
  }
}

/** Hard links are not everywhere (FAT, some network file systems): then the previous file is copied. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/**
 * Keeps what is at `path` (a file, or a link: not followed) under a new hidden name in the same
 * directory, created exclusively (`temporaryName`: unpredictable; link(2) and an exclusive copy
 * fail on anything already there, a planted link included, and another name is drawn). Returns
 * that name, or undefined when nothing is at `path` (or a directory, which the write then refuses).
 */
function keepPrevious(path: string): string | undefined {
  try {
    if (lstatSync(path).isDirectory()) return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  for (let attempt = 0; ; attempt++) {
    const kept = temporaryName(path);
    try {
      try {
        linkSync(path, kept);
      } catch (e) {
        if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
        copyFileSync(path, kept, constants.COPYFILE_EXCL);
      }
      return kept;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 7) throw e;
    }
  }
}

/**
 * Puts the previous file kept by `keepPrevious` back at `path` (or removes `path` when there was
 * none): undefined when done, else what went wrong.
 */
function putBack(previous: string | undefined, path: string): string | undefined {
  try {
    if (previous === undefined) rmSync(path, { force: true });
    else renameSync(previous, path);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The first existing component of `path`, going up, that is not a directory (what ENOTDIR met). */
function fileInTheWay(path: string): string | undefined {
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      if (!lstatSync(p).isDirectory()) return p;
    } catch {
      // missing, or below a file: go up
    }
    if (dirname(p) === p) return undefined;
  }
}

/**
 * A system error of creating or writing `target` as a `UserError` (exit code 2) saying
 * `cannot <action> <target>: <why>`; a UserError, or an error without a system code, as it is.
 */
function placeError(e: unknown, action: string, target: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof UserError || typeof err?.code !== 'string') return e;
  // The path the system refused (a parent, a temporary file beside the target), else the target.
  const at = dirname(resolve(err.path ?? target));
  let why: string;
  switch (err.code) {
    case 'ENOTDIR':
      why = `${fileInTheWay(err.path ?? target) ?? at} is not a directory`;
      break;
    case 'EISDIR':
      why = 'a directory of that name is in the way';
      break;
    case 'EACCES':
    case 'EPERM':
      why = `${at} is not writable (${err.code})`;
      break;
    case 'EROFS':
      why = `${at} is on a read-only file system (EROFS)`;
      break;
    case 'ENOSPC':
      why = 'no space left on the device (ENOSPC)';
      break;
    case 'EDQUOT':
      why = 'the disk quota is exhausted (EDQUOT)';
      break;
    default:
      why = `the file system refused it (${err.message})`;
  }
  return new UserError(`cannot ${action} ${target}: ${why}`);
}

/** True when no two data lines of the CSV text start in the same month (its first column holds ISO dates). */
function oneRowAMonth(csv: string): boolean {
  const months = csv
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^"/, '').slice(0, 7))
    .filter((m) => /^\d{4}-\d{2}$/.test(m));
  return months.every((m, i) => i === 0 || m !== months[i - 1]);
}

/** Daily when some month has two rows; a series of one row a month (FRED's, dated the 1st) is monthly. */
function rowFrequency(dates: readonly string[]): Frequency {
  for (let i = 1; i < dates.length; i++) if (dates[i]!.slice(0, 7) === dates[i - 1]!.slice(0, 7)) return 'daily';
  return 'monthly';
}

/**
 * The fetched CSV read as the loader reads any file, every row (no resampling), with warnings
 * naming the file it becomes. A problem is reported at `where` (the source and URL) with the
 * line and column the loader found.
 */
function validate(csv: string, path: string, where: string, options: LoadOptions): ParsedData {
  try {
    return parseCsvText(csv, path, options);
  } catch (e) {
    if (e instanceof InputError) {
      const prefix = `${formatLocation(e.location)}: `;
      const problem = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
      throw new InputError({ ...e.location, file: where }, problem);
    }
    if (e instanceof UserError) throw new UserError(`${where}: ${e.message.split(path).join('the file')}`);
    throw e;
  }
}
