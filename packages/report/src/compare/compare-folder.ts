/**
 * The folder of a `backtest compare` run: summary.json, returns.csv and report.html, built as
 * `<dir>.partial` and renamed when complete, like a run folder, so a folder without the suffix
 * is always whole.
 */
import * as path from 'node:path';
import { InputError, UserError } from '@backtest/core';
import { writeFolderAtomically } from '../atomic-write';
import { type CsvTable, formatCsv, parseCsv } from '../csv';
import { folderProvenance, folderText, labels, numbers, periodColumn, REPORT_FILE, RETURNS_FILE, SUMMARY_FILE, summaryJson } from '../run-files';
import type { RunRecord } from '../run-record';
import { checkJson, parseJsonFile, preview } from '../schema';
import { COMPARE_SUMMARY_SCHEMA } from '../summary-schema';
import type { CompareRecord, CompareSummaryDoc } from './compare-record';
import { compareReportBytes } from './compare-report';

/** summary.json: the `--json` document of compare, plus the settings, the data file and its hash. */
function compareSummaryJson(record: CompareRecord): string {
  // The run folder's writer reads only these five fields, which a compare record has too.
  const { summary, config, data, version, createdAt } = record;
  return summaryJson({ summary, config, data, version, ...(createdAt ? { createdAt } : {}) } as unknown as RunRecord);
}

/**
 * summary.json of a compare folder, checked against COMPARE_SUMMARY_SCHEMA and for a result per
 * configuration: a UserError (exit 2) names the file, the key path, what was expected and found.
 */
export function parseCompareSummaryJson(text: string, file: string): Pick<CompareRecord, 'summary' | 'config' | 'data' | 'version' | 'createdAt'> {
  const doc = parseJsonFile(text, file);
  checkJson(doc, COMPARE_SUMMARY_SCHEMA, file);
  const { config, data, version, createdAt, ...summary } = doc as Record<string, unknown>;
  const s = summary as unknown as CompareSummaryDoc;
  s.configurations.forEach((label, i) => {
    if (!Object.hasOwn(s.results, label)) {
      throw new UserError(`${file}: "configurations[${i}]" is ${preview(label)}, but "results" has no entry of that name`);
    }
  });
  return { summary: s, ...folderProvenance(doc) };
}

/**
 * returns.csv: one row per common evaluation period; the asset, cash and buy-and-hold returns,
 * then one column per configuration headed by its label (the table's column names), so the
 * Sharpe ratios and their differences can be recomputed from this file alone.
 */
export function compareReturnsCsv(record: CompareRecord): string {
  const p = record.periods;
  const labels = record.summary.configurations;
  const header = [periodColumn(record.summary), 'asset_return', 'cash_return', 'buy_and_hold_return', ...labels];
  const rows = p.labels.map((label, k) => [label, p.assetReturns[k], p.cashReturns[k], p.benchmarkReturns[k], ...labels.map((l) => p.configurations[l]![k])]);
  return formatCsv(header, rows);
}

/**
 * trials.csv (with --seeds): one row per common evaluation period and one column per run tried,
 * headed by its trial label (`nn-sma seed 43`): the series the joint tests (multipleTesting in
 * summary.json) resampled, so they can be run again from the folder.
 */
function compareTrialsCsv(record: CompareRecord, trials: Readonly<Record<string, ArrayLike<number>>>): string {
  const p = record.periods;
  const labels = Object.keys(trials);
  return formatCsv(
    [periodColumn(record.summary), ...labels],
    p.labels.map((label, k) => [label, ...labels.map((l) => trials[l]![k])]),
  );
}

/** The files of a compare folder, by name, in the order written (the report last). */
export function compareFolderFiles(record: CompareRecord): [string, string | Buffer][] {
  const trials = record.periods.trials;
  return [
    [SUMMARY_FILE, compareSummaryJson(record)],
    [RETURNS_FILE, compareReturnsCsv(record)],
    ...(trials ? ([[TRIALS_FILE, compareTrialsCsv(record, trials)]] as [string, string][]) : []),
    [REPORT_FILE, compareReportBytes(record)],
  ];
}

/** Every run tried, when --seeds made them more than the configurations. */
const TRIALS_FILE = 'trials.csv';

/** The data files of a compare folder that `compareRecordOf` reads (report.html is not). */
export const COMPARE_READ_BACK = [SUMMARY_FILE, RETURNS_FILE, TRIALS_FILE] as const;

/**
 * The record of a compare folder from the texts of its files (`COMPARE_READ_BACK`, each read
 * by readRunFolderFiles), every one checked: summary.json against its schema; returns.csv's
 * columns exactly the period, asset, cash and buy-and-hold returns and one per configuration in
 * summary.json's order, its rows exactly the summary's period, every return a finite number;
 * trials.csv, there exactly when the summary's joint tests name more trials than configurations,
 * of those trials over the same rows. A bad file is a UserError naming it and the key, or the
 * line and column, and what was expected and found.
 */
export function compareRecordOf(dir: string, texts: ReadonlyMap<string, string>): CompareRecord {
  const where = (name: string) => path.join(dir, name);
  const need = (name: string) => folderText(texts, dir, name, 'compare');
  const head = parseCompareSummaryJson(need(SUMMARY_FILE), where(SUMMARY_FILE));
  const s = head.summary;
  const period = periodColumn(s);
  const file = where(RETURNS_FILE);
  const t = parseCsv(need(RETURNS_FILE), file);
  expectColumns(t, [period, 'asset_return', 'cash_return', 'buy_and_hold_return', ...s.configurations], file, (i) =>
    i >= 4 ? ` (configuration ${i - 3} of ${SUMMARY_FILE})` : '',
  );
  const rows = labels(t, file);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (rows.length !== s.period.periods || first !== s.period.start || last !== s.period.end) {
    throw new UserError(
      `${file}: expected the ${s.period.periods} periods ${s.period.start} .. ${s.period.end} of ${SUMMARY_FILE}, found ${rows.length} (${first ?? 'none'} .. ${last ?? 'none'})`,
    );
  }
  const tested = s.multipleTesting?.trials;
  const trialsText = texts.get(TRIALS_FILE);
  if (tested && tested.length > s.configurations.length && trialsText === undefined) {
    throw new UserError(
      `compare folder ${dir} has no ${TRIALS_FILE}, but ${SUMMARY_FILE} tested ${tested.length} runs together, more than its ${s.configurations.length} configurations`,
    );
  }
  let trials: Record<string, Float64Array> | undefined;
  if (trialsText !== undefined) {
    const tf = where(TRIALS_FILE);
    if (!tested || tested.length <= s.configurations.length) {
      throw new UserError(`${tf}: not expected: ${SUMMARY_FILE} names no more runs tried than its ${s.configurations.length} configurations`);
    }
    const tt = parseCsv(trialsText, tf);
    expectColumns(tt, [period, ...tested], tf, (i) => (i >= 1 ? ` (multipleTesting.trials[${i - 1}] of ${SUMMARY_FILE})` : ''));
    labels(tt, tf).forEach((l, k) => {
      if (l !== rows[k])
        throw new InputError({ file: tf, line: tt.lines[k]!, column: period }, `expected ${rows[k] ?? 'no more rows'} (row ${k + 1} of ${RETURNS_FILE}), found ${preview(l)}`);
    });
    if (tt.rows.length !== rows.length) throw new UserError(`${tf}: expected ${rows.length} rows (those of ${RETURNS_FILE}), found ${tt.rows.length}`);
    trials = Object.fromEntries(tested.map((label) => [label, finite(tt, label, tf)]));
  }
  return {
    ...head,
    periods: {
      labels: rows,
      assetReturns: finite(t, 'asset_return', file),
      cashReturns: finite(t, 'cash_return', file),
      benchmarkReturns: finite(t, 'buy_and_hold_return', file),
      configurations: Object.fromEntries(s.configurations.map((label) => [label, finite(t, label, file)])),
      ...(trials ? { trials } : {}),
    },
  };
}

/** The header must be `expected`, in order, each name once: else an error at the first column that differs. */
function expectColumns(t: CsvTable, expected: readonly string[], file: string, whose: (i: number) => string): void {
  const n = Math.max(expected.length, t.header.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = t.header[i];
    if (want === got && expected.indexOf(want!) === i) continue;
    const at = { file, line: t.headerLine, ...(got === undefined ? {} : { column: got }) };
    if (want === undefined) throw new InputError(at, `column ${i + 1}: expected no more columns, found ${preview(got!)}`);
    if (expected.indexOf(want) !== i) throw new InputError(at, `column ${i + 1}: ${preview(want)} is named twice in ${SUMMARY_FILE}`);
    throw new InputError(at, `column ${i + 1}: expected ${preview(want)}${whose(i)}, found ${got === undefined ? 'no column' : preview(got)}`);
  }
}

/** A column of returns: every cell a finite number (a compare's returns have no gap). */
function finite(t: CsvTable, name: string, file: string): Float64Array {
  const v = numbers(t, name, file);
  const c = t.header.indexOf(name);
  v.forEach((x, k) => {
    if (Number.isNaN(x)) throw new InputError({ file, line: t.lines[k]!, column: t.header[c]! }, 'expected a number, found an empty cell');
  });
  return v;
}

/** Writes the compare folder `dir`; returns its absolute path and the files in it. */
export function writeCompareFolder(record: CompareRecord, dir: string): { dir: string; files: string[] } {
  return writeFolderAtomically(dir, compareFolderFiles(record));
}
