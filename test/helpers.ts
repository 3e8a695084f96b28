import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realDataGate } from '../packages/data/src/__fixtures__/real-data-gate';

export const root = path.resolve(__dirname, '..');
export const bin = path.join(root, 'packages/cli/bin/backtest.js');

/** Run folders of the tests' runs go to a temporary directory, not the project's runs/. */
export const runsDir = mkdtempSync(path.join(tmpdir(), 'bt-runs-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `backtest` command as a user would, in a child process. */
export function backtest(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, BACKTEST_RUNS_DIR: runsDir, ...options.env },
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The directories the command searches for data files when it is given no --data-dir:
 * BACKTEST_DATA_DIR (path-separated), then config/defaults.json's dataDirs (`data/`, then
 * ../shared/data), absolute, without repeats.
 */
function dataDirs(): string[] {
  const defaults = JSON.parse(readFileSync(path.join(root, 'config/defaults.json'), 'utf8')) as { dataDirs: string[] };
  const env = (process.env.BACKTEST_DATA_DIR ?? '').split(path.delimiter).filter((d) => d.trim() !== '');
  return [...new Set([...env.map((d) => path.resolve(d)), ...defaults.dataDirs.map((d) => path.resolve(root, d))])];
}

/** A file of the market data in the first data directory that has it, or undefined. */
function findDataFile(name: string): string | undefined {
  for (const dir of dataDirs()) {
    const p = path.join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

/** A file of the shared market data, found through the data directories; an error where it is not. */
export function sharedDataFile(name: string): string {
  const p = findDataFile(name);
  if (p === undefined) throw new Error(`${name} is in none of the data directories (${dataDirs().join(', ')})`);
  return p;
}

interface RegistryEntry {
  readonly file: string;
  readonly frequency: 'monthly' | 'daily';
  readonly layout: string;
}

/** config/datasets.json's datasets: name -> file, frequency, layout (read as data, not through the product). */
function registry(): Record<string, RegistryEntry> {
  return (JSON.parse(readFileSync(path.join(root, 'config/datasets.json'), 'utf8')) as { datasets: Record<string, RegistryEntry> }).datasets;
}

// ---------------------------------------------------------------------------------------------
// Tests that need the files of ../shared/data (the daily files: daily runs, the comparisons of a
// fresh clone or of the embedded extracts with them, fetching them). A clone with nothing beside
// it skips them, saying why; BACKTEST_REQUIRE_REAL_DATA=1 (set by .ci/run) makes them fail
// instead, so that CI can never skip them silently. One gate serves these and packages/data's
// own tests (packages/data/src/__fixtures__/real-data-gate.ts: jest helpers, no product code).

/** Whether every file the dataset registry names is in the data directories, and the gate of the tests that need them. */
const realData = (() => {
  const files = [...new Set(Object.values(registry()).map((d) => d.file))];
  return realDataGate(
    files,
    files.filter((f) => findDataFile(f) === undefined),
    dataDirs(),
  );
})();
export const itWithRealData = realData.it;
export const describeWithRealData = realData.describe;

export interface MonthEndRow {
  readonly date: string;
  readonly close: number;
}

/** Last weekday of a month (month 1-12), by UTC arithmetic. */
function lastWeekday(year: number, month: number): string {
  let day = new Date(Date.UTC(year, month, 0)); // day 0 of the next month
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** Each month's last row with a date and a close, from a CSV with `date` and `close` columns (found by the header). */
function lastOfEachMonth(file: string): MonthEndRow[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = lines[0]!.split(',');
  const [d, c] = [header.indexOf('date'), header.indexOf('close')];
  if (d < 0 || c < 0) throw new Error(`${file}: no date and close columns in the header ${lines[0]}`);
  const months = new Map<string, MonthEndRow>();
  let previous = '';
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const [date, close] = [cells[d], cells[c]];
    if (!date || !close) continue; // an empty date or close: a gap in the source
    if (date <= previous) throw new Error(`${file}: dates out of order at ${date}`);
    previous = date;
    months.set(date.slice(0, 7), { date, close: Number(close) });
  }
  return [...months.values()];
}

/**
 * The month-end rows (date, close) of a registered dataset of plain layout, read by hand, with
 * none of the product's code: from its daily file when a data directory has it (each month's last
 * row with a close; a last month the file does not complete, one whose last row is before the
 * month's last weekday, left out), else from its embedded month-end extract
 * (packages/data/embedded, through its index.json), whose rows are those very months. Either way
 * the same rows and closes, which is what the command serves as `--dataset NAME`.
 * `{ embedded: true }` reads the extract even where the daily file is.
 */
export function monthEndRows(dataset: string, options: { embedded?: boolean } = {}): { file: string; rows: MonthEndRow[] } {
  const entry = registry()[dataset];
  if (entry === undefined || entry.layout !== 'plain') throw new Error(`monthEndRows: "${dataset}" is not a registered dataset of plain layout`);
  const daily = options.embedded ? undefined : findDataFile(entry.file);
  if (daily !== undefined) {
    const rows = lastOfEachMonth(daily);
    const last = rows.at(-1)!;
    if (last.date < lastWeekday(Number(last.date.slice(0, 4)), Number(last.date.slice(5, 7)))) rows.pop();
    return { file: daily, rows };
  }
  const embedded = path.join(root, 'packages/data/embedded');
  const index = JSON.parse(readFileSync(path.join(embedded, 'index.json'), 'utf8')) as Record<string, { file: string }>;
  const extract = index[dataset];
  if (extract === undefined) throw new Error(`monthEndRows: ${entry.file} is in none of the data directories (${dataDirs().join(', ')}) and "${dataset}" has no embedded extract`);
  const file = path.join(embedded, extract.file);
  return { file, rows: lastOfEachMonth(file) };
}

/** A CSV without quoted cells (the run folders' files have none): header and rows. */
export function readCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** The two JSON documents of a report page: the chart specs and their datasets. */
export function chartJson(page: string): { specs: Record<string, unknown>; data: Record<string, Record<string, unknown>[]> } {
  const read = (id: string) => {
    const start = page.indexOf(`<script id="${id}" type="application/json">`);
    return JSON.parse(page.slice(page.indexOf('>', start) + 1, page.indexOf('</script>', start)));
  };
  return { specs: read('chart-specs'), data: read('chart-data') };
}
