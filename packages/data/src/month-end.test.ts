import type { PriceSeries } from '@backtest/core';
import { lastWeekdayOfMonth, toMonthEnd } from './month-end';

function daily(rows: [string, number][], columns: Record<string, number[]> = {}): PriceSeries {
  return {
    source: 'test',
    frequency: 'daily',
    dates: rows.map(([d]) => d),
    close: new Float64Array(rows.map(([, c]) => c)),
    columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, new Float64Array(v)])),
  };
}

describe('lastWeekdayOfMonth', () => {
  it.each([
    ['2024-01-05', '2024-01-31'], // a Wednesday
    ['2024-03-01', '2024-03-29'], // Sunday 31st, so Friday 29th (Good Friday: markets closed, but a weekday)
    ['2024-08-15', '2024-08-30'], // Saturday 31st
    ['2023-12-31', '2023-12-29'], // Sunday 31st, Saturday 30th
    ['2020-02-03', '2020-02-28'], // leap year, Saturday 29th
    ['2021-02-10', '2021-02-26'], // Sunday 28th, Saturday 27th
  ])('for %s is %s', (date, expected) => {
    expect(lastWeekdayOfMonth(date)).toBe(expected);
  });
});

describe('toMonthEnd', () => {
  // Checked against a 2024 calendar by hand.
  const rows: [string, number][] = [
    ['2024-01-30', 100],
    ['2024-01-31', 101],
    ['2024-02-28', 102],
    ['2024-02-29', 103],
    ['2024-03-27', 104],
    ['2024-03-28', 105], // Thursday before Good Friday 2024-03-29: March's last trading day
    ['2024-04-01', 106],
    ['2024-04-02', 107], // April has weekdays left: an incomplete month
  ];

  it("keeps each month's last row with its own date, including a month ending before a holiday", () => {
    const { series, warnings } = toMonthEnd(daily(rows));
    expect(series.frequency).toBe('monthly');
    expect(series.dates).toEqual(['2024-01-31', '2024-02-29', '2024-03-28']);
    expect([...series.close]).toEqual([101, 103, 105]);
    expect(warnings).toEqual(["test: dropped the incomplete month 2024-04 (the data ends on 2024-04-02, before the month's last weekday 2024-04-30)"]);
  });

  it('keeps a trailing month that ends on its last weekday, even when that is not the last calendar day', () => {
    const { series, warnings } = toMonthEnd(
      daily([
        ['2024-08-29', 1],
        ['2024-08-30', 2],
      ]),
    );
    expect(series.dates).toEqual(['2024-08-30']);
    expect(warnings).toEqual([]);
  });

  it('drops a trailing month ending on a holiday, as it cannot tell (documented limitation)', () => {
    const { series, warnings } = toMonthEnd(daily(rows.slice(0, 6)));
    expect(series.dates).toEqual(['2024-01-31', '2024-02-29']);
    expect(warnings).toHaveLength(1);
  });

  it('builds the month bar: first known open, highest high, lowest low, summed volume, other columns at month-end', () => {
    const { series } = toMonthEnd(
      daily(rows.slice(0, 4), {
        open: [NaN, 10, 20, 21],
        high: [12, 11, NaN, NaN],
        low: [9, 8, 19, 18],
        volume: [100, NaN, NaN, NaN],
        dividend: [1, 2, 3, NaN],
      }),
    );
    expect([...series.columns.open!]).toEqual([10, 20]);
    expect([...series.columns.high!]).toEqual([12, NaN]);
    expect([...series.columns.low!]).toEqual([8, 18]);
    expect([...series.columns.volume!]).toEqual([100, NaN]);
    expect([...series.columns.dividend!]).toEqual([2, NaN]);
  });

  it('carries a return index at month-end', () => {
    const s = { ...daily(rows.slice(0, 4)), returnIndex: new Float64Array([1, 2, 3, 4]) };
    expect([...toMonthEnd(s).series.returnIndex!]).toEqual([2, 4]);
  });

  it('edges: no rows, one row, a monthly series', () => {
    expect(toMonthEnd(daily([]))).toEqual({ series: { ...daily([]), frequency: 'monthly' }, warnings: [] });
    expect(toMonthEnd(daily([['2024-01-31', 5]])).series.close).toEqual(new Float64Array([5]));
    expect(toMonthEnd(daily([['2024-01-30', 5]])).series.close.length).toBe(0);
    const monthly: PriceSeries = { ...daily([['2024-01-01', 5]]), frequency: 'monthly' };
    expect(toMonthEnd(monthly)).toEqual({ series: monthly, warnings: [] });
  });

  it('one row a day for two years gives 24 months whose dates are the last weekdays', () => {
    const days: [string, number][] = [];
    for (let t = Date.UTC(2022, 0, 1); t <= Date.UTC(2023, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push([d.toISOString().slice(0, 10), t]);
    }
    const { series } = toMonthEnd(daily(days));
    expect(series.dates).toHaveLength(24);
    expect(series.dates.every((d) => d === lastWeekdayOfMonth(d))).toBe(true);
    expect(series.dates.slice(0, 3)).toEqual(['2022-01-31', '2022-02-28', '2022-03-31']);
    expect(series.close[0]).toBe(Date.UTC(2022, 0, 31));
  });
});
