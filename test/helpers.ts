import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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

/** A file of the shared market data, found through the configured data directories. */
export function sharedDataFile(name: string): string {
  const defaults = JSON.parse(readFileSync(path.join(root, 'config/defaults.json'), 'utf8')) as { dataDirs: string[] };
  for (const d of defaults.dataDirs) {
    const p = path.resolve(root, d, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} is in none of the configured data directories (${defaults.dataDirs.join(', ')})`);
}
