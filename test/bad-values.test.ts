/**
 * Values that reached the product as internal errors or as silent wrong answers: repeated flags,
 * keys and parameter names from the prototype chain, out-of-range seeds, dates, costs, rates and
 * thread counts, ambiguous columns, the wrong frequency. Each is exit 2 with a message naming the
 * flag, key, parameter or file, nothing on stdout and no run folder; or, where the input is
 * legitimate but easy to misread (a yield traded as a price, Shiller's averages), a warning.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, itWithRealData } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'bt-values-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Exit 2, the message on stderr, nothing on stdout, no JavaScript error text, no run folder. */
function expectRefused(args: string[], message: RegExp | string): void {
  const runs = mkdtempSync(path.join(tmpdir(), 'bt-values-runs-'));
  const r = backtest(args, { env: { BACKTEST_RUNS_DIR: runs } });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/TypeError|ReferenceError|RangeError|is not a function|Cannot read prop|at .*\.js:\d+/);
  expect(readdirSync(runs)).toEqual([]);
}

describe('a flag given twice', () => {
  it.each([
    [['--strategy', 'sma', '--strategy', 'ols-sma'], '--strategy was given 2 times ("sma", "ols-sma"); give it once'],
    [['-s', 'sma', '-s', 'nn-sma'], '--strategy was given 2 times ("sma", "nn-sma")'],
    [['--strategy', 'sma', '-s', 'sma'], '--strategy was given 2 times ("sma", "sma")'],
    [['--strategy', 'sma', '--out', 'a', '--out', 'b'], '--out was given 2 times ("a", "b")'],
    [['--strategy', 'sma', '--seed', '1', '--seed', '2'], '--seed was given 2 times (1, 2)'],
    [['--strategy', 'sma', '--dataset', 'sp500', '--dataset', 'ndx'], '--dataset was given 2 times'],
    [['--strategy', 'sma', '--from', '2000-01', '--from', '2001-01'], '--from was given 2 times'],
    [['--strategy', 'sma', '--cash-rate', '0.01', '--cash-rate', 'tnx'], '--cash-rate was given 2 times'],
    [['--strategy', 'sma', '--cost-bps', '1', '--cost-bps', '2'], '--cost-bps was given 2 times'],
    [['compare', '--strategies', 'sma', '--strategies', 'ols-sma'], '--strategies was given 2 times'],
    [['signal', '--strategy', 'sma', '--strategy', 'nn-sma'], '--strategy was given 2 times'],
    [['data', 'sp500', '--frequency', 'daily', '--frequency', 'monthly'], '--frequency was given 2 times'],
    [['--strategy', 'sma', '--param', 'window=3', '--param', 'window=5'], '--param window was given twice (3, 5); give it once'],
  ])('%j', (args, message) => expectRefused(args, message));

  it('repeatable flags stay repeatable', () => {
    const r = backtest(['--strategy', 'sma', '--param', 'window=12', '--param', 'short=false', '--data-dir', dir, '--data-dir', dir, '--no-save', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).params).toEqual({ window: 12, short: false });
  });
});

describe('names from the prototype chain', () => {
  it.each([
    ['{"__proto__": 1}', 'unknown setting "__proto__"'],
    ['{"constructor": "x"}', 'unknown setting "constructor"'],
    ['{"toString": 1}', 'unknown setting "toString"'],
    ['{"hasOwnProperty": true}', 'unknown setting "hasOwnProperty"'],
    ['{"params": {"__proto__": 5}}', 'unknown parameter "__proto__" for strategy "sma"'],
    ['{"params": {"constructor": 5}}', 'unknown parameter "constructor" for strategy "sma"'],
  ])('config %s', (json, message) => expectRefused(['--strategy', 'sma', '--config', file(`proto-${json.length}-${json.charCodeAt(3)}.json`, json)], message));

  it.each(['toString', 'valueOf', '__proto__', 'constructor', 'isPrototypeOf'])('--param %s=5', (name) =>
    expectRefused(['--strategy', 'sma', '--param', `${name}=5`], `unknown parameter "${name}" for strategy "sma"`),
  );
});

describe('values out of range', () => {
  it.each([
    [['--seed', '-1'], '--seed must be an integer from 0 to 4294967295, got -1'],
    [['--seed', 'abc'], '--seed must be an integer from 0 to 4294967295, got something that is not a number'],
    [['--seed', '1e20'], '--seed must be an integer from 0 to 4294967295, got 100000000000000000000'],
    [['--seed', '4294967296'], '--seed must be an integer from 0 to 4294967295'],
    [['--seed', '1.5'], '--seed must be an integer'],
    [['--from', '2020-02-30'], '--from must be a real month like "2020-01" (or a day like "2020-01-31"), got "2020-02-30"'],
    [['--to', '2020-13'], '--to must be a real month'],
    [['--test-start', '1999-00'], '--test-start must be a real month'],
    [['--from', '2019-02-29'], '--from must be a real month'],
    [['--cost-bps', '1e9'], '--cost-bps must be a number from 0 to 10000'],
    [['--cost-bps', '-1'], '--cost-bps must be a number from 0 to 10000'],
    [['--cash-rate', '1e308'], '--cash-rate must be an annual rate as a fraction, at most 1 (100% a year), or the name of a yield series'],
    [['--cash-rate', '5'], 'for 5% a year write 0.05'],
    [['--cash-rate', '-2'], '--cash-rate must be an annual rate above -0.99'],
    [['--threads', '0'], '--threads must be an integer from 1 to 256, or "auto", got 0'],
    [['--threads', '1e6'], '--threads must be an integer from 1 to 256'],
    [['--threads', '2.5'], '--threads must be an integer'],
  ])('%j', (args, message) => expectRefused(['--strategy', 'sma', ...args], message));

  it.each([
    ['{"seed": -1}', 'setting "seed" must be an integer from 0 to 4294967295, got -1'],
    ['{"seed": 1e20}', 'setting "seed" must be an integer from 0 to 4294967295'],
    ['{"from": "2021-02-29"}', 'setting "from" must be a real month'],
    ['{"costBps": 20000}', 'setting "costBps" must be a number from 0 to 10000'],
    ['{"cashRate": 3}', 'setting "cashRate" must be an annual rate as a fraction, at most 1 (100% a year): for 3% a year write 0.03'],
    ['{"threads": 0}', 'setting "threads" must be an integer from 1 to 256, or "auto"'],
  ])('config %s', (json, message) => expectRefused(['--strategy', 'sma', '--config', file(`range-${json.replace(/\W/g, '')}.json`, json)], message));

  it.each([
    [['--param', 'hidden='], 'parameter "hidden" of strategy "nn-sma" must be a comma-separated list of integers >= 1 (at least one), got ""'],
    [['--param', 'hidden=,'], '(at least one)'],
    [['--param', 'hidden=10,0'], 'must be a comma-separated list of integers >= 1'],
  ])('nn-sma %j', (args, message) => expectRefused(['--strategy', 'nn-sma', ...args], message));
});

describe('other options out of range', () => {
  it.each([
    [['compare', '--strategies', 'sma', '--samples', '1e12'], '--samples must be an integer from 100 to 1000000, got 1000000000000'],
    [['compare', '--strategies', 'sma', '--samples', '99'], '--samples must be an integer from 100 to 1000000'],
    [['compare', '--strategies', 'sma', '--block', '0'], '--block must be a number from 1 to 1000000'],
    [['compare', '--strategies', 'sma', '--block', '1e300'], '--block must be a number from 1 to 1000000'],
    [['compare', '--strategies', 'sma', '--trials', '-5'], '--trials must be an integer from 0 to 1000000000'],
    [['compare', '--strategies', 'sma', '--trials', '1.5'], '--trials must be an integer'],
    [['--strategy', 'sma', '--data-dir', '/etc/passwd'], '--data-dir /etc/passwd is not a directory'],
    [['--strategy', 'sma', '--config', '/dev/zero'], 'config file /dev/zero is not a regular file'],
    [['--strategy', 'sma', '--config', '/tmp'], 'config file /tmp is not a regular file'],
    [['--strategy', 'sma', '--config', '/no/such/config.json'], 'cannot read config file /no/such/config.json: ENOENT'],
  ])('%j', (args, message) => expectRefused(args, message));

  it('BACKTEST_DATA_DIR naming a file is refused too', () => {
    const r = backtest(['--strategy', 'sma', '--no-save'], { env: { BACKTEST_DATA_DIR: '/etc/passwd' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BACKTEST_DATA_DIR names /etc/passwd is not a directory');
  });
});

describe('ambiguous files and frequencies', () => {
  it.each([
    ['date,close,close\n2020-01-31,1,2\n2020-02-29,1,2\n', 'line 1, column "close": the header names "close" 2 times (columns 2, 3); rename or remove all but one'],
    ['Date,Close,close\n2020-01-31,1,2\n2020-02-29,1,2\n', 'the header names "Close" 2 times (columns 2, 3)'],
    ['date,date,close\n2020-01-31,2020-01-31,2\n2020-02-29,2020-02-29,2\n', 'the header names "date" 2 times (columns 1, 2)'],
  ])('%j', (csv, message) => expectRefused(['--strategy', 'sma', '--data', file(`dup-${csv.length}-${csv.charCodeAt(6)}.csv`, csv)], message));

  it('a repeated column the run does not read is no ambiguity (sma reads the close only)', () => {
    const csv =
      'date,open,close,volume,volume\n' +
      Array.from({ length: 14 }, (_, i) => `20${String(10 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, '0')}-15,1,${100 + i},5,6`).join('\n') +
      '\n';
    expect(backtest(['--strategy', 'sma', '--param', 'window=2', '--data', file('volumes.csv', csv), '--no-save']).code).toBe(0);
    expectRefused(['data', '--data', file('volumes.csv', csv)], 'the header names "volume" 2 times (columns 4, 5)');
    const opens = file('opens.csv', 'date,open,close,open\n2020-01-31,1,2,1\n2020-02-29,1,2,1\n');
    expectRefused(['data', '--data', opens], 'the header names "open" 2 times (columns 2, 4)');
  });

  it('an unused repeated column is no ambiguity', () => {
    const csv =
      'date,close,note,note\n' +
      Array.from({ length: 14 }, (_, i) => `20${String(10 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, '0')}-15,${100 + i},a,b`).join('\n') +
      '\n';
    expect(backtest(['--strategy', 'sma', '--param', 'window=2', '--data', file('notes.csv', csv), '--no-save']).code).toBe(0);
  });

  it('a monthly file asked for daily rows is refused (it would be annualised at 252)', () => {
    const monthly = `date,close\n${Array.from({ length: 24 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28,${100 + i}`).join('\n')}\n`;
    expectRefused(
      ['--strategy', 'sma', '--data', file('monthly.csv', monthly), '--frequency', 'daily'],
      'has one row a month (24 rows, no month with two): it is monthly data, which daily frequency would annualise at 252 periods a year',
    );
  });

  // sp500-daily is the daily file (no extract serves a dataset daily).
  itWithRealData('a dataset is served at its own frequency unless --frequency says otherwise', () => {
    const daily = backtest(['--strategy', 'sma', '--dataset', 'sp500-daily', '--json', '--no-save', '--from', '2020-01', '--to', '2020-03']);
    expect(daily.code).toBe(0);
    expect(JSON.parse(daily.stdout)).toMatchObject({ frequency: 'daily', conventions: { periodsPerYear: 252 } });
    const monthly = backtest(['--strategy', 'sma', '--dataset', 'sp500-daily', '--frequency', 'monthly', '--json', '--no-save']);
    expect(JSON.parse(monthly.stdout)).toMatchObject({ frequency: 'monthly', conventions: { periodsPerYear: 12 } });
    expect(JSON.parse(backtest(['--strategy', 'sma', '--json', '--no-save']).stdout).frequency).toBe('monthly');
  });
});

describe('series that are not month-end prices', () => {
  const warningsOf = (args: string[]): string[] => {
    const r = backtest(['--strategy', 'sma', '--json', '--no-save', ...args]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout).warnings;
  };

  it('a yield traded as a price is warned about, and not when it is the cash rate', () => {
    expect(warningsOf(['--dataset', 'tnx'])).toContain(
      'tnx: a yield in percent, not a price: its "returns" are relative changes of the yield, not what holding a bond earns. As cash: --cash-rate tnx',
    );
    expect(warningsOf(['--cash-rate', 'tnx']).join('\n')).not.toMatch(/not a price/);
  });

  it("Shiller's monthly averages traded as closes are warned about (they inflate Sharpe)", () => {
    expect(warningsOf(['--dataset', 'sp500-shiller']).join('\n')).toMatch(
      /sp500-shiller: Shiller's SP500 is the monthly average of daily closes, not a month-end close; .* overstates Sharpe ratios/,
    );
  });

  it('a FRED file traded as a price is warned about', () => {
    const fred =
      'observation_date,TB3MS\n' +
      Array.from({ length: 24 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${(5 + i / 10).toFixed(2)}`).join('\n') +
      '\n';
    expect(warningsOf(['--data', file('tb3ms.csv', fred), '--param', 'window=3']).join('\n')).toMatch(/tb3ms\.csv: a FRED series .* not a price/);
  });
});
