import * as path from 'node:path';
import { compareRecordFrom, REPORT_FILE, writeCompareFolder } from '@backtest/report';
import { packageVersion } from '../run-folder';
import { loadData } from '../run-job';
import type { RunSettings } from '../settings';
import type { CompareOptions, CompareOutcome } from './compare-job';

/**
 * Writes the compare folder (summary.json, returns.csv, report.html) to `dir`; returns its path
 * and the report's. The data file's path and hash come from loading it again as the compare did
 * (`CompareOutcome` does not carry them): the same settings resolve to the same file.
 */
export function saveCompare(
  outcome: CompareOutcome,
  settings: RunSettings,
  options: CompareOptions,
  projectRoot: string,
  dir: string,
): { dir: string; report: string } {
  const data = loadData(settings, projectRoot);
  const record = compareRecordFrom(outcome, {
    // The compare options next to the settings, so the folder says how to rerun it.
    config: { ...settings, compare: { ...options } },
    data: { path: data.path, sha256: data.sha256 },
    version: packageVersion(),
    createdAt: new Date(),
  });
  const written = writeCompareFolder(record, dir);
  return { dir: written.dir, report: path.join(written.dir, REPORT_FILE) };
}
