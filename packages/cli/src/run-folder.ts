import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultRunDir, PARTIAL_SUFFIX, REPORT_FILE, runRecordFrom, writeRunFolder } from '@backtest/report';
import type { RunOutcome } from './run-job';
import type { RunSettings } from './settings';

/** Where run folders go: `--out`, else `$BACKTEST_RUNS_DIR/<stamp>-<id>`, else `<project>/runs/<stamp>-<id>`. */
export function runFolderPath(strategy: string, projectRoot: string, out: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (out) return path.resolve(out);
  const base = env.BACKTEST_RUNS_DIR ? path.resolve(env.BACKTEST_RUNS_DIR) : path.join(projectRoot, 'runs');
  const dir = defaultRunDir(strategy, new Date(), base);
  // Two runs in the same second: the later one gets -2, -3, ... rather than failing.
  let candidate = dir;
  for (let i = 2; existsSync(candidate) || existsSync(candidate + PARTIAL_SUFFIX); i++) candidate = `${dir}-${i}`;
  return candidate;
}

export function packageVersion(): string {
  // The CLI runs from dist/ (or the bundle in dist/): its package.json is one level up.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@backtest/cli' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}

/**
 * Writes the run folder (data files, the saved models when the strategy kept them, and
 * report.html); returns its path, the report's, and the number of models saved.
 */
export function saveRun(outcome: RunOutcome, settings: RunSettings, dir: string): { dir: string; report: string; models: number } {
  const record = runRecordFrom(outcome, { config: { ...settings }, version: packageVersion(), createdAt: new Date() });
  const written = writeRunFolder(record, dir);
  return { dir: written.dir, report: path.join(written.dir, REPORT_FILE), models: record.savedModels?.length ?? 0 };
}

/** The warning of a `--save-models` run that kept no model (a rule strategy such as sma), or undefined. */
export function noModelsWarning(outcome: RunOutcome): string | undefined {
  if (outcome.walk.output.savedModels?.length) return undefined;
  return `--save-models: strategy "${outcome.summary.strategy}" kept no trained models, so the run folder has no models/ folder`;
}
