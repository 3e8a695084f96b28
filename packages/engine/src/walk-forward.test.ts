import { LookAheadError, type PriceSeries, type Strategy, UserError } from '@backtest/core';
import { walkForward } from './walk-forward';
import { restrictToRange } from './window';

function monthly(closes: number[], startYear = 2000): PriceSeries {
  const dates = closes.map((_, i) => {
    const y = startYear + Math.floor(i / 12);
    const m = (i % 12) + 1;
    return `${y}-${String(m).padStart(2, '0')}-28`;
  });
  return { source: 'test', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 14));
}

const fixed = (ws: number[], minHistory = 1): Strategy => {
  let i = 0;
  return { minHistory, decide: () => ws[i++]! };
};

describe('walkForward', () => {
  // closes 100, 110, 99, 120, 130: asset returns .10, -.10, 0.2121..., 0.0833...
  const s = monthly([100, 110, 99, 120, 130]);

  it('earns next period returns with the weight decided now (hand-checked)', async () => {
    const r = await walkForward(s, fixed([1, 0, 1, 0.5]));
    expect(r.labels).toEqual(['2000-02', '2000-03', '2000-04', '2000-05']);
    expect(r.decisionLabels).toEqual(['2000-01', '2000-02', '2000-03', '2000-04']);
    expectClose(r.strategyReturns, [0.1, 0, 120 / 99 - 1, 0.5 * (130 / 120 - 1)]);
    expectClose(r.benchmarkReturns, [0.1, 99 / 110 - 1, 120 / 99 - 1, 130 / 120 - 1]);
  });

  it('charges costs on weight changes, entry included, and pays cash on the uninvested part', async () => {
    const r = await walkForward(s, fixed([1, 0, 1, 0.5]), { costBps: 10, cashRate: 0.12 });
    const c = 1.12 ** (1 / 12) - 1;
    const k = 0.001;
    expect(r.strategyReturns[0]).toBeCloseTo(0.1 - k, 15);
    expect(r.strategyReturns[1]).toBeCloseTo(c - k, 15);
    expect(r.strategyReturns[2]).toBeCloseTo(120 / 99 - 1 - k, 15);
    expect(r.strategyReturns[3]).toBeCloseTo(0.5 * (130 / 120 - 1) + 0.5 * c - 0.5 * k, 15);
    // Buy-and-hold pays the entry once.
    expect(r.benchmarkReturns[0]).toBeCloseTo(0.1 - k, 15);
    expect(r.benchmarkReturns[1]).toBeCloseTo(99 / 110 - 1, 15);
  });

  it('starts after the warm-up and measures buy-and-hold over the same periods', async () => {
    const r = await walkForward(s, fixed([1, 1], 3));
    expect(r.firstDecision).toBe(2);
    expect(r.labels).toEqual(['2000-04', '2000-05']);
    expectClose(r.benchmarkReturns, [120 / 99 - 1, 130 / 120 - 1]);
  });

  it('starts at the test start when later than the warm-up', async () => {
    const r = await walkForward(s, fixed([1, 1]), { testStart: '2000-03' });
    expect(r.decisionLabels).toEqual(['2000-03', '2000-04']);
    await expect(walkForward(s, fixed([1]), { testStart: '2000-05' })).rejects.toThrow('test start 2000-05 leaves no month to trade: the data ends 2000-05');
  });

  it('rejects weights outside [-1, 1] and NaN', async () => {
    await expect(walkForward(s, fixed([2]), { strategyId: 'x' })).rejects.toThrow('x returned weight 2 at 2000-01');
    await expect(walkForward(s, fixed([NaN]), { strategyId: 'x' })).rejects.toThrow('returned weight NaN');
  });

  it('refuses data too short for the warm-up', async () => {
    await expect(walkForward(s, fixed([], 5), { strategyId: 'sma' })).rejects.toThrow(UserError);
    await expect(walkForward(s, fixed([], 5), { strategyId: 'sma' })).rejects.toThrow('sma needs 5 rows');
    await expect(walkForward(monthly([100]), fixed([]))).rejects.toThrow('has 1 rows');
  });

  it('gives a strategy no way to read rows after t', async () => {
    const peeker: Strategy = {
      minHistory: 1,
      decide(view) {
        return view.close(-1) > view.close() ? 1 : 0;
      },
    };
    await expect(walkForward(s, peeker)).rejects.toThrow(LookAheadError);
    const greedy: Strategy = { minHistory: 1, decide: (view) => (view.closes(view.length + 1).length ? 1 : 0) };
    await expect(walkForward(s, greedy)).rejects.toThrow(LookAheadError);
    const seen: number[] = [];
    const recorder: Strategy = {
      minHistory: 1,
      decide(view) {
        seen.push(view.closes().length);
        return 0;
      },
    };
    await walkForward(s, recorder);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('hands prepare() one view per decision, each ending at its own row', async () => {
    let lengths: number[] = [];
    const st: Strategy = {
      minHistory: 2,
      async prepare(views) {
        lengths = views.map((v) => v.closes().length);
      },
      decide: () => 1,
    };
    await walkForward(s, st);
    expect(lengths).toEqual([2, 3, 4]);
  });
});

describe('restrictToRange', () => {
  const s = monthly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  it('keeps rows in [from, to], inclusive', () => {
    const r = restrictToRange(s, '2000-03', '2001-01');
    expect(r.dates[0]).toBe('2000-03-28');
    expect(r.dates[r.dates.length - 1]).toBe('2001-01-28');
    expect(r.close.length).toBe(11);
  });
  it.each([
    ['2001-01', '2000-01', '--from 2001-01 is after --to 2000-01'],
    ['1990-01', '1990-12', 'no rows of test between 1990-01 and 1990-12 (the data covers 2000-01..2001-02)'],
    ['2000-13', undefined, '--from has no month 13'],
    ['01/2000', undefined, '--from must look like YYYY-MM or YYYY-MM-DD, got "01/2000"'],
  ])('rejects from=%s to=%s', (from, to, message) => {
    expect(() => restrictToRange(s, from, to)).toThrow(message);
  });
});
