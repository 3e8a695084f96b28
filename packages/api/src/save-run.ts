import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type FolderClaim, REPORT_FILE, runRecordFrom, writeRunFolder } from '@backtest/report';
import type { RunOutcome } from './run-job';
import type { RunSettings } from './settings';

/** The version recorded in run folders: the tool's (the CLI's bundle or this package, both at one version). */
export function packageVersion(): string {
  // Compiled code runs from dist/ (or the CLI's bundle in its dist/): the package.json is one level up.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, rel), 'utf8')) as { name?: string; version?: string };
      if ((pkg.name === '@backtest/cli' || pkg.name === '@backtest/api') && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}

/**
 * Writes the run folder (data files, the saved models when the strategy kept them, and
 * report.html) into `dir`, a claim made before the run (or a name, claimed now); returns its
 * path, the report's, and the number of models saved.
 */
export function saveRun(outcome: RunOutcome, settings: RunSettings, dir: string | FolderClaim): { dir: string; report: string; models: number } {
  const record = runRecordFrom(outcome, { config: { ...settings }, version: packageVersion(), createdAt: new Date() });
  const written = writeRunFolder(record, dir);
  return { dir: written.dir, report: path.join(written.dir, REPORT_FILE), models: record.savedModels?.length ?? 0 };
}

/** The warning of a `saveModels` run that kept no model (a rule strategy such as sma), or undefined. */
export function noModelsWarning(outcome: RunOutcome): string | undefined {
  if (outcome.walk.output.savedModels?.length) return undefined;
  return `--save-models: strategy "${outcome.summary.strategy}" kept no trained models, so the run folder has no models/ folder`;
}
