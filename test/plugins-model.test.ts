/**
 * A model plugin end to end, as a user outside this repository would write one: `backtest new
 * NAME --kind model`, build, the scaffold's own test, then `backtest --strategy forecast
 * --param model=NAME --plugin DIR`: reproducible from the seed, on one thread and on two (the
 * workers build the model from the plugin's own module).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest } from './helpers';
import { npmRun, scaffoldAndBuild } from './plugins-scaffold';

interface Summary {
  strategy: string;
  results: Record<string, { sharpe: number; fits?: number }>;
  params: Record<string, unknown>;
  backend?: string;
  trainer?: string;
}

describe('a model plugin scaffolded outside the repository', () => {
  let dir: string;
  beforeAll(() => {
    dir = scaffoldAndBuild('tiny-net', 'model');
  }, 180_000);

  it('is a package with the @backtest packages it uses as peers', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@backtest/core', '@backtest/forecast', '@backtest/models']);
    expect(manifest.description).toBe('Backtest model plugin: the tiny-net network');
  });

  it('passes its own test', () => {
    const r = npmRun(dir, 'test');
    expect(r.output).toContain('2 passed, 2 total');
    expect(r.code).toBe(0);
  }, 180_000);

  it('runs with --plugin as the forecast model, the same JSON twice and on two threads', () => {
    const args = [
      '--strategy',
      'forecast',
      '--param',
      'model=tiny-net',
      '--plugin',
      dir,
      '--param',
      'epochs=2',
      '--param',
      'units=3',
      '--from',
      '1990-01',
      '--to',
      '2003-12',
      '--json',
      '--no-save',
    ];
    const runs = [backtest([...args, '--threads', '1']), backtest([...args, '--threads', '1']), backtest([...args, '--threads', '2'], { env: { BACKTEST_WORKER_MIN_WORK: '0' } })];
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
    expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
    const s = JSON.parse(runs[0]!.stdout) as Summary;
    expect(s.params).toMatchObject({ model: 'tiny-net', units: 3, epochs: 2, lookback: 12 });
    expect(s.trainer).toBe('tfjs');
    expect(s.results.forecast!.fits).toBeGreaterThan(1);
    expect(Number.isFinite(s.results.forecast!.sharpe)).toBe(true);
  }, 180_000);

  it("checks its parameters with the tool's messages", () => {
    const r = backtest(['--strategy', 'forecast', '--param', 'model=tiny-net', '--plugin', dir, '--param', 'unit=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^backtest: unknown parameter "unit" for strategy "forecast" \(did you mean "units"\?\)/);
  });
});
