/**
 * `backtest report <dir>` on compare folders: a compare folder the built CLI wrote rebuilds to
 * its own report.html byte for byte (with and without --seeds, whose trials.csv the joint
 * tests read), and a folder whose returns.csv or trials.csv was tampered with is exit 2
 * naming the file, the line or column, what was expected and what was found, with the old
 * report left as it was.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compareFolder(name: string, args: string[]): string {
  const dir = path.join(tmp, name);
  const r = backtest(['compare', ...args, '--samples', '200', '--to', '2020-12', '--out', dir, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return dir;
}

/** The folder rebuilt by the CLI: the exit code, what it printed, and whether report.html is the original again. */
function rebuild(dir: string, original: Buffer) {
  const file = path.join(dir, 'report.html');
  writeFileSync(file, 'stale');
  const r = backtest(['report', dir]);
  return { code: r.code, stdout: r.stdout.trim(), stderr: r.stderr, same: readFileSync(file).equals(original), file };
}

let plain: string;
let seeded: string;

beforeAll(() => {
  plain = compareFolder('plain', ['--strategies', 'sma,ols-sma', '--grid', 'sma:window=6|12']);
  seeded = compareFolder('seeded', ['--strategies', 'sma', '--grid', 'nn-sma:epochs=5;refit=120', '--seeds', '3']);
});

describe('backtest report <compare-dir>', () => {
  it('rebuilds a compare folder to the very bytes of its report', () => {
    const original = readFileSync(path.join(plain, 'report.html'));
    const r = rebuild(plain, original);
    expect(r).toEqual({ code: 0, stdout: r.file, stderr: '', same: true, file: r.file });
  });

  it('rebuilds a --seeds compare, whose trials.csv holds every run the joint tests saw, to the same bytes', () => {
    const summary = JSON.parse(readFileSync(path.join(seeded, 'summary.json'), 'utf8')) as { configurations: string[]; multipleTesting: { trials: string[] } };
    // nn-sma's three seeds and sma: more trials than configurations, so trials.csv is there.
    expect(summary.multipleTesting.trials.length).toBeGreaterThan(summary.configurations.length);
    expect(readFileSync(path.join(seeded, 'trials.csv'), 'utf8').split('\n')[0]).toBe(['month', ...summary.multipleTesting.trials].join(','));
    const original = readFileSync(path.join(seeded, 'report.html'));
    const r = rebuild(seeded, original);
    expect(r).toEqual({ code: 0, stdout: r.file, stderr: '', same: true, file: r.file });
  });

  /** A copy of `from` with `edit` applied, rebuilt: exit 2 with `message`, and report.html untouched. */
  function refused(from: string, name: string, edit: (dir: string) => void, message: string | RegExp) {
    const dir = path.join(tmp, name);
    cpSync(from, dir, { recursive: true });
    edit(dir);
    const before = readFileSync(path.join(dir, 'report.html'));
    const r = backtest(['report', dir]);
    expect({ name, code: r.code, stdout: r.stdout }).toEqual({ name, code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|TypeError|internal/);
    expect(readFileSync(path.join(dir, 'report.html')).equals(before)).toBe(true);
  }

  /** Rewrites `file` of `dir` line by line: `edit(line, index)` gives the new line, or null to drop it. */
  const lines = (dir: string, file: string, edit: (line: string, i: number) => string | null) => {
    const f = path.join(dir, file);
    const rows = readFileSync(f, 'utf8').split('\n');
    writeFileSync(f, rows.flatMap((l, i) => (l === '' ? [l] : (edit(l, i) ?? []))).join('\n'));
  };
  const onLine = (n: number, edit: (line: string) => string | null) => (l: string, i: number) => (i === n - 1 ? edit(l) : l);

  it('refuses returns.csv whose columns are not the configurations of summary.json, in order', () => {
    const csv = (d: string) => path.join(d, 'returns.csv');
    refused(
      plain,
      'renamed',
      (d) =>
        lines(
          d,
          'returns.csv',
          onLine(1, (l) => l.replace('ols-sma', 'ols-smb')),
        ),
      `backtest: ${csv(path.join(tmp, 'renamed'))}, line 1, column "ols-smb": column 7: expected "ols-sma" (configuration 3 of summary.json), found "ols-smb"`,
    );
    refused(
      plain,
      'dropped',
      (d) => lines(d, 'returns.csv', (l) => l.split(',').slice(0, 6).join(',')),
      /returns\.csv, line 1: column 7: expected "ols-sma" \(configuration 3 of summary\.json\), found no column/,
    );
    refused(
      plain,
      'extra',
      (d) => lines(d, 'returns.csv', (l, i) => `${l},${i === 0 ? 'more' : '0'}`),
      /returns\.csv, line 1, column "more": column 8: expected no more columns, found "more"/,
    );
  });

  it('refuses returns.csv with other periods than the summary, a gap, or a cell that is not a number', () => {
    refused(
      plain,
      'short',
      (d) =>
        lines(
          d,
          'returns.csv',
          onLine(6, () => null),
        ),
      /returns\.csv: expected the \d+ periods \d{4}-\d\d \.\. 2020-12 of summary\.json, found \d+/,
    );
    refused(
      plain,
      'gap',
      (d) =>
        lines(
          d,
          'returns.csv',
          onLine(4, (l) => l.replace(/,[^,]*$/, ',')),
        ),
      /returns\.csv, line 4, column "ols-sma": expected a number, found an empty cell/,
    );
    refused(
      plain,
      'text',
      (d) =>
        lines(
          d,
          'returns.csv',
          onLine(10, (l) => l.replace(/^([^,]+),[^,]*/, '$1,abc')),
        ),
      /returns\.csv, line 10, column "asset_return": expected a number, found "abc"/,
    );
    refused(
      plain,
      'month',
      (d) =>
        lines(
          d,
          'returns.csv',
          onLine(3, (l) => l.replace(/^[^,]+/, '2001-13')),
        ),
      /returns\.csv, line 3, column "month": expected a month/,
    );
  });

  it('refuses a --seeds folder without trials.csv, or with one of other trials or rows', () => {
    refused(seeded, 'no-trials', (d) => unlinkSync(path.join(d, 'trials.csv')), /has no trials\.csv, but summary\.json tested \d+ runs together, more than its 2 configurations/);
    refused(
      seeded,
      'other-trial',
      (d) =>
        lines(
          d,
          'trials.csv',
          onLine(1, (l) => l.replace('seed 43', 'seed 99')),
        ),
      /trials\.csv, line 1, column "nn-sma\[epochs=5 refit=120\] seed 99": column 4: expected "nn-sma\[epochs=5 refit=120\] seed 43" \(multipleTesting\.trials\[2\] of summary\.json\), found "nn-sma\[epochs=5 refit=120\] seed 99"/,
    );
    refused(
      seeded,
      'other-rows',
      (d) =>
        lines(
          d,
          'trials.csv',
          onLine(8, () => null),
        ),
      /trials\.csv, line 8, column "month": expected \d{4}-\d\d \(row 7 of returns\.csv\), found "\d{4}-\d\d"/,
    );
    refused(
      plain,
      'stray-trials',
      (d) => cpSync(path.join(seeded, 'trials.csv'), path.join(d, 'trials.csv')),
      /trials\.csv: not expected: summary\.json names no more runs tried than its 3 configurations/,
    );
  });
});
