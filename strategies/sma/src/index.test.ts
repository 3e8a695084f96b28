import { createMarketView, type PriceSeries, silentProgress } from '@backtest/core';
import { evaluateWeights, walkForward } from '@backtest/engine';
import { smaStrategy, smaWeights } from './index';

function series(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => new Date(Date.UTC(2000, 0, 3 + i)).toISOString().slice(0, 10));
  return { source: 'test', frequency: 'daily', dates, close: Float64Array.from(closes), columns: {} };
}

const ctx = { frequency: 'daily' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

describe('sma', () => {
  it('declares its N-period SMA on the price pane, NaN before the window is full (hand-computed)', () => {
    const s = series([1, 2, 3, 1, 2, 5]);
    const [sma, ...rest] = smaStrategy.create({ window: 3, short: false }, ctx).indicators!(createMarketView(s, 5));
    expect(rest).toEqual([]);
    expect({ name: sma!.name, pane: sma!.pane }).toEqual({ name: '3-day SMA', pane: 'price' });
    // (1+2+3)/3, (2+3+1)/3, (3+1+2)/3, (1+2+5)/3
    const expected = [NaN, NaN, 2, 2, 2, 8 / 3];
    expect(sma!.values.length).toBe(6);
    expected.forEach((e, t) => (Number.isNaN(e) ? expect(sma!.values[t]).toBeNaN() : expect(sma!.values[t]).toBeCloseTo(e, 12)));
    const monthly = smaStrategy.create({ window: 10, short: false }, { ...ctx, frequency: 'monthly' });
    expect(monthly.indicators!(createMarketView(s, 5))[0]!.name).toBe('10-month SMA');
    // Fewer rows than the window: every value undefined.
    expect(Array.from(monthly.indicators!(createMarketView(s, 5))[0]!.values).every(Number.isNaN)).toBe(true);
  });

  it('is long only when the close is above the average of the last `window` closes (hand-checked)', async () => {
    // window 3: t=2 mean(1,2,3)=2, 3>2 long; t=3 mean(2,3,1)=2, 1<2 cash; t=4 mean(3,1,2)=2, 2=2 cash.
    const s = series([1, 2, 3, 1, 2, 5]);
    const walk = await walkForward(s, smaStrategy.create({ window: 3, short: false }, ctx));
    expect([...walk.weights]).toEqual([1, 0, 0]);
    const shorting = await walkForward(s, smaStrategy.create({ window: 3, short: true }, ctx));
    expect([...shorting.weights]).toEqual([1, -1, -1]);
  });

  it('smaWeights and evaluateWeights reproduce the walk-forward on a long random series', async () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const closes = [100];
    for (let i = 1; i < 3000; i++) closes.push(closes[i - 1]! * (1 + (rnd() - 0.5) * 0.04));
    const s = series(closes);
    for (const window of [1, 2, 7, 50, 200]) {
      const walk = await walkForward(s, smaStrategy.create({ window, short: false }, ctx), { costBps: 5 });
      const w = smaWeights(s.close, window);
      expect(w.length).toBe(walk.weights.length);
      // Decisions may differ only where the close equals its average to rounding.
      for (let k = 0; k < w.length; k++) {
        if (w[k] === walk.weights[k]) continue;
        const t = window - 1 + k;
        const avg = closes.slice(t - window + 1, t + 1).reduce((a, v) => a + v, 0) / window;
        expect(Math.abs(closes[t]! - avg) / avg).toBeLessThan(1e-9);
      }
      const ev = evaluateWeights(s, window - 1, walk.weights, { costBps: 5 });
      expect([...ev.strategyReturns]).toEqual([...walk.strategyReturns]);
    }
  });

  it('has no weights when the series is shorter than the window', () => {
    expect(smaWeights(Float64Array.from([1, 2]), 3).length).toBe(0);
    expect(() => smaWeights(Float64Array.from([1, 2]), 0)).toThrow('window must be a positive integer');
  });
});
