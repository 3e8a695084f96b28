/**
 * Loading a plugin runs its code, so `backtest list` loads none that no flag or config named:
 * a package in the project's strategies/ is listed from its package.json, marked not loaded,
 * and its code does not run; `--plugin` (or a config's `plugins`) loads it, and so does a run,
 * as docs/plugins.md says. The plugin here writes a marker file at its module's top level.
 *
 * The project is a copy of this one's layout (its packages, config and node_modules linked), so
 * the shared strategies/ directory is never written to. Node keeps the linked paths
 * (--preserve-symlinks), so the command finds the copy as its project root.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadStrategyRegistry } from '@backtest/api';
import { root, runsDir } from './helpers';
import { outsideDir } from './plugins-scaffold';

const project = outsideDir('list-project');
writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'copy', private: true, workspaces: ['packages/*', 'strategies/*'] }));
for (const linked of ['packages', 'config', 'node_modules']) symlinkSync(path.join(root, linked), path.join(project, linked));

const pkg = path.join(project, 'strategies', 'marker');
const marker = path.join(project, 'MARKER');
mkdirSync(pkg, { recursive: true });
writeFileSync(
  path.join(pkg, 'package.json'),
  JSON.stringify({ name: '@backtest/strategy-marker', version: '1.2.3', description: 'writes a marker when loaded', main: 'index.js', keywords: ['backtest-strategy'] }),
);
writeFileSync(
  path.join(pkg, 'index.js'),
  `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'loaded');
module.exports = { id: 'marker', description: 'always long', kind: 'rule', params: {}, create: () => ({ minHistory: 1, decide: () => 1 }) };
`,
);
// A package that is not built: listed too, never loaded.
mkdirSync(path.join(project, 'strategies', 'unbuilt'));
writeFileSync(path.join(project, 'strategies', 'unbuilt', 'package.json'), JSON.stringify({ name: 'unbuilt', main: 'dist/index.js', keywords: ['backtest-strategy'] }));

/** The copy's `backtest`. */
function backtest(args: string[], cwd = project): { code: number; stdout: string; stderr: string } {
  const bin = path.join(project, 'packages/cli/bin/backtest.js');
  const r = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', bin, ...args], {
    cwd,
    env: { ...process.env, BACKTEST_RUNS_DIR: runsDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface ListDocument {
  strategies: { id: string }[];
  notLoaded: { dir: string; package?: string; version?: string; description?: string; built: boolean }[];
}

beforeEach(() => rmSync(marker, { force: true }));

describe('backtest list', () => {
  it('lists a strategies/ package from its package.json without running it', () => {
    const r = backtest(['list']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(r.stdout).toContain('Strategy packages in strategies/, not loaded (listing runs no plugin code; a run loads them, --plugin DIR lists one):');
    expect(r.stdout).toContain('  strategies/marker @backtest/strategy-marker 1.2.3: writes a marker when loaded\n');
    expect(r.stdout).toContain('  strategies/unbuilt unbuilt [not built]\n');
    expect(r.stdout).not.toMatch(/^ {2}marker /m);
  });

  it('with --json, under notLoaded', () => {
    const r = backtest(['list', '--json']);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const doc = JSON.parse(r.stdout) as ListDocument;
    expect(doc.strategies.map((s) => s.id)).toEqual(['buy-and-hold', 'sma', 'ols-sma', 'nn-sma', 'forecast']);
    expect(doc.notLoaded).toEqual([
      { dir: 'strategies/marker', package: '@backtest/strategy-marker', version: '1.2.3', description: 'writes a marker when loaded', built: true },
      { dir: 'strategies/unbuilt', package: 'unbuilt', built: false },
    ]);
  });

  it('loads the package when --plugin names it, and then lists its strategies', () => {
    const r = backtest(['list', '--json', '--plugin', 'strategies/marker']);
    expect(r.stderr).toBe('');
    expect(existsSync(marker)).toBe(true);
    const doc = JSON.parse(r.stdout) as ListDocument;
    expect(doc.strategies.map((s) => s.id)).toContain('marker');
    expect(doc.notLoaded.map((p) => p.dir)).toEqual(['strategies/unbuilt']);
  });

  it("loads it when a config file's plugins name it", () => {
    const config = path.join(outsideDir('list-config'), 'settings.json');
    writeFileSync(config, JSON.stringify({ plugins: [pkg] }));
    const r = backtest(['list', '--config', config]);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(r.stdout).toMatch(/^ {2}marker +always long \[rule\]$/m);
  });
});

describe('a run', () => {
  it("loads the project's strategies/ packages, as the docs promise: --strategy names it", () => {
    const r = backtest(['--strategy', 'marker', '--no-save', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(JSON.parse(r.stdout).results.marker.exposure).toBe(1);
  });

  it('loads a package named both by strategies/ and --plugin once', () => {
    const r = backtest(['--strategy', 'marker', '--plugin', pkg, '--no-save', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the registry', () => {
  it("describes the project's packages without loading them when asked to, and loads them by default", () => {
    const listing = loadStrategyRegistry({ projectRoot: project, projectPackages: 'describe' });
    expect(existsSync(marker)).toBe(false);
    expect(listing.all.map((p) => p.id)).not.toContain('marker');
    expect(listing.notLoaded.map((p) => [p.label, p.entry !== undefined])).toEqual([
      ['strategies/marker', true],
      ['strategies/unbuilt', false],
    ]);
    expect(() => listing.get('marker')).toThrow(/unknown strategy "marker"/);
    expect(loadStrategyRegistry({ projectRoot: project }).get('marker').kind).toBe('rule');
    expect(existsSync(marker)).toBe(true);
  });
});
