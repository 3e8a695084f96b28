/**
 * Writing a plugin end to end, as a user outside this repository would: `backtest new`, build,
 * the scaffold's own test, then `backtest --strategy <name> --plugin <dir>`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest } from './helpers';
import { npmRun, outsideDir, scaffoldAndBuild } from './plugins-scaffold';

interface Summary {
  strategy: string;
  results: Record<string, { sharpe: number; exposure: number; trades: number; forecast?: { n: number }; fits?: number }>;
  params: Record<string, unknown>;
}

describe('a rule plugin scaffolded outside the repository', () => {
  let dir: string;
  beforeAll(() => {
    dir = scaffoldAndBuild('my-rule', 'rule');
  });

  it('is a package with the plugin keyword and @backtest/core as a peer', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.keywords).toEqual(['backtest-strategy']);
    expect(manifest.peerDependencies).toEqual({ '@backtest/core': '0.1.0' });
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'dist', 'jest.config.js', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json']);
  });

  it('passes its own test', () => {
    const r = npmRun(dir, 'test');
    expect(r.output).toContain('2 passed, 2 total');
    expect(r.code).toBe(0);
  });

  it('runs with --plugin, against buy-and-hold', () => {
    const r = backtest(['--strategy', 'my-rule', '--plugin', dir, '--param', 'lookback=10', '--json', '--no-save']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.strategy).toBe('my-rule');
    expect(s.params).toEqual({ lookback: 10, threshold: 0 });
    expect(Object.keys(s.results)).toEqual(['my-rule', 'buy-and-hold']);
    expect(Number.isFinite(s.results['my-rule']!.sharpe)).toBe(true);
    // A momentum rule on the S&P 500 is in the market most months, but not all.
    expect(s.results['my-rule']!.exposure).toBeGreaterThan(0.5);
    expect(s.results['my-rule']!.exposure).toBeLessThan(1);
  });

  it("validates its parameters with the tool's messages", () => {
    const r = backtest(['--strategy', 'my-rule', '--plugin', dir, '--param', 'lookbak=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backtest: unknown parameter "lookbak" for strategy "my-rule" (did you mean "lookback"?); its parameters are: lookback, threshold\n');
  });

  it("loads from a config file's plugins list too", () => {
    const config = path.join(outsideDir('config'), 'settings.json');
    writeFileSync(config, JSON.stringify({ strategy: 'my-rule', plugins: [dir] }));
    const r = backtest(['--config', config, '--json', '--no-save']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).strategy).toBe('my-rule');
  });
});

describe('a forecast plugin scaffolded outside the repository', () => {
  let dir: string;
  beforeAll(() => {
    dir = scaffoldAndBuild('my-forecast', 'forecast');
  });

  it('passes its own test', () => {
    const r = npmRun(dir, 'test');
    expect(r.output).toContain('2 passed, 2 total');
    expect(r.code).toBe(0);
  });

  it('runs with --plugin and reports its forecasts', () => {
    const r = backtest(['--strategy', 'my-forecast', '--plugin', dir, '--json', '--no-save']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    const result = s.results['my-forecast']!;
    expect(result.fits).toBeGreaterThan(10);
    expect(result.forecast!.n).toBeGreaterThan(100);
  });

  it('lends its feature to the composed forecast strategy', () => {
    const r = backtest(['--strategy', 'forecast', '--param', 'features=sma,my-forecast-range', '--plugin', dir, '--json', '--no-save']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).params.features).toBe('sma,my-forecast-range');
  });
});

describe('backtest new refuses', () => {
  it('a name that is not lower-case words joined by dashes', () => {
    const r = backtest(['new', 'My_Rule', '--dir', path.join(outsideDir('bad-name'), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backtest: plugin name "My_Rule" must be lower-case letters and digits in words joined by single dashes, starting with a letter (e.g. "my-rule")\n');
  });

  it('a directory that exists and is not empty, and writes nothing', () => {
    const dir = outsideDir('taken');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = backtest(['new', 'my-rule', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`backtest: cannot create the plugin in ${dir}: the directory exists and is not empty\n`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}.partial`))).toEqual([]);
  });

  it('the id of a built-in strategy', () => {
    const r = backtest(['new', 'sma', '--dir', path.join(outsideDir('builtin'), 'sma')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backtest: plugin name "sma" is the id of a built-in strategy; choose another\n');
  });

  it('but fills an empty directory', () => {
    const dir = outsideDir('empty');
    mkdirSync(dir, { recursive: true });
    const r = backtest(['new', 'my-empty', '--dir', dir, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).placement).toBe('standalone');
    expect(existsSync(path.join(dir, 'src/index.ts'))).toBe(true);
  });
});
