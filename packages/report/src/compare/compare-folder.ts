/**
 * The folder of a `backtest compare` run: summary.json, returns.csv and report.html, built as
 * `<dir>.partial` and renamed when complete, like a run folder, so a folder without the suffix
 * is always whole.
 */
import { UserError } from '@backtest/core';
import { writeFolderAtomically } from '../atomic-write';
import { formatCsv } from '../csv';
import { folderProvenance, REPORT_FILE, RETURNS_FILE, SUMMARY_FILE, summaryJson } from '../run-files';
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
  const header = [record.summary.frequency === 'monthly' ? 'month' : 'date', 'asset_return', 'cash_return', 'buy_and_hold_return', ...labels];
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
    [record.summary.frequency === 'monthly' ? 'month' : 'date', ...labels],
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

/** Writes the compare folder `dir`; returns its absolute path and the files in it. */
export function writeCompareFolder(record: CompareRecord, dir: string): { dir: string; files: string[] } {
  return writeFolderAtomically(dir, compareFolderFiles(record));
}
