import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean, UserError } from '@backtest/core';
import { embeddedDir, loadEmbedded, readEmbeddedIndex } from './embedded';
import { DATASET_NAME } from './fetch/names';
import { publishedHeader } from './layout';
import { type LoadedData, loadCsvFile } from './load';
import type { LoadOptions } from './parse-csv';
import { type DatasetEntry, datasetRegistry } from './registry';

export interface DatasetLocation {
  readonly dataDirs: readonly string[];
  readonly projectRoot: string;
  /** The directory of embedded extracts (default: the data package's own `embedded/`). */
  readonly embeddedDir?: string;
}

/** A registry entry, the file that serves it if any data directory has one, and its embedded extract. */
export interface DatasetListing extends DatasetEntry {
  readonly path: string | undefined;
  /** The embedded month-end extract, used when no data directory has the file. */
  readonly embedded: string | undefined;
}

function locate(file: string, dataDirs: readonly string[]): string | undefined {
  for (const dir of dataDirs) {
    const candidate = join(dir, file);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function unknownDataset(name: string, projectRoot: string): UserError {
  const names = datasetRegistry(projectRoot).datasets.map((d) => d.name);
  return new UserError(
    `unknown dataset "${name}"${didYouMean(name, names)}. Known datasets: ${names.join(', ')}; ` +
      `a file NAME.csv in a data directory is the dataset NAME (\`backtest data fetch SYMBOL --source stooq|fred|yahoo --name ${DATASET_NAME.test(name) ? name : 'NAME'}\` downloads one)`,
  );
}

function fetchCommand(entry: DatasetEntry): string {
  return entry.fetch ? `\`backtest data fetch ${entry.fetch.symbol} --source ${entry.fetch.source} --name ${entry.name}\`` : '';
}

function notFound(entry: DatasetEntry, dataDirs: readonly string[], projectRoot: string, frequency: string): UserError {
  const fetch = fetchCommand(entry);
  return new UserError(
    `dataset "${entry.name}"${frequency === 'daily' ? ' served daily' : ''} needs the file ${entry.file}, which is in none of the data directories:\n` +
      dataDirs.map((d) => `  ${d}\n`).join('') +
      (frequency === 'daily' && entry.frequency === 'monthly' ? 'Its embedded extract has month-end rows only.\n' : '') +
      (fetch ? `Where the network allows, ${fetch} downloads it. Otherwise download` : 'To provide it, download') +
      ` the data (${entry.description}) from ${entry.url} as CSV with the header ` +
      `${publishedHeader(entry.layout)} and save it as ${join(projectRoot, 'data', entry.file)}, ` +
      'or name the directory that holds it with --data-dir or BACKTEST_DATA_DIR.',
  );
}

/**
 * Loads a named dataset, served at the registry's frequency unless `frequency` says otherwise,
 * from the first of: the data directories (the registered file), the embedded month-end extract
 * (monthly only). A name the registry does not know is the file `NAME.csv` in a data directory
 * (what `backtest data fetch` writes), its layout detected.
 *
 * @example loadDataset('sp500', { dataDirs, projectRoot }).series.dates[0] // '1970-01-30'
 */
export function loadDataset(name: string, options: DatasetLocation & LoadOptions): LoadedData {
  const { dataDirs, projectRoot, embeddedDir: dir, ...load } = options;
  const entry = datasetRegistry(projectRoot).datasets.find((d) => d.name === name);
  if (!entry) {
    const path = DATASET_NAME.test(name) ? locate(`${name}.csv`, dataDirs) : undefined;
    if (path === undefined) throw unknownDataset(name, projectRoot);
    return { ...loadCsvFile(path, { ...load, name }), origin: 'data directory' };
  }
  const frequency = load.frequency ?? entry.frequency;
  const facts = {
    ...(entry.caveat ? { caveat: `${name}: ${entry.caveat}` } : {}),
    ...(entry.currency ? { currency: entry.currency } : {}),
    ...(entry.kind ? { kind: entry.kind } : {}),
  };
  const path = locate(entry.file, dataDirs);
  if (path !== undefined) {
    return { ...loadCsvFile(path, { ...load, layout: entry.layout, name, frequency }), origin: 'data directory', ...facts };
  }
  const extract = frequency === 'monthly' ? readEmbeddedIndex(dir)[name] : undefined;
  if (extract === undefined) throw notFound(entry, dataDirs, projectRoot, frequency);
  return { ...loadEmbedded(name, extract, { ...load, layout: entry.layout, frequency }, dir ?? embeddedDir()), ...facts };
}

/** Every registered dataset with the file that would serve it (`path` undefined: not found) and its extract. */
export function listDatasets(dataDirs: readonly string[], projectRoot: string, dir: string = embeddedDir()): DatasetListing[] {
  const index = readEmbeddedIndex(dir);
  return datasetRegistry(projectRoot).datasets.map((entry) => {
    const extract = entry.frequency === 'monthly' ? index[entry.name] : undefined;
    return { ...entry, path: locate(entry.file, dataDirs), embedded: extract ? join(dir, extract.file) : undefined };
  });
}
