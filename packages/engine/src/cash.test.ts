import { type PriceSeries, type Strategy, UserError } from '@backtest/core';
import { cashFromYields, type YieldSeries } from './cash';
import { walkForward } from './walk-forward';

const monthEnds = ['2020-01-31', '2020-02-28', '2020-03-31', '2020-04-30', '2020-05-29'];
const prices = (dates: string[], frequency: 'monthly' | 'daily' = 'monthly'): PriceSeries => ({
  source: 'test',
  frequency,
  dates,
  close: Float64Array.from(dates.map((_, i) => 100 + 10 * i * (i % 2 ? -1 : 1))),
  columns: {},
});
const yields = (dates: string[], values: number[], frequency: 'monthly' | 'daily' = 'monthly'): YieldSeries => ({
  source: 'TB3MS',
  frequency,
  dates,
  values: Float64Array.from(values),
});
// FRED dates a monthly series on the 1st of its month.
const tb3ms = yields(['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01', '2020-05-01'], [1.52, 1.52, 0.29, 0.14, 0.13]);

describe('cashFromYields', () => {
  it('monthly: (1 + y_t/100)^(1/12) - 1 from the yield of the decision month, by month', () => {
    const c = cashFromYields(prices(monthEnds), tb3ms);
    expect(Array.from(c)).toEqual([1.52, 1.52, 0.29, 0.14, 0.13].map((y) => (1 + y / 100) ** (1 / 12) - 1));
    // 1.52% a year is 0.12575% a month, by hand: 1.0152^(1/12) = exp(ln(1.0152)/12).
    expect(c[0]).toBeCloseTo(Math.exp(Math.log(1.0152) / 12) - 1, 15);
  });

  it('monthly: a month without a yield is NaN, not zero', () => {
    const c = cashFromYields(prices(monthEnds), yields(['2020-01-01', '2020-03-01'], [1, 2]));
    expect(Number.isNaN(c[1]!)).toBe(true);
    expect(Number.isNaN(c[3]!)).toBe(true);
    expect(c[2]).toBe(1.02 ** (1 / 12) - 1);
  });

  it('daily run, daily yields: the latest yield on or before the day, at 252 a year, from its month or the month before', () => {
    const days = ['2020-01-02', '2020-01-03', '2020-01-06', '2020-02-20', '2020-03-02'];
    const c = cashFromYields(prices(days, 'daily'), yields(['2020-01-01', '2020-01-03', '2020-01-10'], [4, 5, 6], 'daily'));
    const r = (y: number) => (1 + y / 100) ** (1 / 252) - 1;
    expect(c[0]).toBe(r(4));
    expect(c[1]).toBe(r(5)); // dated that very day: known at its close
    expect(c[2]).toBe(r(5)); // the 10th is not known on the 6th
    expect(c[3]).toBe(r(6)); // January's last yield, in February
    expect(Number.isNaN(c[4]!)).toBe(true); // nothing from February or March
  });

  it("daily run, monthly yields: a month's value (FRED dates it on the 1st) is used only once the month has ended", () => {
    const days = ['2020-01-02', '2020-01-31', '2020-02-03', '2020-02-28', '2020-03-02'];
    const c = cashFromYields(prices(days, 'daily'), tb3ms);
    const r = (y: number) => (1 + y / 100) ** (1 / 252) - 1;
    // January's average (dated 2020-01-01) is not known on 2 January, nor on the 31st before the close.
    expect(Number.isNaN(c[0]!)).toBe(true);
    expect(Number.isNaN(c[1]!)).toBe(true);
    expect([c[2], c[3], c[4]]).toEqual([r(1.52), r(1.52), r(1.52)]);
  });

  it('a value that is no yield in percent (a price) is refused, naming its date', () => {
    expect(() => cashFromYields(prices(monthEnds), yields(['2020-01-01', '2020-02-01'], [1.5, 3225.5]))).toThrow(
      'the cash series TB3MS has 3225.5 on 2020-02-01, which is no annual yield in percent (expected -20 to 100)',
    );
    expect(() => cashFromYields(prices(monthEnds), yields(['2020-01-01'], [-0.5]))).not.toThrow();
  });
});

describe('walkForward with a yield series as cash', () => {
  const half: Strategy = { minHistory: 1, decide: () => 0.5 };

  it('earns each period the cash of its decision month on the uninvested half, and buy-and-hold is measured over the same cash', async () => {
    const s = prices(monthEnds);
    const r = await walkForward(s, half, { cashYields: tb3ms, cashRate: 0.5 /* ignored */ });
    const expectedCash = [1.52, 1.52, 0.29, 0.14].map((y) => (1 + y / 100) ** (1 / 12) - 1);
    expect(Array.from(r.cashReturns)).toEqual(expectedCash);
    for (let k = 0; k < 4; k++) {
      const asset = s.close[k + 1]! / s.close[k]! - 1;
      expect(r.strategyReturns[k]).toBeCloseTo(0.5 * asset + 0.5 * expectedCash[k]!, 15);
      expect(r.benchmarkReturns[k]).toBeCloseTo(asset, 15);
    }
  });

  it('refuses a period whose decision month has no yield, naming the month, before the strategy runs', async () => {
    let decided = 0;
    const counting: Strategy = {
      minHistory: 1,
      decide: () => {
        decided++;
        return 1;
      },
    };
    const gappy = yields(['2020-01-01', '2020-02-01', '2020-04-01'], [1, 1, 1]);
    const run = walkForward(prices(monthEnds), counting, { cashYields: gappy });
    await expect(run).rejects.toThrow(UserError);
    await expect(walkForward(prices(monthEnds), counting, { cashYields: gappy })).rejects.toThrow(
      /the cash series TB3MS has no yield for month 2020-03, which the cash return over 2020-04 needs/,
    );
    expect(decided).toBe(0);
  });
});

describe('walkForward decideLast', () => {
  it('decides once more at the last row, as a walk over one more row decides there', async () => {
    // A rule of the data up to t: long after an up month.
    const momentum: Strategy = { minHistory: 2, decide: (v) => (v.close() > v.closes(2)[0]! ? 1 : 0) };
    const s = prices(monthEnds);
    const cut: PriceSeries = { ...s, dates: s.dates.slice(0, 4), close: s.close.slice(0, 4) };
    const withNext = await walkForward(cut, momentum, { decideLast: true });
    const longer = await walkForward(s, momentum);
    expect(withNext.next).toEqual({ label: '2020-04', weight: longer.weights[longer.weights.length - 1] });
    expect(Array.from(withNext.weights)).toEqual(Array.from(longer.weights.slice(0, -1)));
    expect((await walkForward(cut, momentum)).next).toBeUndefined();
  });
});
