import { UserError } from '@backtest/core';
import { parseCsvText } from './parse-csv';
import { withTotalReturn } from './total-return';

describe('total return', () => {
  // Dividends are annualised, as in Shiller's data: a month earns D/12.
  const shiller = [
    'Date,SP500,Dividend,Earnings,Consumer Price Index,Long Interest Rate,Real Price,Real Dividend,Real Earnings,PE10',
    '1871-01-01,100,12,1,10,5,1,1,1,0.0',
    '1871-02-01,102,12,1,10,5,1,1,1,0.0',
    '1871-03-01,101,0.0,1,10,5,1,1,1,0.0',
    '1871-04-01,105,24,1,10,5,1,1,1,0.0',
  ].join('\n');

  it('reinvests dividends: (P_t + D_t/12) / P_(t-1), price return where the dividend is missing', () => {
    const r = parseCsvText(shiller, 'sp.csv', { totalReturn: true });
    // By hand: 100; 100 * (102 + 1) / 100 = 103; 103 * 101 / 102; then * (105 + 2) / 101 = 103 * 107 / 102.
    const expected = [100, 103, (103 * 101) / 102, (103 * 107) / 102];
    const got = [...r.series.returnIndex!];
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    expect(got[3]).toBeCloseTo(108.04901960784314, 12);
    expect([...r.series.close]).toEqual([100, 102, 101, 105]);
    expect(r.warnings).toContain('sp.csv: no dividend for 1 month (1871-03); the total return uses the price return there');
  });

  it("reads Shiller's 0.0 as no value in every column but SP500", () => {
    const r = parseCsvText(shiller, 'sp.csv');
    expect(r.layout).toBe('shiller');
    expect(r.fileFrequency).toBe('monthly');
    expect([...r.series.columns.dividend!]).toEqual([12, 12, NaN, 24]);
    expect([...r.series.columns.pe10!]).toEqual([NaN, NaN, NaN, NaN]);
    expect(r.series.returnIndex).toBeUndefined();
    expect(r.warnings).toEqual(['sp.csv: read 0 in Dividend as no value on 1 row (line 4)', 'sp.csv: read 0 in PE10 as no value on 4 rows (lines 2, 3, 4, 5)']);
    expect(() => parseCsvText(shiller.replace('1871-02-01,102', '1871-02-01,0'), 'sp.csv')).toThrow('sp.csv, line 3, column "SP500": price must be positive, found 0');
  });

  it('a missing stretch is named by its first and last month', () => {
    const rows = shiller.replace('1871-04-01,105,24', '1871-04-01,105,0');
    expect(parseCsvText(rows, 'sp.csv', { totalReturn: true }).warnings.at(-1)).toBe(
      'sp.csv: no dividend for 2 months (1871-03 .. 1871-04); the total return uses the price return there',
    );
  });

  it('one row: the index is the close', () => {
    const one = withTotalReturn({
      source: 's',
      frequency: 'monthly',
      dates: ['2000-01-01'],
      close: new Float64Array([50]),
      columns: { dividend: new Float64Array([NaN]) },
    });
    expect([...one.series.returnIndex!]).toEqual([50]);
    expect(one.warnings).toEqual([]);
  });

  it('needs a dividend column and monthly rows', () => {
    expect(() => parseCsvText('date,close\n2020-01-31,1\n', 'p.csv', { totalReturn: true })).toThrow(
      new UserError('p.csv: a total return needs monthly rows with a dividend column (found monthly rows with columns: none); the sp500-shiller dataset has one'),
    );
    expect(() =>
      parseCsvText('d,c,div\n2020-01-30,1,1\n2020-01-31,1,1\n', 'p.csv', {
        totalReturn: true,
        frequency: 'daily',
        columns: { date: 'd', close: 'c', dividend: 'div' },
      }),
    ).toThrow(/found daily rows with columns: dividend/);
  });
});
