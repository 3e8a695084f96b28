import * as path from 'node:path';
import { compareFolderFiles, compareRecordFrom, type FolderClaim, REPORT_FILE, writeFolderAtomically } from '@backtest/report';
import { packageVersion } from '../save-run';
import type { RunSettings } from '../settings';
import type { CompareOptions, CompareOutcome } from './compare-job';

/**
 * Writes the compare folder (summary.json, returns.csv, report.html) into `dir`, a claim made
 * before the comparison (or a name, claimed now); returns its path and the report's.
 */
export function saveCompare(outcome: CompareOutcome, settings: RunSettings, options: CompareOptions, dir: string | FolderClaim): { dir: string; report: string } {
  const record = compareRecordFrom(outcome, {
    // The compare options next to the settings, so the folder says how to rerun it.
    config: { ...settings, compare: { ...options } },
    data: outcome.data,
    version: packageVersion(),
    createdAt: new Date(),
  });
  const written = writeFolderAtomically(dir, compareFolderFiles(record), 'compare folder');
  return { dir: written.dir, report: path.join(written.dir, REPORT_FILE) };
}
