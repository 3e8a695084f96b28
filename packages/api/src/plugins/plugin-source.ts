import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { UserError } from '@backtest/core';

/** The keyword a package declares to say it is a strategy plugin (as ESLint and Babel plugins do). */
export const PLUGIN_KEYWORD = 'backtest-strategy';

/** Where one plugin's code is, and how messages name it. */
export interface PluginSource {
  /** How errors name the plugin: the path or package name as the user gave it, resolved. */
  readonly label: string;
  /** The file to require. */
  readonly entry: string;
}

interface Manifest {
  name?: string;
  main?: string;
  keywords?: unknown;
}

/** A path (absolute, or starting with `.`) as opposed to an installed package's name. */
function isPathSpec(spec: string): boolean {
  return path.isAbsolute(spec) || spec.startsWith('.') || (spec.includes(path.sep) && !spec.startsWith('@'));
}

function readManifest(file: string, label: string): Manifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new UserError(`plugin ${label}: cannot read ${file}: ${(e as Error).message}`);
  }
}

function entryOfDirectory(dir: string, label: string): string {
  const manifestFile = path.join(dir, 'package.json');
  const manifest = existsSync(manifestFile) ? readManifest(manifestFile, label) : {};
  const main = path.resolve(dir, manifest.main ?? 'index.js');
  for (const candidate of [main, `${main}.js`, path.join(main, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  const what = manifest.main ? `its package.json "main" (${manifest.main})` : 'index.js';
  throw new UserError(`plugin ${label}: ${what} does not exist; build the plugin first (npm run build)`);
}

/**
 * Resolve what the user named with `--plugin` or `plugins: [...]`: a directory (its
 * package.json `main`), a .js file, or the name of a package installed in the working
 * directory or the project, which must carry the `backtest-strategy` keyword.
 */
export function resolvePluginSpec(spec: string, cwd: string, projectRoot: string): PluginSource {
  if (isPathSpec(spec)) {
    const abs = path.resolve(cwd, spec);
    if (!existsSync(abs)) throw new UserError(`plugin ${abs}: no such file or directory`);
    return { label: abs, entry: statSync(abs).isDirectory() ? entryOfDirectory(abs, abs) : abs };
  }
  const label = `"${spec}"`;
  let manifestFile: string | undefined;
  for (const base of [cwd, projectRoot]) {
    try {
      manifestFile = createRequire(path.join(base, 'package.json')).resolve(`${spec}/package.json`);
      break;
    } catch {
      // Not installed here (or its exports hide package.json): try the next place.
    }
  }
  if (!manifestFile) {
    throw new UserError(
      `plugin ${label}: no installed package of that name (looked from ${[...new Set([cwd, projectRoot])].join(' and ')}); give a path to load a plugin from a directory`,
    );
  }
  const manifest = readManifest(manifestFile, label);
  if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes(PLUGIN_KEYWORD)) {
    throw new UserError(`plugin ${label}: the package does not declare the keyword "${PLUGIN_KEYWORD}" in its package.json, so it is not loaded as a strategy plugin`);
  }
  return { label, entry: entryOfDirectory(path.dirname(manifestFile), label) };
}
