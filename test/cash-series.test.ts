/**
 * `--cash-rate` with a yield series: Sharpe ratios of sma and buy-and-hold recomputed here from
 * the raw files (lines split by hand, each month's last close: the daily files where a data
 * directory has them, else the embedded month-end extracts, by `monthEndRows` of ./helpers; the
 * cash convention of the README: (1 + y_t/100)^(1/12) - 1 earned over month t+1), sharing no code
 * with the product.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, itWithRealData, monthEndRows } from './helpers';

/** Month -> last close of the month of a dataset, read by hand. */
function monthEnds(dataset: string): Map<string, number> {
  return new Map(monthEndRows(dataset).rows.map(({ date, close }) => [date.slice(0, 7), close]));
}

const mean = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
const sharpe = (excess: number[]) => {
  const m = mean(excess);
  const sd = Math.sqrt(excess.reduce((a, v) => a + (v - m) ** 2, 0) / (excess.length - 1));
  return (m / sd) * Math.sqrt(12);
};

/** sma(10) and buy-and-hold Sharpe over the cash the yields give, months 1970-01 .. 2020-12. */
function plainSharpes(yieldOf: (month: string) => number): { sma: number; bnh: number } {
  const closes = [...monthEnds('sp500')].filter(([m]) => m >= '1970-01' && m <= '2020-12');
  const s: number[] = [];
  const b: number[] = [];
  for (let t = 9; t < closes.length - 1; t++) {
    const window = closes.slice(t - 9, t + 1).map(([, c]) => c);
    const w = closes[t]![1] > mean(window) ? 1 : 0;
    const r = closes[t + 1]![1] / closes[t]![1] - 1;
    const c = (1 + yieldOf(closes[t]![0]) / 100) ** (1 / 12) - 1;
    s.push(w * r + (1 - w) * c - c);
    b.push(r - c);
  }
  return { sma: sharpe(s), bnh: sharpe(b) };
}

// biome-ignore lint/suspicious/noExplicitAny: the run's JSON, read by path
function runSharpes(args: string[]): { sma: number; bnh: number; doc: Record<string, any> } {
  const r = backtest(['--strategy', 'sma', '--from', '1970-01', '--to', '2020-12', '--json', '--no-save', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout);
  return { sma: doc.results.sma.sharpe, bnh: doc.results['buy-and-hold'].sharpe, doc };
}

describe('a yield series as cash', () => {
  it('--cash-rate tnx: month t earns the 10-year yield of month t, compounded monthly', () => {
    const tnx = monthEnds('tnx');
    const plain = plainSharpes((m) => tnx.get(m)!);
    const got = runSharpes(['--cash-rate', 'tnx']);
    expect(Math.abs(got.sma - plain.sma)).toBeLessThan(1e-9);
    expect(Math.abs(got.bnh - plain.bnh)).toBeLessThan(1e-9);
    expect(got.doc.conventions.cashRate).toBe('tnx');
    expect(got.doc.conventions.cash).toMatch(/\(1 \+ y_t\/100\)\^\(1\/12\) - 1/);
    // Cash that pays changes Sharpe: the zero-cash run differs.
    expect(Math.abs(runSharpes([]).sma - got.sma)).toBeGreaterThan(0.01);
  });

  // A series in FRED's format (monthly, dated the 1st, "." for a missing value), as `backtest data fetch TB3MS --source fred` writes it.
  const dir = mkdtempSync(path.join(tmpdir(), 'cash-'));
  const months: string[] = [];
  for (let y = 1960; y <= 2021; y++) for (let m = 1; m <= 12; m++) months.push(`${y}-${String(m).padStart(2, '0')}`);
  const tb3ms = new Map(months.map((m, i) => [m, Math.round((4 + 3 * Math.sin(i / 17) + (i % 7) / 10) * 100) / 100]));
  const fred = (missing?: string) => `observation_date,TB3MS\n${months.map((m) => `${m}-01,${m === missing ? '.' : tb3ms.get(m)!.toFixed(2)}`).join('\n')}\n`;
  writeFileSync(path.join(dir, 'tb3ms.csv'), fred());
  writeFileSync(path.join(dir, 'gappy.csv'), fred('1999-06'));

  it('--cash-rate tb3ms (a FRED file in a data directory) and the same file by path give the recomputed Sharpe', () => {
    const plain = plainSharpes((m) => tb3ms.get(m)!);
    for (const args of [
      ['--cash-rate', 'tb3ms', '--data-dir', dir],
      ['--cash-rate', path.join(dir, 'tb3ms.csv')],
    ]) {
      const got = runSharpes(args);
      expect(Math.abs(got.sma - plain.sma)).toBeLessThan(1e-9);
      expect(Math.abs(got.bnh - plain.bnh)).toBeLessThan(1e-9);
    }
  });

  itWithRealData("a daily run earns, each day, the previous month's value of a monthly series (a month's value is known once it has ended)", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'cash-daily-')), 'run');
    const r = backtest([
      '--strategy',
      'buy-and-hold',
      '--dataset',
      'sp500-daily',
      '--from',
      '2020-01',
      '--to',
      '2020-03',
      '--cash-rate',
      path.join(dir, 'tb3ms.csv'),
      '--out',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, ...lines] = readFileSync(path.join(out, 'returns.csv'), 'utf8').trimEnd().split('\n');
    const cashColumn = header!.split(',').indexOf('cash_return');
    // Row k earns day L_k with the weight decided at the close of the trading day before it.
    const days = readFileSync(path.join(out, 'positions.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    lines.forEach((line) => {
      const earned = line.split(',')[0]!;
      const decided = days[days.indexOf(earned) - 1]!;
      const before = months[months.indexOf(decided.slice(0, 7)) - 1]!;
      expect(Number(line.split(',')[cashColumn])).toBeCloseTo((1 + tb3ms.get(before)! / 100) ** (1 / 252) - 1, 15);
    });
    expect(lines.length).toBeGreaterThan(50);
  });

  it('a month without a yield is an error naming the month, not a zero', () => {
    const r = backtest(['--strategy', 'sma', '--from', '1970-01', '--to', '2020-12', '--no-save', '--cash-rate', path.join(dir, 'gappy.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the cash series gappy\.csv has no yield for month 1999-06, which the cash return over 1999-07 needs/);
  });

  it.each([
    [['--cash-rate', '2'], /--cash-rate must be an annual rate as a fraction, at most 1 \(100% a year\): for 2% a year write 0\.02/],
    [['--cash-rate', 'no-such-series'], /unknown dataset "no-such-series"/],
    [['--cash-rate', 'sp500'], /the cash series sp500 has [\d.]+ on \d{4}-\d{2}-\d{2}, which is no annual yield in percent \(expected -20 to 100\)/],
    [['--cash-rate', 'tnx', '--dataset', 'sp500-shiller', '--from', '1960-01'], /the cash series tnx has no yield for month 1960-10/],
  ])('%j exits 2 with a message naming what is wrong', (args, message) => {
    const r = backtest(['--strategy', 'sma', '--no-save', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
