/**
 * Bad input through the real command: each case gets its exact message on stderr, exit code 2,
 * nothing on stdout (no half-written output), and no stack trace.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'bt-bad-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const good = 'date,close\n2000-01-31,10\n2000-02-29,11\n2000-03-31,12\n2000-04-28,11.5\n';

function expectUserError(args: string[], message: string): void {
  const r = backtest(args);
  expect(r.stderr).toBe(`backtest: ${message}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

describe('malformed files', () => {
  const cases: [string, string, string][] = [
    ['empty.csv', '', 'line 1: the file is empty: expected a header line such as date,close and data rows'],
    ['header.csv', 'date,close\n', 'line 1: the file has a header but no data rows'],
    [
      'unknown.csv',
      'foo,bar\n1,2\n',
      'line 1, column "date": no date and close columns: the header has "foo", "bar". Known layouts: shiller (Date,SP500,Dividend,Earnings,Consumer Price Index,Long Interest Rate,Real Price,Real Dividend,Real Earnings,PE10); yahoo (Date,Open,High,Low,Close,Adj Close,Volume); plain (date,open,close,volume); fred (observation_date,SERIES_ID). For another layout pass a column mapping such as {date: "Day", close: "Last"}',
    ],
    ['bad-date.csv', 'date,close\n2000-01-31,10\n2000-02-3x,11\n', 'line 3, column "date": "2000-02-3x" is not a date (expected yyyy-MM-dd, or yyyy-MM for months)'],
    ['impossible-date.csv', 'date,close\n2000-01-31,10\n2000-02-30,11\n', 'line 3, column "date": "2000-02-30" is not a date (expected yyyy-MM-dd, or yyyy-MM for months)'],
    [
      'unsorted.csv',
      'date,close\n2000-02-29,10\n2000-01-31,11\n',
      'line 3, column "date": date 2000-01-31 is earlier than 2000-02-29 on line 2: rows must be in ascending date order',
    ],
    ['duplicate.csv', 'date,close\n2000-01-31,10\n2000-01-31,11\n', 'line 3, column "date": date 2000-01-31 repeats the date on line 2'],
    ['text-price.csv', 'date,close\n2000-01-31,10\n2000-02-29,abc\n', 'line 3, column "close": "abc" is not a number'],
    ['negative.csv', 'date,close\n2000-01-31,10\n2000-02-29,-5\n', 'line 3, column "close": price must be positive, found -5'],
    ['zero.csv', 'date,close\n2000-01-31,10\n2000-02-29,0\n', 'line 3, column "close": price must be positive, found 0'],
  ];
  it.each(cases)('%s', (name, content, message) => {
    const p = file(name, content);
    expectUserError(['--strategy', 'buy-and-hold', '--data', p, '--json'], `${p}, ${message}`);
  });

  it('an empty field is fatal with --on-missing error, and dropped and reported by default', () => {
    const p = file('gap.csv', 'date,close\n2000-01-31,10\n2000-02-29,\n2000-03-31,12\n2000-04-28,13\n');
    expectUserError(
      ['--strategy', 'buy-and-hold', '--data', p, '--on-missing', 'error'],
      `${p}, line 3, column "close": empty field (the missing-value policy is "error"; "drop" would skip the row)`,
    );
    const r = backtest(['--strategy', 'buy-and-hold', '--data', p, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings.join('\n')).toMatch(/dropped 1 row with an empty field \(line 3\)/);
    expect(doc.period).toEqual({ start: '2000-03', end: '2000-04', periods: 2, months: 2 });
  });
});

describe('tolerated file quirks', () => {
  it.each([
    ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)])],
    ['crlf.csv', good.replace(/\n/g, '\r\n')],
    ['trailing-blank.csv', `${good}\n\n\n`],
  ])('%s reads like the plain file', (name, content) => {
    const plain = JSON.parse(backtest(['--strategy', 'buy-and-hold', '--data', file('plain.csv', good), '--json']).stdout);
    const r = backtest(['--strategy', 'buy-and-hold', '--data', file(name, content), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual(plain.results);
  });

  it('a 10 MB daily file loads, resamples and runs', () => {
    const lines = ['date,open,close,volume'];
    let d = Date.UTC(1700, 0, 1);
    let price = 100;
    let size = 0;
    let i = 0;
    while (size < 10 * 1024 * 1024) {
      const day = new Date(d).getUTCDay();
      if (day !== 0 && day !== 6) {
        price *= 1 + Math.sin(i++) * 0.01;
        const line = `${new Date(d).toISOString().slice(0, 10)},${price.toFixed(6)},${price.toFixed(6)},${1_000_000_000 + i}`;
        lines.push(line);
        size += line.length + 1;
      }
      d += 86_400_000;
    }
    const p = file('big.csv', `${lines.join('\n')}\n`);
    const r = backtest(['--strategy', 'sma', '--data', p, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).period.months).toBeGreaterThan(3000);
  });
});

describe('bad names, flags and ranges', () => {
  it('a missing file', () => {
    const p = path.join(dir, 'nothere.csv');
    expectUserError(['--strategy', 'sma', '--data', p], `${p}: no such file (looked for ${p})`);
  });
  it('an unknown dataset with a near-miss name', () => {
    expectUserError(
      ['--strategy', 'sma', '--dataset', 'sp50'],
      'unknown dataset "sp50" (did you mean "sp500"?). Known datasets: sp500, sp500-daily, sp500-shiller, ndx, n225, ftse100, dax, gold, tnx; ' +
        'a file NAME.csv in a data directory is the dataset NAME (`backtest data fetch SYMBOL --source stooq|fred|yahoo --name sp50` downloads one)',
    );
  });
  it('a daily dataset found in no data directory says where it looked and how to provide it (the embedded extracts are monthly)', () => {
    const empty = path.join(dir, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const cfg = file('no-dirs.json', '{"dataDirs": []}');
    const r = backtest(['--strategy', 'sma', '--config', cfg, '--data-dir', empty, '--frequency', 'daily']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`dataset "sp500" served daily needs the file gspc-daily.csv, which is in none of the data directories:\n  ${empty}\n`);
    expect(r.stderr).toContain('`backtest data fetch ^spx --source stooq --name sp500` downloads it');
    expect(r.stderr).toContain('--data-dir or BACKTEST_DATA_DIR');
    // Monthly, the same settings run on the embedded extract.
    expect(backtest(['--strategy', 'sma', '--config', cfg, '--data-dir', empty, '--no-save']).code).toBe(0);
  });
  it('an unknown strategy with a near-miss name', () => {
    expectUserError(['--strategy', 'nn-sam'], 'unknown strategy "nn-sam" (did you mean "nn-sma"?); available: buy-and-hold, sma, ols-sma, nn-sma, forecast (see "backtest list")');
  });
  it('a misspelt parameter', () => {
    expectUserError(['--strategy', 'sma', '--param', 'windw=3'], 'unknown parameter "windw" for strategy "sma" (did you mean "window"?); its parameters are: window, short');
  });
  it('a parameter out of range', () => {
    expectUserError(['--strategy', 'sma', '--param', 'window=0'], 'parameter "window" of strategy "sma" must be an integer between 1 and 10000, got "0"');
  });
  it('--from after --to', () => {
    expectUserError(['--strategy', 'sma', '--from', '2021-01', '--to', '2020-12'], '--from 2021-01 is after --to 2020-12');
  });
  it('a range with no data', () => {
    expectUserError(['--strategy', 'sma', '--from', '1950-01', '--to', '1960-12'], 'no rows of sp500 between 1950-01 and 1960-12 (the data covers 1970-01..2026-03)');
  });
  it('a range too short for the warm-up', () => {
    expectUserError(
      ['--strategy', 'sma', '--from', '2020-01', '--to', '2020-06'],
      'sma needs 10 rows before its first decision and one more to earn a return, but sp500 has 6 rows in the chosen range (2020-01..2020-06)',
    );
  });
  it('an unknown flag and a bad choice', () => {
    const r = backtest(['--strategy', 'sma', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backtest: Unknown argument: bogus\nRun "backtest --help" for usage.\n');
    expect(backtest(['--strategy', 'sma', '--frequency', 'weekly']).code).toBe(2);
  });
  it('a config file with an unknown setting', () => {
    const cfg = file('typo.json', '{"dataDir": []}');
    const r = backtest(['--strategy', 'sma', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^backtest: .*typo\.json: unknown setting "dataDir" \(did you mean "dataDirs"\?\)/);
  });
});
