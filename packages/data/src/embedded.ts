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
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '@backtest/core';
import { formatCsv, periodLabel, readRegularFile } from '@backtest/core/internal';
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

/** How to make the extracts again (from the daily files, ../shared/data), for messages. */
const REGENERATE = '`npm run build && npm run extracts -w @backtest/data`';

/**
 * Reads `index.json` of `dir`; an empty index only when there is no such file (ENOENT). Any
 * other trouble (a directory of that name, no permission to read it, not JSON) is a UserError
 * naming the file, rather than extracts that silently do not exist.
 */
export function readEmbeddedIndex(dir: string = embeddedDir()): EmbeddedIndex {
  const file = join(dir, EMBEDDED_INDEX);
  try {
    statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    // Anything else is read below, and refused there by name.
  }
  const text = readRegularFile(file, { what: 'the index of the embedded extracts', notDirectory: 'a JSON file' }).toString('utf8');
  try {
    return JSON.parse(text) as EmbeddedIndex;
  } catch (err) {
    throw new UserError(`${file} is not valid JSON: ${(err as Error).message}`);
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
 * source had dropped rows is refused, as the source itself would be. The file must be the one
 * its index record describes (its sha256): a changed extract is a UserError saying so and how
 * to make it again, also when the change made it unreadable as CSV.
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
  const path = join(dir, extract.file);
  let loaded: LoadedData;
  try {
    loaded = loadCsvFile(path, { ...options, name, frequency: 'monthly' });
  } catch (err) {
    // A file that no longer loads may be one that was edited: say that, if it is so.
    const now = changedHash(path, extract);
    if (now !== undefined) throw changedExtract(name, path, extract, now);
    throw err;
  }
  if (loaded.sha256 !== extract.sha256) throw changedExtract(name, path, extract, loaded.sha256);
  const warnings = [...extract.warnings, ...loaded.warnings.filter((w) => !extract.warnings.includes(w))];
  return { ...loaded, warnings, origin: 'embedded' };
}

/** The sha256 of the file at `path` when it can be read and differs from the record's; else undefined. */
function changedHash(path: string, extract: EmbeddedExtract): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, { what: 'an embedded extract' });
  } catch {
    return undefined;
  }
  const now = sha256(bytes);
  return now === extract.sha256 ? undefined : now;
}

function changedExtract(name: string, path: string, extract: EmbeddedExtract, found: string): UserError {
  return new UserError(
    `the embedded extract of dataset "${name}", ${path}, was changed: its SHA-256 is ${found}, ` +
      `not the ${extract.sha256} its ${EMBEDDED_INDEX} records. Restore the file as committed, or make the extracts again ` +
      `from the daily files with ${REGENERATE} (or put the dataset's own file in a data directory)`,
  );
}
