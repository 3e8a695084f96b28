import { createMarketView, type PriceSeries, resolveParams, silentProgress } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { nnSma } from './index';

function monthly(closes: number[]): PriceSeries {
  const dates = closes.map((_, i) => `${1990 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

const closes = Array.from({ length: 100 }, (_, i) => 100 * 1.01 ** i * (1 + 0.03 * Math.sin(i / 2)));

async function run(seed: number, params: Record<string, string>) {
  const ctx = { frequency: 'monthly' as const, seed, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };
  const p = resolveParams('nn-sma', nnSma.params, { epochs: '5', refit: '12', ...params });
  return walkForward(monthly(closes), nnSma.create(p, ctx), { testStart: '1994-01' });
}

describe('nn-sma', () => {
  it('declares its feature SMA on the price pane', () => {
    const ctx = { frequency: 'monthly' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };
    const strategy = nnSma.create(resolveParams('nn-sma', nnSma.params, { window: '5' }), ctx);
    const [sma, ...rest] = strategy.indicators!(createMarketView(monthly(closes), closes.length - 1));
    expect(rest).toEqual([]);
    expect({ name: sma!.name, pane: sma!.pane }).toEqual({ name: '5-month SMA', pane: 'price' });
    expect(sma!.values[3]).toBeNaN();
    expect(sma!.values[50]).toBeCloseTo(closes.slice(46, 51).reduce((x, y) => x + y, 0) / 5, 10);
  });

  it('trains one network per refit, records its epochs and backend, and reproduces from the seed', async () => {
    const a = await run(42, {});
    expect(a.output.fits).toBe(Math.ceil(a.weights.length / 12));
    expect(a.output.training!.length).toBe(a.output.fits! * 5);
    // The SIMD kernels train and predict: no TensorFlow.js backend is involved.
    expect(a.output.model?.backend).toBe('none');
    expect(a.output.model?.layers).toBe('2-10-1');
    expect(a.output.model?.kind).toBe('nn');
    expect(a.output.model?.features).toBe('close,sma');
    const b = await run(42, {});
    expect([...b.weights]).toEqual([...a.weights]);
    expect(b.output.forecasts!.map((f) => f.forecast)).toEqual(a.output.forecasts!.map((f) => f.forecast));
    const c = await run(7, {});
    expect(c.output.forecasts!.map((f) => f.forecast)).not.toEqual(a.output.forecasts!.map((f) => f.forecast));
  });

  it('builds the network the parameters describe and stops early with a validation split', async () => {
    const deep = await run(42, { hidden: '6,4', epochs: '50', patience: '2', validation: '0.2' });
    expect(deep.output.model?.layers).toBe('2-6-4-1');
    const byFit = new Map<number, number>();
    for (const r of deep.output.training!) {
      expect(r.valLoss).toEqual(expect.any(Number));
      byFit.set(r.fit, (byFit.get(r.fit) ?? 0) + 1);
    }
    expect([...byFit.values()].some((epochs) => epochs < 50)).toBe(true);
  });

  it('trains the same networks with TensorFlow.js kernels as with the SIMD kernels, to float32 rounding', async () => {
    const fast = await run(42, { trainer: 'simd' });
    const kernels = await run(42, { trainer: 'tfjs' });
    const a = fast.output.forecasts!.map((f) => f.forecast);
    const b = kernels.output.forecasts!.map((f) => f.forecast);
    expect(b).toHaveLength(a.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!) / v).toBeLessThan(1e-5));
  });

  it("defaults to the SIMD trainer ('auto')", async () => {
    const auto = await run(42, {});
    const simd = await run(42, { trainer: 'simd' });
    expect(auto.output.model?.trainer).toBe('simd');
    expect((await run(42, { trainer: 'tfjs' })).output.model?.trainer).toBe('tfjs');
    expect(auto.output.forecasts!.map((f) => f.forecast)).toEqual(simd.output.forecasts!.map((f) => f.forecast));
  });
});
