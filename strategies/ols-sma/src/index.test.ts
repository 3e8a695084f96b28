import { createMarketView, type PriceSeries, resolveParams, silentProgress } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { olsSma } from './index';

const ctx = { frequency: 'monthly' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

function monthly(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `${1990 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

describe('ols-sma', () => {
  // A steady 1% monthly rise with a small wobble: scaled by its own trailing statistics, next
  // month's close sits well above the current one, so a least-squares forecast says "up".
  const closes = Array.from({ length: 120 }, (_, i) => 100 * 1.01 ** i * (1 + 0.002 * Math.sin(i)));

  it('forecasts a rise in a rising market and stays long', async () => {
    const p = resolveParams('ols-sma', olsSma.params, { refit: '6' });
    const walk = await walkForward(monthly(closes), olsSma.create(p, ctx), { testStart: '1994-01' });
    expect(walk.decisionLabels[0]).toBe('1994-01');
    expect([...walk.weights].every((w) => w === 1)).toBe(true);
    const out = walk.output;
    expect(out.fits).toBe(Math.ceil(walk.weights.length / 6));
    for (const f of out.forecasts!) expect(f.forecast).toBeGreaterThan(f.close);
  });

  it('says its model is OLS on close and SMA, and declares its feature SMA on the price pane', async () => {
    const p = resolveParams('ols-sma', olsSma.params, { refit: '6' });
    const strategy = olsSma.create(p, ctx);
    const walk = await walkForward(monthly(closes), strategy, { testStart: '1994-01' });
    expect(walk.output.model).toEqual({ kind: 'ols', features: 'close,sma' });
    const [sma, ...rest] = strategy.indicators!(createMarketView(monthly(closes), closes.length - 1));
    expect(rest).toEqual([]);
    expect({ name: sma!.name, pane: sma!.pane }).toEqual({ name: '10-month SMA', pane: 'price' });
    expect(sma!.values[8]).toBeNaN();
    expect(sma!.values[9]).toBeCloseTo(closes.slice(0, 10).reduce((a, b) => a + b, 0) / 10, 10);
    expect(sma!.values[119]).toBeCloseTo(closes.slice(110).reduce((a, b) => a + b, 0) / 10, 10);
  });

  it('goes to cash when the forecast does not beat the threshold', async () => {
    const p = resolveParams('ols-sma', olsSma.params, { threshold: '0.5' });
    const walk = await walkForward(monthly(closes), olsSma.create(p, ctx), { testStart: '1994-01' });
    expect([...walk.weights].every((w) => w === 0)).toBe(true);
  });

  it('refuses to fit on fewer rows than minTrain (a rolling window too short)', async () => {
    const p = resolveParams('ols-sma', olsSma.params, { trainWindow: 'rolling:10' });
    await expect(walkForward(monthly(closes), olsSma.create(p, ctx), { testStart: '1994-01' })).rejects.toThrow('ols-sma: only 10 training rows at 1994-01; it needs at least 24');
  });

  it('says why when flat prices leave no usable training rows', async () => {
    const p = resolveParams('ols-sma', olsSma.params, {});
    // 1994-01 is row 48; targets are known for rows 18 (first complete) .. 47: 30 rows.
    const flat = Array.from({ length: 120 }, () => 100);
    await expect(walkForward(monthly(flat), olsSma.create(p, ctx), { testStart: '1994-01' })).rejects.toThrow(
      'ols-sma: only 0 training rows at 1994-01 (30 of the 30 rows have undefined features: a flat price window leaves the scaling undefined); it needs at least 24',
    );
  });
});
