import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { UserError } from '@backtest/core';
import { datasetRegistry } from './registry';

/**
 * The monorepo root: the nearest directory at or above `startDir` whose package.json declares
 * `workspaces`. Data directories and the registry are resolved from it, never from the
 * working directory, so the CLI behaves the same wherever it is started.
 */
export function findProjectRoot(startDir: string): string {
  let dir = resolve(startDir);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
        if (parsed.workspaces !== undefined) return dir;
      } catch {
        // An unreadable package.json is not the root; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new UserError(`no project root (a package.json with "workspaces") at or above ${resolve(startDir)}`);
    }
    dir = parent;
  }
}

export interface DataDirectorySources {
  /** Values of --data-dir, in the order given; relative ones are taken from the working directory. */
  readonly flag?: readonly string[];
  /** BACKTEST_DATA_DIR: directories separated by the platform's path delimiter (':' or ';'). */
  readonly env?: string;
  readonly projectRoot: string;
  /** Defaults relative to the project root; read from config/datasets.json when omitted. */
  readonly defaults?: readonly string[];
}

/**
 * The directories searched for data files, first match wins: --data-dir values, then
 * BACKTEST_DATA_DIR, then the configured defaults (the git-ignored `data/`, then ../shared/data).
 * Absolute, without repeats.
 *
 * @example dataDirectories({ env: '/a:/b', projectRoot: '/repo', defaults: ['data'] }) // ['/a', '/b', '/repo/data']
 */
export function dataDirectories(sources: DataDirectorySources): string[] {
  const fromEnv = (sources.env ?? '').split(delimiter).filter((d) => d.trim() !== '');
  // A directory the user named that exists as something else is a mistake, not an empty directory.
  const check = (d: string, from: string) => {
    if (existsSync(d) && !statSync(d).isDirectory()) throw new UserError(`${from} ${d} is not a directory`);
  };
  for (const d of sources.flag ?? []) check(resolve(d), '--data-dir');
  for (const d of fromEnv) check(resolve(d), 'BACKTEST_DATA_DIR names');
  const defaults = sources.defaults ?? datasetRegistry(sources.projectRoot).dataDirs;
  const all = [...(sources.flag ?? []).map((d) => resolve(d)), ...fromEnv.map((d) => resolve(d)), ...defaults.map((d) => resolve(sources.projectRoot, d))];
  return [...new Set(all)];
}
