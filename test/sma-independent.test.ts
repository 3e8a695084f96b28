/**
 * `backtest --strategy sma` against a second, plain implementation of the same conventions,
 * written here from the raw file: split lines by hand, take each month's last close (the daily
 * file where a data directory has it, else the embedded month-end extract: `monthEndRows` of
 * ./helpers, through `monthEndCloses` of ./plain-metrics), a 10-month mean, weights, returns and
 * the metric formulas of MISSION.md (`plainMetrics`). Shares no code with the product.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, itWithRealData, monthEndRows } from './helpers';
import { monthEndCloses, plainMetrics } from './plain-metrics';

function expectSignificant(actual: number, expected: number, label: string): void {
  const scale = Math.max(Math.abs(expected), 1e-12);
  if (Math.abs(actual - expected) / scale > 1e-6) throw new Error(`${label}: got ${actual}, expected ${expected}`);
}

describe('sma on the real month-end S&P 500, recomputed independently', () => {
  it('agrees to at least 6 significant digits', () => {
    const lastOfMonth = monthEndCloses('sp500', { from: '1970-01', to: '2020-12' });
    const months = [...lastOfMonth.keys()].sort();
    const close = months.map((m) => lastOfMonth.get(m)!);
    expect(months.length).toBe(612);
    const r: number[] = [];
    const b: number[] = [];
    const w: number[] = [];
    for (let t = 9; t < close.length - 1; t++) {
      const sma = close.slice(t - 9, t + 1).reduce((a, v) => a + v, 0) / 10;
      const weight = close[t]! > sma ? 1 : 0;
      const ret = close[t + 1]! / close[t]! - 1;
      w.push(weight);
      r.push(weight * ret);
      b.push(ret);
    }
    const res = backtest(['--strategy', 'sma', '--from', '1970-01', '--to', '2020-12', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.strategy).toBe('sma');
    expect(doc.dataset).toBe('sp500');
    expect(doc.period).toMatchObject({ start: '1970-11', end: '2020-12', months: 602 });
    const expected = plainMetrics(r, b, w);
    const bench = plainMetrics(
      b,
      b,
      b.map(() => 1),
    );
    for (const [k, v] of Object.entries(expected)) expectSignificant(doc.results.sma[k], v, `sma.${k}`);
    for (const k of ['totalReturn', 'cagr', 'volatility', 'sharpe', 'sortino', 'maxDrawdown', 'calmar', 'hitRate']) {
      expectSignificant(doc.results['buy-and-hold'][k], bench[k]!, `buy-and-hold.${k}`);
    }
  });
});

describe('the month-end rows the recomputation reads', () => {
  // A clone with nothing beside it recomputes from the embedded extract: the same months and closes.
  itWithRealData('are the same from the daily file and from the embedded extract', () => {
    const daily = monthEndRows('sp500');
    const embedded = monthEndRows('sp500', { embedded: true });
    expect(path.basename(daily.file)).toBe('gspc-daily.csv');
    expect(path.basename(embedded.file)).toBe('sp500-month-end.csv');
    expect(embedded.rows).toEqual(daily.rows);
    expect(daily.rows).toHaveLength(675);
  });
});

describe('sma on a hand-checked series', () => {
  it('matches returns computed by hand', () => {
    // Month-end closes; window 3. Decisions from the 3rd month (index 2):
    //  t=2: closes 100,104,102 mean 102   -> 102 > 102? no  -> 0, earns nothing in month 4
    //  t=3: 104,102,108 mean 104.667 -> 108 > it -> 1, earns 99/108 - 1
    //  t=4: 102,108,99 mean 103       -> 99 no    -> 0
    //  t=5: 108,99,111 mean 106       -> 111 yes  -> 1, earns 120/111 - 1
    const closes = [100, 104, 102, 108, 99, 111, 120];
    const dates = ['2001-01-31', '2001-02-28', '2001-03-30', '2001-04-30', '2001-05-31', '2001-06-29', '2001-07-31'];
    const dir = mkdtempSync(path.join(tmpdir(), 'bt-'));
    const file = path.join(dir, 'tiny.csv');
    writeFileSync(file, `date,close\n${dates.map((d, i) => `${d},${closes[i]}`).join('\n')}\n`);
    const res = backtest(['--strategy', 'sma', '--data', file, '--param', 'window=3', '--json']);
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout);
    expect(doc.period).toEqual({ start: '2001-04', end: '2001-07', periods: 4, months: 4 });
    const strat = (1 + (99 / 108 - 1)) * (1 + (120 / 111 - 1)) - 1;
    expectSignificant(doc.results.sma.totalReturn, strat, 'totalReturn');
    expect(doc.results.sma.trades).toBe(3);
    expect(doc.results.sma.exposure).toBe(0.5);
    expectSignificant(doc.results['buy-and-hold'].totalReturn, 120 / 102 - 1, 'buy-and-hold');
  });
});
