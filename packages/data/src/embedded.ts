/**
 * Month-end extracts of the named datasets, shipped in `packages/data/embedded` so that the main
 * job runs on a machine with nothing beside the clone. Each is made from a dataset's daily file
 * by `makeExtract` (run by `packages/data/scripts/make-extracts.js`, checked by a test that
 * regenerates them): one row a month, the row the loader itself would keep when it resamples the
 * daily file to month-end, every number written in its shortest round-trip form. Loading an
 * extract therefore gives the very rows, closes and columns that loading the daily file gives,
 * and the warnings that loading the daily file gave are kept in the index and repeated.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatCsv, periodLabel, UserError } from '@backtest/core';
import { type LoadedData, loadCsvFile } from './load';
import { type LoadOptions, parseCsvText } from './parse-csv';
import type { DatasetEntry } from './registry';

/** The index of the extracts: `embedded/index.json`, one record per dataset name. */
export const EMBEDDED_INDEX = 'index.json';

/** Where one extract came from and what it holds (the provenance kept beside the extracts). */
export interface EmbeddedExtract {
  /** The extract's file name in the embedded directory. */
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  /** First and last month (YYYY-MM). */
  readonly first: string;
  readonly last: string;
  /** The file it was made from, as that file was when the extract was made. */
  readonly source: { readonly file: string; readonly sha256: string; readonly url: string };
  /** How it was made, in words. */
  readonly method: string;
  /** Rows of the source the default missing-value policy dropped (empty date or close). */
  readonly droppedRows: number;
  /** What loading the source month-end, close only, warned about (repeated when the extract is loaded). */
  readonly warnings: readonly string[];
}

export type EmbeddedIndex = Readonly<Record<string, EmbeddedExtract>>;

/**
 * The embedded directory of the installed data package. Resolved through the package's own
 * name, not `__dirname`, so that it is found from a bundle of the CLI too.
 */
export function embeddedDir(): string {
  return join(dirname(require.resolve('@backtest/data/package.json')), 'embedded');
}

const sha256 = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Reads `index.json` of `dir`; an empty index when the directory has none. */
export function readEmbeddedIndex(dir: string = embeddedDir()): EmbeddedIndex {
  let text: string;
  try {
    text = readFileSync(join(dir, EMBEDDED_INDEX), 'utf8');
  } catch {
    return {};
  }
  try {
    return JSON.parse(text) as EmbeddedIndex;
  } catch (err) {
    throw new UserError(`${join(dir, EMBEDDED_INDEX)} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The method strings of the index, one per kind of extract. */
const MONTH_END_METHOD =
  "one row a month: the month's last trading day with a close, its date and close; open the month's first known open, volume the month's sum (the loader's own month-end resampling); rows with an empty date or close dropped first; a final incomplete month left out";
const VERBATIM_METHOD = 'the published monthly file, byte for byte';

/**
 * Makes the extract of `entry` from the text of its source file (`sourcePath` names it in
 * messages). A daily file becomes its month-end rows; a monthly one (Shiller's) is kept whole.
 */
export function makeExtract(entry: DatasetEntry, sourcePath: string): { file: string; bytes: string; record: EmbeddedExtract } {
  const text = readFileSync(sourcePath, 'utf8');
  const source = { file: basename(sourcePath), sha256: sha256(readFileSync(sourcePath)), url: entry.url };
  const full = parseCsvText(text, sourcePath, { layout: entry.layout, name: entry.name, frequency: 'monthly' });
  const s = full.series;
  const n = s.dates.length;
  const summary = { rows: n, first: periodLabel(s.dates[0]!, 'monthly'), last: periodLabel(s.dates[n - 1]!, 'monthly') };
  if (full.fileFrequency === 'monthly') {
    return {
      file: source.file,
      bytes: text,
      record: { file: source.file, sha256: sha256(text), ...summary, source, method: VERBATIM_METHOD, droppedRows: 0, warnings: [] },
    };
  }
  // The warnings a run reading only the close gets; extra columns' own notes come from the extract.
  const closeOnly = parseCsvText(text, sourcePath, { layout: entry.layout, name: entry.name, frequency: 'monthly', keepColumns: [] });
  const columns = Object.keys(s.columns);
  const rows = s.dates.map((d, i) => [d, s.close[i]!, ...columns.map((c) => s.columns[c]![i]!)]);
  const bytes = formatCsv(['date', 'close', ...columns], rows);
  const file = `${entry.name}-month-end.csv`;
  return {
    file,
    bytes,
    record: { file, sha256: sha256(bytes), ...summary, source, method: MONTH_END_METHOD, droppedRows: closeOnly.droppedRows, warnings: [...closeOnly.warnings] },
  };
}

/**
 * Loads the embedded extract of dataset `name` (served monthly). Warnings: those the source
 * gave, then any of the extract's own that are new. With `onMissing: 'error'` an extract whose
 * source had dropped rows is refused, as the source itself would be.
 */
export function loadEmbedded(name: string, extract: EmbeddedExtract, options: LoadOptions, dir: string = embeddedDir()): LoadedData {
  if (options.frequency === 'daily') {
    throw new UserError(`the embedded extract of "${name}" has month-end rows only; it cannot be served daily`);
  }
  if (options.onMissing === 'error' && extract.droppedRows > 0) {
    throw new UserError(
      `dataset "${name}": the embedded extract was made from ${extract.source.file} by dropping ${extract.droppedRows} rows with an empty field, ` +
        'which --on-missing error forbids; put the daily file in a data directory to read it under that policy',
    );
  }
  const loaded = loadCsvFile(join(dir, extract.file), { ...options, name, frequency: 'monthly' });
  const warnings = [...extract.warnings, ...loaded.warnings.filter((w) => !extract.warnings.includes(w))];
  return { ...loaded, warnings, origin: 'embedded' };
}
