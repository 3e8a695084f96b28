import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { formatLocation, type Frequency, InputError, UserError, writeFileAtomic } from '@backtest/core';
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
export interface Provenance {
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
export function provenanceFile(csvFile: string): string {
  return `${csvFile.replace(/\.csv$/i, '')}.provenance.json`;
}

/**
 * Downloads a series from a public source into the first data directory as `<file>.csv`, with
 * `<file>.provenance.json` beside it (see `Provenance`). The body is validated first, every row
 * by `parseCsvText` with the loader's messages (in the registry's layout for a registered name,
 * closes checked as `values` says); then both files are written atomically, so an existing file
 * is replaced only by one that loads, and a failure leaves nothing behind.
 *
 * Failures are `UserError`s (exit code 2) naming the source and the URL: `FetchError` for no
 * answer, an HTTP error or a body that is not the source's CSV (Stooq answers an unknown symbol
 * with 200 and "No data"); `InputError` with the line and column for CSV that does not load.
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
  const body = await download(source.name, url, fetchTimeout(env), source.explain);
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
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path, bytes);
  try {
    writeFileAtomic(provenancePath, `${JSON.stringify(provenance, null, 2)}\n`);
  } catch (e) {
    // The CSV is already the new one: an old provenance file beside it would describe another download.
    rmSync(provenancePath, { force: true });
    throw e;
  }

  const warnings = [...parsed.warnings];
  if (entry?.fetch && (entry.fetch.source !== source.name || source.spell(entry.fetch.symbol) !== symbol)) {
    warnings.push(
      `dataset "${name}" is registered as ${entry.fetch.source} ${entry.fetch.symbol}; ${file} now holds ${source.name} ${symbol}`,
    );
  }
  return { name, entry, path, provenancePath, provenance, fileFrequency: rowFrequency(dates), warnings };
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
