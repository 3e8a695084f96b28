import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean, UserError } from '@backtest/core';
import { publishedHeader } from './layout';
import { type LoadedData, loadCsvFile } from './load';
import type { LoadOptions } from './parse-csv';
import { type DatasetEntry, datasetRegistry } from './registry';

export interface DatasetLocation {
  readonly dataDirs: readonly string[];
  readonly projectRoot: string;
}

/** A registry entry and the file that serves it, if any data directory has one. */
export interface DatasetListing extends DatasetEntry {
  readonly path: string | undefined;
}

function locate(entry: DatasetEntry, dataDirs: readonly string[]): string | undefined {
  for (const dir of dataDirs) {
    const candidate = join(dir, entry.file);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function findEntry(name: string, projectRoot: string): DatasetEntry {
  const { datasets } = datasetRegistry(projectRoot);
  const entry = datasets.find((d) => d.name === name);
  if (entry) return entry;
  const names = datasets.map((d) => d.name);
  throw new UserError(`unknown dataset "${name}"${didYouMean(name, names)}. Known datasets: ${names.join(', ')}`);
}

/**
 * Loads a named dataset from the first data directory that has its file, served at the
 * registry's frequency unless `frequency` says otherwise.
 *
 * @example loadDataset('sp500', { dataDirs, projectRoot }).series.dates[0] // '1970-01-30'
 */
export function loadDataset(name: string, options: DatasetLocation & LoadOptions): LoadedData {
  const { dataDirs, projectRoot, ...load } = options;
  const entry = findEntry(name, projectRoot);
  const path = locate(entry, dataDirs);
  if (path === undefined) {
    throw new UserError(
      `dataset "${name}" needs the file ${entry.file}, which is in none of the data directories:\n` +
        dataDirs.map((d) => `  ${d}\n`).join('') +
        `To provide it, download the data (${entry.description}) from ${entry.url} as CSV with the header ` +
        `${publishedHeader(entry.layout)} and save it as ${join(projectRoot, 'data', entry.file)}, ` +
        'or name the directory that holds it with --data-dir or BACKTEST_DATA_DIR.',
    );
  }
  return loadCsvFile(path, { ...load, layout: entry.layout, name, frequency: load.frequency ?? entry.frequency });
}

/** Every registered dataset with the file that would serve it (`path` undefined: not found). */
export function listDatasets(dataDirs: readonly string[], projectRoot: string): DatasetListing[] {
  return datasetRegistry(projectRoot).datasets.map((entry) => ({ ...entry, path: locate(entry, dataDirs) }));
}
