/**
 * A plugin that cannot work gets one message naming the plugin and the problem, and exit code 2,
 * at load time where possible: never a TypeError in the middle of a backtest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest, root } from './helpers';
import { outsideDir } from './plugins-scaffold';

const base = outsideDir('bad-plugins');

/** A plugin directory holding one CommonJS file (no build step needed). */
function pluginDir(name: string, source: string, manifest: Record<string, unknown> = { main: 'index.js' }): string {
  const dir = path.join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  writeFileSync(path.join(dir, 'index.js'), source);
  return dir;
}

/** A well-formed plain plugin object, with `patch` spliced into its literal. */
const plugin = (patch: string) => `module.exports = {
  id: 'good', description: 'always long', kind: 'rule',
  params: { window: { type: 'integer', default: 10, min: 1, description: 'length' } },
  create: () => ({ minHistory: 1, decide: () => 1 }),
  ${patch}
};`;

function expectUserError(args: string[], message: string): void {
  const r = backtest(args);
  expect(r.stderr).toBe(`backtest: ${message}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

it('accepts the well-formed plain object the other cases break', () => {
  const dir = pluginDir('good', plugin(''));
  const r = backtest(['--strategy', 'good', '--plugin', dir, '--json', '--no-save']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).results.good.exposure).toBe(1);
});

it('accepts an installed package that declares the backtest-strategy keyword, by name', () => {
  const project = outsideDir('installed');
  const pkg = path.join(project, 'node_modules', 'backtest-strategy-always');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'backtest-strategy-always', main: 'index.js', keywords: ['backtest-strategy'] }));
  writeFileSync(path.join(pkg, 'index.js'), plugin("id: 'always',"));
  const r = backtest(['--strategy', 'always', '--plugin', 'backtest-strategy-always', '--json', '--no-save'], { cwd: project });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).strategy).toBe('always');
});

it('a path that does not exist', () => {
  const dir = path.join(base, 'nowhere');
  expectUserError(['--strategy', 'x', '--plugin', dir], `plugin ${dir}: no such file or directory`);
});

it('a package that is not installed', () => {
  expectUserError(
    ['--strategy', 'x', '--plugin', 'backtest-strategy-nowhere'],
    `plugin "backtest-strategy-nowhere": no installed package of that name (looked from ${root}); give a path to load a plugin from a directory`,
  );
});

it('an installed package without the backtest-strategy keyword', () => {
  const r = backtest(['--strategy', 'x', '--plugin', 'typescript']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'backtest: plugin "typescript": the package does not declare the keyword "backtest-strategy" in its package.json, so it is not loaded as a strategy plugin\n',
  );
});

it('a directory whose entry point is not built', () => {
  const dir = pluginDir('unbuilt', '', { main: './dist/index.js' });
  expectUserError(['--strategy', 'x', '--plugin', dir], `plugin ${dir}: its package.json "main" (./dist/index.js) does not exist; build the plugin first (npm run build)`);
});

it('a plugin that throws when it is loaded', () => {
  const dir = pluginDir('throws-on-load', "throw new Error('no licence key');");
  expectUserError(['--strategy', 'x', '--plugin', dir], `plugin ${dir}: loading ${path.join(dir, 'index.js')} failed: no licence key`);
});

it('a plugin with no strategy export', () => {
  const dir = pluginDir('no-export', 'exports.helper = () => 1;');
  expectUserError(
    ['--strategy', 'x', '--plugin', dir],
    `plugin ${dir}: exports no strategy: expected a ContainerModule (strategyModule(plugin)), a StrategyPlugin or an array of them as its default export, got an object with keys helper`,
  );
});

it('a strategy without an id', () => {
  const dir = pluginDir('no-id', 'module.exports = { create: () => ({}) };');
  expectUserError(['--strategy', 'x', '--plugin', dir], `plugin ${dir}: a strategy needs an id (a string), got nothing`);
});

it('a strategy with a bad id', () => {
  const dir = pluginDir('bad-id', plugin("id: 'My_Rule',"));
  expectUserError(['--strategy', 'x', '--plugin', dir], `plugin ${dir}: strategy "My_Rule": its id must be lower-case letters, digits and dashes, starting with a letter`);
});

it('a parameter of an unknown type', () => {
  const dir = pluginDir('bad-type', plugin("params: { window: { type: 'int', default: 10, description: 'length' } },"));
  expectUserError(
    ['--strategy', 'good', '--plugin', dir],
    `plugin ${dir}: strategy "good": parameter "window" has type "int"; expected one of integer, number, boolean, enum, string, integer-list`,
  );
});

it('a parameter whose default is of the wrong type', () => {
  const dir = pluginDir('bad-default', plugin("params: { window: { type: 'integer', default: '10', description: 'length' } },"));
  expectUserError(['--strategy', 'good', '--plugin', dir], `plugin ${dir}: strategy "good": parameter "window" (integer) has default "10"; expected an integer`);
});

it('an enum parameter whose default is not one of its values', () => {
  const dir = pluginDir('bad-enum', plugin("params: { mode: { type: 'enum', values: ['fast', 'slow'], default: 'medium', description: 'speed' } },"));
  expectUserError(['--strategy', 'good', '--plugin', dir], `plugin ${dir}: strategy "good": parameter "mode" (enum) has default "medium"; expected one of its values (fast, slow)`);
});

it('params that are not an object', () => {
  const dir = pluginDir('bad-params', plugin("params: ['window'],"));
  expectUserError(['--strategy', 'good', '--plugin', dir], `plugin ${dir}: strategy "good": params must be an object of parameter specs, got an array`);
});

it('a create that is not a function', () => {
  const dir = pluginDir('bad-create', plugin('create: 42,'));
  // With create not a function the export is not even strategy-shaped.
  expectUserError(
    ['--strategy', 'good', '--plugin', dir],
    `plugin ${dir}: exports no strategy: expected a ContainerModule (strategyModule(plugin)), a StrategyPlugin or an array of them as its default export, got an object with keys id, description, kind, params, create`,
  );
});

it('a factory that throws', () => {
  const dir = pluginDir('throws-in-create', plugin("create: () => { throw new Error('model file missing'); },"));
  expectUserError(['--strategy', 'good', '--plugin', dir], `plugin ${dir}: strategy "good" failed in create(): model file missing`);
});

it('an id that a built-in strategy has', () => {
  const dir = pluginDir('dup-builtin', plugin("id: 'sma',"));
  expectUserError(['--strategy', 'sma', '--plugin', dir], `plugin ${dir}: strategy id "sma" is already used by the built-in strategy "sma"`);
});

it('an id that another plugin has', () => {
  const first = pluginDir('dup-first', plugin(''));
  const second = pluginDir('dup-second', plugin(''));
  expectUserError(['--strategy', 'good', '--plugin', first, '--plugin', second], `plugin ${second}: strategy id "good" is already used by plugin ${first}`);
});

it('a feature id that a built-in feature has', () => {
  const dir = pluginDir(
    'dup-feature',
    `const { featureModule } = require('@backtest/forecast');
module.exports = featureModule({ id: 'rsi', description: 'mine', warmup: () => 0, build: (c) => c });`,
  );
  expectUserError(['--strategy', 'sma', '--plugin', dir], `plugin ${dir}: feature id "rsi" is already used by the built-in feature "rsi"`);
});
