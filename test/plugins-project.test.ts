/**
 * A strategy package in the project's own strategies/ directory (where `backtest new <name>`
 * puts it by default) loads without --plugin once built. Checked in a copy of the project's
 * layout, so the shared strategies/ directory is never written to.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadStrategyRegistry } from '@backtest/api';
import { scaffoldPlugin } from '@backtest/cli';
import { root } from './helpers';
import { outsideDir } from './plugins-scaffold';

/** A project root with the real one's base tsconfig, jest preset and installed packages. */
function projectCopy(): string {
  const dir = outsideDir('project');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'copy', private: true, workspaces: ['strategies/*'] }));
  copyFileSync(path.join(root, 'tsconfig.base.json'), path.join(dir, 'tsconfig.base.json'));
  symlinkSync(path.join(root, 'jest.preset.js'), path.join(dir, 'jest.preset.js'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'strategies'));
  return dir;
}

const node = (dir: string, script: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

describe('a plugin scaffolded into strategies/<name>', () => {
  let project: string;
  let dir: string;
  beforeAll(() => {
    project = projectCopy();
    const result = scaffoldPlugin({ name: 'house-rule', kind: 'rule', projectRoot: project, takenIds: ['sma'] });
    dir = result.dir;
    expect(result).toMatchObject({ dir: path.join(project, 'strategies', 'house-rule'), placement: 'workspace' });
  });

  it('is named as a workspace package and uses the shared tsconfig', () => {
    const manifest = require(path.join(dir, 'package.json'));
    expect(manifest.name).toBe('@backtest/strategy-house-rule');
    expect(manifest.keywords).toEqual(['backtest-strategy']);
    expect(require(path.join(dir, 'tsconfig.json')).extends).toBe('../../tsconfig.base.json');
  });

  it('is not loaded before it is built, and the miss says so', () => {
    expect(() => loadStrategyRegistry({ projectRoot: project }).get('house-rule')).toThrow(
      'unknown strategy "house-rule"; available: buy-and-hold, sma, ols-sma, nn-sma, forecast (see "backtest list"); not built yet, so not loaded: strategies/house-rule (run "npm run build")',
    );
  });

  it('builds, passes its test, and then loads without --plugin', () => {
    const build = node(dir, 'typescript/bin/tsc', '-p', 'tsconfig.build.json');
    expect(build.stdout + build.stderr).toBe('');
    const test = node(dir, 'jest/bin/jest.js');
    expect(test.stderr).toContain('2 passed, 2 total');
    expect(test.status).toBe(0);
    const plugin = loadStrategyRegistry({ projectRoot: project }).get('house-rule');
    expect(plugin.kind).toBe('rule');
    expect(Object.keys(plugin.params)).toEqual(['lookback', 'threshold']);
  });

  it('is not discovered without the backtest-strategy keyword', () => {
    const other = path.join(project, 'strategies', 'plain');
    mkdirSync(other);
    writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'plain', main: 'index.js' }));
    writeFileSync(path.join(other, 'index.js'), "throw new Error('must not run');");
    expect(() => loadStrategyRegistry({ projectRoot: project })).not.toThrow();
  });
});
