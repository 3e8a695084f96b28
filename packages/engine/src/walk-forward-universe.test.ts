import { eachAsset, LookAheadError, type PriceSeries, type Strategy, type Universe } from '@backtest/core';
import { periodReturn, walkForward } from './walk-forward';

function monthly(source: string, closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `2000-${String(i + 1).padStart(2, '0')}-28`);
  return { source, frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

// Two assets over five months. a: +10%, -10%, +20%, +5%; b: -5%, +10%, 0%, -20%.
const a = monthly('a', [100, 110, 99, 118.8, 124.74]);
const b = monthly('b', [50, 47.5, 52.25, 52.25, 41.8]);
const universe: Universe = {
  assets: [
    { name: 'a', series: a },
    { name: 'b', series: b },
  ],
  frequency: 'monthly',
  dates: a.dates,
};
const ra = [0.1, -0.1, 0.2, 0.05];
const rb = [-0.05, 0.1, 0, -0.2];

/** A strategy returning these decisions in turn. */
const fixed = (ws: readonly unknown[], minHistory = 1): Strategy => {
  let i = 0;
  return { minHistory, decide: () => ws[i++] as number };
};

const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThan(1e-15);

describe('walkForward on a universe', () => {
  it('earns sum_i w_i r_i + (1 - sum_i |w_i|) c - cost sum_i |w_i - w_prev,i| (hand-computed)', async () => {
    const ws = [[0.5, 0.5], [1, 0], [0.25, -0.25], { b: 0.3 }];
    const r = await walkForward(universe, fixed(ws), { costBps: 10, cashRate: 0.12 });
    const c = 1.12 ** (1 / 12) - 1;
    const k = 0.001;
    close(r.strategyReturns[0]!, 0.5 * ra[0]! + 0.5 * rb[0]! + 0 * c - k * 1);
    close(r.strategyReturns[1]!, ra[1]! + 0 * c - k * (0.5 + 0.5));
    close(r.strategyReturns[2]!, 0.25 * ra[2]! - 0.25 * rb[2]! + 0.5 * c - k * (0.75 + 0.25));
    close(r.strategyReturns[3]!, 0.3 * rb[3]! + 0.7 * c - k * (0.25 + 0.55));
    // The benchmark: 1/2 each in every period, only the entry charged.
    close(r.benchmarkReturns[0]!, 0.5 * ra[0]! + 0.5 * rb[0]! - k);
    for (let t = 1; t < 4; t++) close(r.benchmarkReturns[t]!, 0.5 * ra[t]! + 0.5 * rb[t]!);
    expect(r.universe!.assets).toEqual(['a', 'b']);
    expect(Array.from(r.universe!.weights[1]!)).toEqual([0.5, 0, -0.25, 0.3]);
    expect(Array.from(r.weights)).toEqual([1, 1, 0, 0.3]);
    r.universe!.contributions.forEach((ci, i) => ci.forEach((x, t) => close(x, r.universe!.weights[i]![t]! * (i === 0 ? ra : rb)[t]!)));
  });

  it('holds one asset as the benchmark when asked', async () => {
    const r = await walkForward(
      universe,
      fixed([
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
      { benchmark: 'b', costBps: 10 },
    );
    close(r.benchmarkReturns[0]!, rb[0]! - 0.001);
    close(r.benchmarkReturns[3]!, rb[3]!);
    await expect(walkForward(universe, fixed([]), { benchmark: 'c' })).rejects.toThrow(/--benchmark c is not an asset of the universe \(a, b\)/);
  });

  it('refuses weights that do not fit the universe, naming the strategy, the month and the rule', async () => {
    const refused = (w: unknown, extra: object = {}) => walkForward(universe, fixed([w]), { strategyId: 'mine', ...extra });
    await expect(refused(0.5)).rejects.toThrow(/mine returned one weight \(0.5\) at 2000-01: a universe of 2 assets \(a, b\) needs a weight per asset/);
    await expect(refused([0.5])).rejects.toThrow(/1 weights at 2000-01: the universe has 2 assets/);
    await expect(refused({ c: 0.5 })).rejects.toThrow(/a weight for "c" at 2000-01: no asset of the universe has that name/);
    await expect(refused([0.6, 0.6])).rejects.toThrow(/sum to 1.2 .* at most 1 unless the strategy declares leverage/);
    await expect(refused([Number.NaN, 0])).rejects.toThrow(/weight NaN for a at 2000-01/);
    await expect(refused([1.5, 0])).rejects.toThrow(/weight 1.5 for a at 2000-01: a weight must be a number in \[-1, 1\]/);
    // Leverage: up to the bound, borrowing at the cash rate.
    const r = await walkForward(
      universe,
      fixed([
        [1, 0.5],
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
      { maxLeverage: 1.5, cashRate: 0.12 },
    );
    close(r.strategyReturns[0]!, ra[0]! + 0.5 * rb[0]! - 0.5 * (1.12 ** (1 / 12) - 1));
    await expect(refused([1, 0.6], { maxLeverage: 1.5 })).rejects.toThrow(/at most 1.5 \(--max-leverage\)/);
  });

  it('shows each asset its own rows up to t and no price of its own', async () => {
    const seen: string[] = [];
    const probe: Strategy = {
      minHistory: 2,
      decide(view) {
        expect(() => view.close()).toThrow(/universe of 2 assets \(a, b\).*view.asset\(name\)/);
        expect(view.assets).toEqual(['a', 'b']);
        expect(view.asset('b').closes().length).toBe(view.index + 1);
        expect(() => view.asset(0).close(-1)).toThrow(LookAheadError);
        expect(() => view.asset('c')).toThrow(/no asset "c"/);
        seen.push(`${view.label}:${view.asset(0).close()}/${view.asset(1).close()}`);
        return [0, 0];
      },
    };
    await walkForward(universe, probe);
    expect(seen).toEqual(['2000-02:110/47.5', '2000-03:99/52.25', '2000-04:118.8/52.25']);
  });

  it('with eachAsset, times every asset by its own instance at 1/N', async () => {
    // Long a while it rose last month; b always long: weights (1/2 or 0, 1/2).
    const rose: (name: string) => Strategy = (name) => ({ minHistory: 2, decide: (v) => (name === 'b' || v.close() > v.close(1) ? 1 : 0) });
    const r = await walkForward(universe, eachAsset(['a', 'b'], rose));
    // a: 110 > 100 at 2000-02, 99 < 110 at 2000-03, 118.8 > 99 at 2000-04.
    expect(Array.from(r.universe!.weights[0]!)).toEqual([0.5, 0, 0.5]);
    expect(Array.from(r.universe!.weights[1]!)).toEqual([0.5, 0.5, 0.5]);
    close(r.strategyReturns[1]!, 0 * ra[2]! + 0.5 * rb[2]!);
    close(r.strategyReturns[2]!, 0.5 * ra[3]! + 0.5 * rb[3]!);
  });
});

describe('the accounting of one asset', () => {
  it('is periodReturn to the bit, whatever the weights', async () => {
    const ws = [1, 0.3, -0.7, 0, 0.123456789];
    const s = monthly('x', [100, 103.1, 99.7, 101.3, 97.2, 104.9]);
    const r = await walkForward(s, fixed(ws), { costBps: 7, cashRate: 0.031 });
    const c = 1.031 ** (1 / 12) - 1;
    let prev = 0;
    ws.forEach((w, k) => {
      expect(r.strategyReturns[k]).toBe(periodReturn(w, prev, s.close[k + 1]! / s.close[k]! - 1, c, 0.0007));
      prev = w;
    });
    expect(r.universe).toBeUndefined();
  });
});
