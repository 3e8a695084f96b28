/**
 * The model pool: the same numbers for every thread count (the worker script comes from dist, so
 * build @backtest/forecast before running these), results in job order, and failures that come
 * back as the error the fit threw, naming the fit.
 */
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { rejectionOf } from '@backtest/core/testing';
import { NetworkDivergedError } from '@backtest/models';
import { fitSeed, type ModelPlugin } from '../model-plugin';
import { type ModelJob, modelPluginsOf, runModelJob, runModelJobs } from './index';

const MODULE = join(__dirname, '..', '__fixtures__', 'slope-model.js');
const plugin = (require(MODULE) as { plugin: ModelPlugin }).plugin;

/** Job i: its own rows (more for later jobs, like an expanding window) and seed. */
function job(i: number, params: Record<string, string | number> = {}, keepFiles = false): ModelJob {
  const rows = 20 + 5 * i;
  const x = Float64Array.from({ length: rows * 2 }, (_, k) => Math.sin(k * 0.7 + i));
  const y = Float64Array.from({ length: rows }, (_, r) => 0.5 * x[r * 2]! + 0.01 * Math.cos(r));
  return {
    model: { id: 'slope', params: { fail: -1, how: 'user', ...params }, module: MODULE },
    settings: { inputs: 2, steps: 1, target: 'price', seed: fitSeed(42, i), fit: i, backend: 'cpu' },
    x: { rows, steps: 1, cols: 2, data: x },
    y,
    predict: { rows: 2, steps: 1, cols: 2, data: Float64Array.from([0.1 * i, 1, -0.2, 0.3]) },
    ...(keepFiles ? { keepFiles } : {}),
  };
}

describe('runModelJobs', () => {
  it('gives the same results on 1, 2 and 3 threads, in job order, each its own job alone', async () => {
    const jobs = Array.from({ length: 6 }, (_, i) => job(i, {}, i % 2 === 0));
    const runs = await Promise.all([1, 2, 3].map((threads) => runModelJobs(jobs, { threads, plugin })));
    for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
    const alone = await runModelJob(jobs[4]!, plugin);
    expect(runs[0]![4]).toEqual(alone);
    expect(runs[0]![4]).not.toEqual(runs[0]![3]);
    expect(runs[0]![0]!.files).toEqual({ 'slope.json': expect.any(String) });
    expect(runs[0]![1]!.files).toBeUndefined();
    expect(runs[0]![0]!.info).toEqual({ trainer: 'thread-independent' });
  }, 30_000);

  it('reports progress once per job', async () => {
    const done: number[] = [];
    await runModelJobs([job(0), job(1), job(2)], { threads: 2, plugin, onResult: (i) => done.push(i) });
    expect(done.sort()).toEqual([0, 1, 2]);
  }, 30_000);

  it.each([1, 2])(
    "names the fit that failed, keeping a user error's type, the first in job order (%p threads)",
    async (threads) => {
      const jobs = [job(0), job(1, { fail: 1 }), job(2, { fail: 2 }), job(3)];
      const err = await rejectionOf(runModelJobs(jobs, { threads, plugin }), UserError);
      // The same message on any thread count: the model and the fit, then what it said.
      expect(err.message).toBe('model "slope": fit 1: fit 1 refused its data');
    },
    30_000,
  );

  it.each([1, 2])(
    'gives a divergence back as a NetworkDivergedError naming the fit (%p threads)',
    async (threads) => {
      const jobs = [job(0), job(1), job(2, { fail: 2, how: 'diverge' })];
      const err = await rejectionOf(runModelJobs(jobs, { threads, plugin }), NetworkDivergedError);
      expect(err.details.fit).toBe(2);
      expect(err.message).toMatch(/^fit 2 diverged at epoch 2/);
    },
    30_000,
  );

  it("keeps a program error's stack from the worker", async () => {
    const err = await rejectionOf(runModelJobs([job(0), job(1, { fail: 1, how: 'crash' })], { threads: 2, plugin }));
    expect(err).not.toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^model fit 1 failed in worker thread \d: something broke/);
    expect(err.stack).toMatch(/-- in the worker --/);
  }, 30_000);

  it('says what is missing when a worker cannot build the model', async () => {
    const nowhere = { ...job(1), model: { ...job(1).model, id: 'other' } };
    expect((await rejectionOf(runModelJobs([job(0), nowhere], { threads: 2, plugin }))).message).toMatch(/binds no model "other" \(it binds: slope\)/);
    const { module: _, ...noModule } = job(1).model;
    expect((await rejectionOf(runModelJobs([job(0), { ...job(1), model: noModule }], { threads: 2, plugin }))).message).toMatch(/names no module to build it from/);
  }, 30_000);

  it('rejects a thread count that is not a positive integer, and returns nothing for no jobs', async () => {
    expect((await rejectionOf(runModelJobs([job(0)], { threads: 0, plugin }), UserError)).message).toBe('threads must be a positive integer, got 0');
    expect(await runModelJobs([], { threads: 3, plugin })).toEqual([]);
  });
});

describe('modelPluginsOf', () => {
  it('collects the model plugins a module binds, by id', () => {
    expect([...modelPluginsOf(require(MODULE)).keys()]).toEqual(['slope']);
  });
});
