import { type PriceSeries, silentProgress } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { buyAndHold } from './index';

const ctx = { frequency: 'monthly' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

describe('buy-and-hold', () => {
  it('is fully invested from its first row and earns exactly the asset return', async () => {
    const closes = [100, 90, 99, 120];
    const s: PriceSeries = {
      source: 't',
      frequency: 'monthly',
      dates: ['2000-01-31', '2000-02-29', '2000-03-31', '2000-04-28'],
      close: Float64Array.from(closes),
      columns: {},
    };
    const walk = await walkForward(s, buyAndHold.create({}, ctx));
    expect(walk.firstDecision).toBe(0);
    expect([...walk.weights]).toEqual([1, 1, 1]);
    expect([...walk.strategyReturns]).toEqual([...walk.benchmarkReturns]);
    const growth = walk.strategyReturns.reduce((g, r) => g * (1 + r), 1);
    expect(growth).toBeCloseTo(120 / 100, 14);
  });

  it('declares no indicators: its report draws the price alone', () => {
    expect(buyAndHold.create({}, ctx).indicators).toBeUndefined();
  });
});
