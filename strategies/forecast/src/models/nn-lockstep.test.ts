/**
 * Lockstep in the walk: the dense network's fits train four at a time (`nnModel.lockstep`,
 * NnModel.fitTogether), and every fit, forecast and weight of a walk is the same as when each
 * fit trains alone, on one thread or two. The worker threads load the built package (dist), so
 * build before running these.
 */
import { type PriceSeries, resolveParams, silentProgress } from '@backtest/core';
import { strategyParams } from '@backtest/core/internal';
import { walkForward } from '@backtest/engine';
import { builtInFeatures, fitSeed, type ModelPlugin } from '@backtest/forecast';
import { type ModelJob, runModelJobs } from '@backtest/forecast/internal';
import { NnModel } from '@backtest/models';
import { composedForecastStrategy } from '../forecast-plugin';
import { builtInModels, nnModel } from './index';

/** The nn plugin without lockstep: every fit alone (what the pool did before lockstep). */
const alone = { ...nnModel, lockstep: undefined } as unknown as ModelPlugin;

function monthly(n: number): PriceSeries {
  const close = Float64Array.from({ length: n }, (_, i) => 100 * 1.006 ** i * (1 + 0.05 * Math.sin(i / 5) + 0.02 * Math.cos(i * 1.7)));
  const dates = Array.from({ length: n }, (_, i) => `${1950 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close, columns: {} };
}

/** Job i of a walk: an expanding window of two features. */
function job(i: number, params: Record<string, unknown> = {}): ModelJob {
  const rows = 60 + 3 * i;
  const x = Float64Array.from({ length: rows * 2 }, (_, k) => Math.sin(k * 0.31 + i * 0.01));
  const y = Float64Array.from({ length: rows }, (_, r) => 0.4 * x[r * 2]! - 0.2 * x[r * 2 + 1]! + 0.05 * Math.cos(r));
  const resolved = resolveParams('nn', nnModel.params, { epochs: '7', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  return {
    model: { id: 'nn', params: resolved as ModelJob['model']['params'], ...(nnModel.module ? { module: nnModel.module } : {}) },
    settings: { inputs: 2, steps: 1, target: 'price', seed: fitSeed(42, i), fit: i, backend: 'cpu' },
    x: { rows, steps: 1, cols: 2, data: x },
    y,
    predict: { rows: 3, steps: 1, cols: 2, data: Float64Array.from([0.1, 0.2, -0.3, 0.4, 0.5, -0.6]) },
    keepFiles: i % 3 === 0,
  };
}

describe('the dense network in lockstep', () => {
  it('gives every job of a pool run the result it has trained alone, on 1 and 2 threads', async () => {
    // Nine refits (groups of 4, 4, 1), a second shape between them, and a fit with early stopping.
    const jobs = [
      ...Array.from({ length: 9 }, (_, i) => job(i)),
      job(9, { hidden: '6,3', optimizer: 'adam' }),
      job(10, { patience: 2, validation: 0.2, epochs: 30 }),
      job(11, { hidden: '6,3', optimizer: 'adam' }),
    ];
    const reference = await runModelJobs(jobs, { threads: 1, plugin: alone });
    const together = jest.spyOn(NnModel, 'fitTogether');
    const one = await runModelJobs(jobs, { threads: 1, plugin: nnModel as unknown as ModelPlugin });
    // Groups: refits 0-3, 4-7, then 8 with the early-stopping fit (one shape), and the two 6,3 fits.
    expect(together.mock.calls.map((c) => c[0].length)).toEqual([4, 4, 2, 2]);
    together.mockRestore();
    expect(one).toEqual(reference);
    expect(await runModelJobs(jobs, { threads: 2, plugin: nnModel as unknown as ModelPlugin })).toEqual(reference);
    // Not trivially equal: the fits differ from each other.
    expect(reference[1]!.predictions).not.toEqual(reference[0]!.predictions);
  }, 60_000);

  it('walks the same weights, forecasts and fits as one fit at a time (refit every month)', async () => {
    const series = monthly(150);
    const context = { frequency: 'monthly' as const, seed: 7, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };
    const run = async (models: readonly ModelPlugin[]) => {
      const plugin = composedForecastStrategy(builtInFeatures, models);
      const p = strategyParams(plugin, { model: 'nn', refit: '1', epochs: '6' });
      return walkForward(series, plugin.create(p as never, context), { testStart: '1958-01' });
    };
    const a = await run(builtInModels);
    const b = await run(builtInModels.map((m) => (m.id === 'nn' ? alone : m)));
    expect(a.output.fits).toBeGreaterThan(40);
    expect([...a.weights]).toEqual([...b.weights]);
    expect(a.output.forecasts).toEqual(b.output.forecasts);
    expect(a.output.training).toEqual(b.output.training);
  }, 60_000);

  it('keeps a fit that fails in its group alone: the first failure in job order, as without lockstep', async () => {
    // A learning rate that blows up the SGD steps of some fits only.
    const jobs = Array.from({ length: 6 }, (_, i) => job(i, i === 2 || i === 4 ? { learningRate: 1e4 } : {}));
    const messages = await Promise.all(
      [alone, nnModel as unknown as ModelPlugin].map((plugin) =>
        runModelJobs(jobs, { threads: 1, plugin }).then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      ),
    );
    expect(messages[0]).toMatch(/diverged/);
    expect(messages[1]).toBe(messages[0]);
  }, 60_000);
});
