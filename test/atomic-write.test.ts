/**
 * The folder writer as the command line meets it: a place that cannot take the folder, a name
 * that is taken, or a `.partial` that is not ours is an exit 2 naming the folder, before any
 * work starts; links planted where the command writes are never written through.
 *
 * "Before any work starts" is shown by the output, not by timing: the runs use a strategy with a
 * long training (nn-sma refit=1), and the same command given a broken --data file still fails
 * with the folder's message, not the file's: the folder is claimed before the data is read, so
 * before any training.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, type CliResult } from './helpers';

const LONG = ['--strategy', 'nn-sma', '--param', 'refit=1', '--from', '1970-01', '--to', '2020-12'];
const isRoot = process.getuid?.() === 0;

let tmp: string;
let runs: string;
let broken: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bt-aw-'));
  runs = path.join(tmp, 'runs');
  mkdirSync(runs);
  broken = path.join(tmp, 'broken.csv');
  writeFileSync(broken, 'date,close\n2020-01-31,not-a-number\n');
});
afterEach(() => {
  if (existsSync(path.join(tmp, 'ro'))) chmodSync(path.join(tmp, 'ro'), 0o755);
  rmSync(tmp, { recursive: true, force: true });
});

const run = (args: string[]) => backtest(args, { env: { BACKTEST_RUNS_DIR: runs } });

/** Exit 2 with `message` on stderr, nothing on stdout, and no `.partial` anywhere under the temporary directory. */
function expectRefused(r: CliResult, message: string): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toContain('not-a-number'); // the data was never read
  const partials: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.endsWith('.partial')) partials.push(path.join(d, e.name));
      if (e.isDirectory() && !e.isSymbolicLink()) walk(path.join(d, e.name));
    }
  };
  walk(tmp);
  expect(partials).toEqual([]);
}

/** The case refused by the run (the long one), and by the same run given a broken data file. */
function expectRefusedBeforeWork(out: string, message: string): void {
  expectRefused(run([...LONG, '--out', out]), message);
  expectRefused(run([...LONG, '--data', broken, '--out', out]), message);
}

describe('a place that cannot take the folder: exit 2 before the run', () => {
  it('--out under a regular file', () => {
    const file = path.join(tmp, 'file');
    writeFileSync(file, 'x');
    expectRefusedBeforeWork(path.join(file, 'run'), `cannot create run folder ${path.join(file, 'run')}: ${file} is not a directory`);
    expectRefusedBeforeWork(path.join(file, 'a', 'b', 'run'), `${file} is not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('BACKTEST_RUNS_DIR that is a regular file (the default name)', () => {
    const file = path.join(tmp, 'runs-file');
    writeFileSync(file, 'x');
    const r = backtest([...LONG, '--data', broken], { env: { BACKTEST_RUNS_DIR: file } });
    expectRefused(r, `${file} is not a directory`);
  });

  // chmod 0555 stops a normal user; root writes through permissions, so as root the unwritable
  // place is /sys (sysfs refuses new entries, EPERM, even to root). Either way one case runs.
  it(`--out in a directory the user cannot write to (${isRoot ? 'root: /sys' : 'chmod 0555'})`, () => {
    let parent: string;
    if (isRoot) {
      parent = '/sys';
    } else {
      parent = path.join(tmp, 'ro');
      mkdirSync(parent);
      chmodSync(parent, 0o555);
    }
    const out = path.join(parent, `backtest-run-${process.pid}`);
    expectRefusedBeforeWork(out, `cannot create run folder ${out}: ${parent} is not writable`);
    expect(existsSync(out)).toBe(false);
  });

  it('--out under /proc, where the file system refuses new directories (linux)', () => {
    const out = `/proc/backtest-${process.pid}/run`;
    expectRefusedBeforeWork(out, `cannot create run folder ${out}: the file system refused it`);
  });

  it('compare and study refuse such a place before their work too', () => {
    const file = path.join(tmp, 'file');
    writeFileSync(file, 'x');
    const out = path.join(file, 'out');
    expectRefused(
      run(['compare', '--strategies', 'nn-sma', '--param', 'refit=1', '--data', broken, '--out', out]),
      `cannot create compare folder ${out}: ${file} is not a directory`,
    );
    expectRefused(run(['study', 'seed', '--out', out]), `cannot create study folder ${out}: ${file} is not a directory`);
  });
});

describe('a taken name: exit 2 before the run, and what is there is left alone', () => {
  it('an existing --out, empty or not', () => {
    const full = path.join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'summary.json'), 'theirs');
    expectRefusedBeforeWork(full, `run folder ${full} already exists; choose another --out or remove it`);
    expect(readdirSync(full)).toEqual(['summary.json']);
    expect(readFileSync(path.join(full, 'summary.json'), 'utf8')).toBe('theirs');
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    expectRefusedBeforeWork(empty, `run folder ${empty} already exists`);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('a <out>.partial this tool did not create is not deleted, and the message says it exists and was left alone', () => {
    const out = path.join(tmp, 'out');
    mkdirSync(`${out}.partial`);
    writeFileSync(path.join(`${out}.partial`, 'returns.csv'), 'theirs');
    const r = run([...LONG, '--out', out]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`run folder ${out}.partial already exists and is not this run's`);
    expect(r.stderr).toContain('it was left alone');
    expect(readdirSync(`${out}.partial`)).toEqual(['returns.csv']);
    expect(readFileSync(path.join(`${out}.partial`, 'returns.csv'), 'utf8')).toBe('theirs');
    expect(existsSync(out)).toBe(false);
  });

  it('a default name whose .partial is not ours is skipped for the next number, and left alone', () => {
    // The run's own default name is not known in advance: plant foreign .partial folders for this
    // second and the next 119 (the test's whole timeout), so that whichever second the run
    // starts in, its first name is taken.
    const planted: string[] = [];
    const now = Date.now();
    for (let s = 0; s < 120; s++) {
      const d = new Date(now + s * 1000);
      const p = (n: number) => String(n).padStart(2, '0');
      const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
      const dir = path.join(runs, `${stamp}-sma.partial`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'theirs'), stamp);
      planted.push(dir);
    }
    const r = run(['--strategy', 'sma']);
    expect({ code: r.code, ...(r.code !== 0 ? { stderr: r.stderr } : {}) }).toEqual({ code: 0 });
    const folder = /^run folder: (.+)$/m.exec(r.stdout)![1]!;
    expect(path.basename(folder)).toMatch(/^\d{8}-\d{6}-sma-2$/);
    expect(planted).toContain(`${folder.slice(0, -'-2'.length)}.partial`);
    for (const d of planted) expect(readdirSync(d)).toEqual(['theirs']);
    expect(readdirSync(folder).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
  });
});

describe('links planted where the command writes are never written through', () => {
  let victimDir: string;
  let victim: string;
  beforeEach(() => {
    victimDir = path.join(tmp, 'victim');
    mkdirSync(victimDir);
    victim = path.join(victimDir, 'precious.txt');
    writeFileSync(victim, 'precious');
  });
  afterEach(() => {
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(victimDir)).toEqual(['precious.txt']);
  });

  it('a link at --out (to a folder or to a file) is a taken name: exit 2, the target untouched', () => {
    const toDir = path.join(tmp, 'to-dir');
    symlinkSync(victimDir, toDir);
    expectRefusedBeforeWork(toDir, `run folder ${toDir} already exists`);
    const toFile = path.join(tmp, 'to-file');
    symlinkSync(victim, toFile);
    expectRefusedBeforeWork(toFile, `run folder ${toFile} already exists`);
    const dangling = path.join(tmp, 'dangling');
    symlinkSync(path.join(victimDir, 'would-be-created'), dangling);
    expectRefusedBeforeWork(dangling, `run folder ${dangling} already exists`);
  });

  it('a link at <out>.partial is not ours: exit 2, nothing written into its target', () => {
    const out = path.join(tmp, 'out');
    symlinkSync(victimDir, `${out}.partial`);
    const r = run(['--strategy', 'sma', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`run folder ${out}.partial already exists and is not this run's`);
    expect(lstatSync(`${out}.partial`).isSymbolicLink()).toBe(true);
  });

  it('backtest report on a crafted folder whose report.html is a link: the link is replaced, its target untouched', () => {
    const out = path.join(tmp, 'crafted');
    expect(run(['--strategy', 'sma', '--out', out]).code).toBe(0);
    const report = path.join(out, 'report.html');
    const expected = readFileSync(report, 'utf8');
    rmSync(report);
    symlinkSync(victim, report);
    const r = run(['report', out]);
    expect({ code: r.code, ...(r.code !== 0 ? { stderr: r.stderr } : {}) }).toEqual({ code: 0 });
    expect(lstatSync(report).isFile()).toBe(true);
    expect(readFileSync(report, 'utf8')).toBe(expected);
    expect(readdirSync(out).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
  });
});
