import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_KEYWORD, type PluginSource } from './plugin-source';

/** Strategy packages of the project that are not (yet) built, so `--strategy` can say why it misses them. */
export interface ProjectStrategies {
  readonly sources: readonly PluginSource[];
  /** `strategies/<dir>` of each keyword-carrying package whose entry point is missing. */
  readonly unbuilt: readonly string[];
}

/**
 * The project's own strategy packages, beyond the built-in ones: every `strategies/<dir>` whose
 * package.json carries the `backtest-strategy` keyword (as `backtest new` writes it). They are
 * the project's code, so they load without being named; code anywhere else loads only when the
 * user names it (`--plugin`).
 */
export function projectStrategies(projectRoot: string, builtInPackages: ReadonlySet<string>): ProjectStrategies {
  const dir = path.join(projectRoot, 'strategies');
  const sources: PluginSource[] = [];
  const unbuilt: string[] = [];
  if (!existsSync(dir)) return { sources, unbuilt };
  for (const name of readdirSync(dir).sort()) {
    const manifestFile = path.join(dir, name, 'package.json');
    if (!existsSync(manifestFile)) continue;
    let manifest: { name?: string; main?: string; keywords?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as typeof manifest;
    } catch {
      // A half-written package.json is not a strategy package yet.
      continue;
    }
    if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes(PLUGIN_KEYWORD)) continue;
    if (manifest.name && builtInPackages.has(manifest.name)) continue;
    const entry = path.resolve(dir, name, manifest.main ?? 'index.js');
    const file = [entry, `${entry}.js`, path.join(entry, 'index.js')].find((f) => existsSync(f));
    if (file) sources.push({ label: `strategies/${name}`, entry: file });
    else unbuilt.push(`strategies/${name}`);
  }
  return { sources, unbuilt };
}
