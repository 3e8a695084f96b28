import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_KEYWORD, type PluginSource } from './plugin-source';

/** A strategy package in the project's strategies/ directory, as its package.json describes it (nothing of it is run). */
export interface ProjectPackage {
  /** `strategies/<dir>`: how messages and `backtest list` name it. */
  readonly label: string;
  /** Its package.json `name`, `version` and `description`, when strings. */
  readonly name?: string;
  readonly version?: string;
  readonly description?: string;
  /** The file a load would require; undefined when the package is not built yet. */
  readonly entry?: string;
}

/** Strategy packages of the project that are not (yet) built, so `--strategy` can say why it misses them. */
export interface ProjectStrategies {
  /** Every keyword-carrying package, built or not, in directory order. */
  readonly packages: readonly ProjectPackage[];
  readonly sources: readonly PluginSource[];
  /** `strategies/<dir>` of each keyword-carrying package whose entry point is missing. */
  readonly unbuilt: readonly string[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The project's own strategy packages, beyond the built-in ones: every `strategies/<dir>` whose
 * package.json carries the `backtest-strategy` keyword (as `backtest new` writes it). This reads
 * package.json files only; it runs no code. The packages are the project's code, so a run loads
 * them without being named (see the registry); code anywhere else loads only when the user
 * names it (`--plugin`).
 */
export function projectStrategies(projectRoot: string, builtInPackages: ReadonlySet<string>): ProjectStrategies {
  const dir = path.join(projectRoot, 'strategies');
  const packages: ProjectPackage[] = [];
  if (!existsSync(dir)) return { packages, sources: [], unbuilt: [] };
  for (const name of readdirSync(dir).sort()) {
    const manifestFile = path.join(dir, name, 'package.json');
    if (!existsSync(manifestFile)) continue;
    let manifest: { name?: unknown; main?: unknown; keywords?: unknown; version?: unknown; description?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as typeof manifest;
    } catch {
      // A half-written package.json is not a strategy package yet.
      continue;
    }
    if (manifest === null || typeof manifest !== 'object') continue;
    if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes(PLUGIN_KEYWORD)) continue;
    const packageName = text(manifest.name);
    if (packageName && builtInPackages.has(packageName)) continue;
    const entry = path.resolve(dir, name, text(manifest.main) ?? 'index.js');
    const file = [entry, `${entry}.js`, path.join(entry, 'index.js')].find((f) => existsSync(f));
    const version = text(manifest.version);
    const description = text(manifest.description);
    packages.push({
      label: `strategies/${name}`,
      ...(packageName !== undefined ? { name: packageName } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(file ? { entry: file } : {}),
    });
  }
  return {
    packages,
    sources: packages.flatMap((p) => (p.entry ? [{ label: p.label, entry: p.entry }] : [])),
    unbuilt: packages.filter((p) => !p.entry).map((p) => p.label),
  };
}
