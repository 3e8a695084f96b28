import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, itWithRealData, root, runsDir } from './helpers';

/**
 * The project as a new user has it: a clone, installed and built, with nothing beside it (no
 * ../shared/data). The installed tree is copied with hard links (fast, and nothing in it is
 * modified), leaving out git's files, run folders and the git-ignored data/.
 */
const scratch = mkdtempSync(path.join(tmpdir(), 'fresh-clone-'));
const clone = path.join(scratch, 'backtest');
const LEFT_OUT = new Set(['.git', 'runs', 'data', '.turbo']);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.BACKTEST_DATA_DIR;
  const r = spawnSync(command, args, { cwd, env: { ...base, BACKTEST_RUNS_DIR: runsDir, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(clone);
  for (const entry of readdirSync(root)) {
    if (LEFT_OUT.has(entry)) continue;
    const r = spawnSync('cp', ['-al', path.join(root, entry), clone], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cp -al ${entry}: ${r.stderr}`);
  }
  expect(existsSync(path.join(scratch, 'shared'))).toBe(false);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The README's first command in the clone, run once for the tests that look at it. */
let freshRun: ReturnType<typeof run> | undefined;
const fresh = () => (freshRun ??= run('npx', ['--no-install', 'backtest', '--strategy', 'nn-sma', '--json', '--no-save'], clone));
/** `backtest data sp500 --json` in a tree: which file serves the dataset there. */
const source = (cwd: string) => JSON.parse(run(process.execPath, ['packages/cli/bin/backtest.js', 'data', 'sp500', '--json'], cwd).stdout);

describe('a clone with nothing beside it', () => {
  it('runs the README first command on the embedded data', () => {
    expect(fresh().stderr).toBe('');
    expect(fresh().code).toBe(0);
    expect(source(clone)).toMatchObject({ origin: 'embedded', path: path.join(clone, 'packages/data/embedded/sp500-month-end.csv') });
  });

  // The comparison with the daily file needs it here.
  itWithRealData('gives the same JSON as a run on the daily file, which serves the dataset here', () => {
    expect(fresh().code).toBe(0);
    const here = backtest(['--strategy', 'nn-sma', '--json', '--no-save']);
    expect(here.code).toBe(0);
    expect(JSON.parse(fresh().stdout)).toEqual(JSON.parse(here.stdout));
    expect(source(root)).toMatchObject({ origin: 'data directory', path: path.resolve(root, '../shared/data/gspc-daily.csv') });
  });

  it('says how to get the daily file when asked for daily data', () => {
    const r = run(process.execPath, ['packages/cli/bin/backtest.js', '--strategy', 'sma', '--frequency', 'daily', '--no-save'], clone);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dataset "sp500" served daily needs the file gspc-daily\.csv/);
    expect(r.stderr).toMatch(/`backtest data fetch \^spx --source stooq --name sp500` downloads it/);
  });

  it('installs globally with `npm install -g ./packages/cli` and runs from any directory', () => {
    const prefix = path.join(scratch, 'prefix');
    const install = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', './packages/cli'], clone);
    expect(install.code).toBe(0);
    const elsewhere = mkdtempSync(path.join(scratch, 'elsewhere-'));
    const r = run(path.join(prefix, 'bin', 'backtest'), ['--strategy', 'sma', '--json', '--no-save'], elsewhere);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const here = backtest(['--strategy', 'sma', '--json', '--no-save']);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(here.stdout));
    const help = run(path.join(prefix, 'bin', 'backtest'), ['--help'], elsewhere);
    expect(help.stdout).toMatch(/backtest signal/);
  });
});
