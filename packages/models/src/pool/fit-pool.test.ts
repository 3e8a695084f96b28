/**
 * The fit pool: the same numbers for every thread count (the worker script comes from dist, so
 * build @backtest/models before running these), results in job order, clear errors, and the
 * fast trainer agreeing with plain TensorFlow.js kernels.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { featureRows, linearTarget, testUniforms } from '../__fixtures__/test-data';
import { loadModel } from '../load-model';
import { networkFiles } from '../nn/nn-model';
import { resolveNetwork, resolveOptimizer } from '../nn/spec';
import { type FitJob, fitNetworks, nnForecaster, runFitJob } from './index';

function packed(rows: number[][]): { rows: number; cols: number; data: Float64Array } {
  return { rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) };
}

/** Job i: its own rows (more for later jobs, like an expanding walk-forward window) and seed. */
function job(i: number, extra: Partial<FitJob> = {}): FitJob {
  const x = featureRows(60 + 20 * i, 100 + i);
  const noise = testUniforms(200 + i);
  return {
    network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] },
    optimizer: 'sgd',
    x: packed(x),
    y: Float64Array.from(x, (r) => linearTarget(r) + 0.05 * (noise() - 0.5)),
    options: { epochs: 5, batchSize: 16 },
    seed: 42 + i,
    predict: packed(featureRows(3 + i, 300 + i)),
    ...extra,
  };
}

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('fitNetworks', () => {
  it('gives bit-identical forecasts and histories on 1, 2 and 3 threads, in job order', async () => {
    const jobs = Array.from({ length: 7 }, (_, i) => job(i, i === 3 ? { options: { epochs: 6, batchSize: 8, earlyStopping: { patience: 1, restoreBestWeights: true } } } : {}));
    const runs = await Promise.all([1, 2, 3].map((threads) => fitNetworks(jobs, { threads, backend: 'cpu' })));
    for (const r of runs) {
      expect(r).toHaveLength(jobs.length);
      r.forEach((res, i) => expect(res.predictions).toHaveLength(jobs[i]!.predict.rows));
    }
    const [one, ...others] = runs;
    for (const other of others) {
      other!.forEach((res, i) => {
        expect(bits(res.predictions)).toBe(bits(one![i]!.predictions));
        expect(res.history).toEqual(one![i]!.history);
        expect(res.trainer).toBe(one![i]!.trainer);
      });
    }
    // Each slot holds its own job's result: the same as running that job alone.
    expect(bits(one![5]!.predictions)).toBe(bits(runFitJob(jobs[5]!).predictions));
    // Jobs differ, so a mix-up of slots could not go unnoticed.
    expect(bits(one![5]!.predictions)).not.toBe(bits(one![4]!.predictions));
  }, 60_000);

  it('runs the tfjs trainer on wasm in workers with the numbers of this thread', async () => {
    const jobs = [0, 1, 2].map((i) => job(i, { options: { epochs: 3, batchSize: 16, trainer: 'tfjs' } }));
    const one = await fitNetworks(jobs, { threads: 1, backend: 'wasm' });
    const two = await fitNetworks(jobs, { threads: 2, backend: 'wasm' });
    expect(two.map((r) => [r.backend, r.trainer])).toEqual(jobs.map(() => ['wasm', 'tfjs']));
    two.forEach((r, i) => expect(bits(r.predictions)).toBe(bits(one[i]!.predictions)));
  }, 60_000);

  it('reports progress once per job', async () => {
    const seen: number[] = [];
    await fitNetworks([0, 1, 2].map((i) => job(i)), { threads: 2, backend: 'cpu', onResult: (i) => seen.push(i) });
    expect(seen.sort()).toEqual([0, 1, 2]);
  }, 60_000);

  it("names the fit that failed in a worker, keeping a user error's type", async () => {
    const jobs = [job(0), job(1, { options: { epochs: 0 } }), job(2)];
    const failure = fitNetworks(jobs, { threads: 2, backend: 'cpu' });
    await expect(failure).rejects.toThrow(UserError);
    await expect(fitNetworks(jobs, { threads: 2, backend: 'cpu' })).rejects.toThrow(/network fit 2 of 3 failed in worker thread \d: epochs must be a positive integer, got 0/);
    // In this thread the same job fails with the model's own message.
    await expect(fitNetworks(jobs, { threads: 1, backend: 'cpu' })).rejects.toThrow(/epochs must be a positive integer, got 0/);
  }, 60_000);

  it('says which worker could not start when its backend does not initialise', async () => {
    const jobs = [job(0), job(1)];
    const backend = 'no-such-backend' as never;
    await expect(fitNetworks(jobs, { threads: 2, backend })).rejects.toThrow(/worker thread \d could not start: unknown backend "no-such-backend"/);
    await expect(fitNetworks(jobs, { threads: 1, backend })).rejects.toThrow(/unknown backend "no-such-backend"/);
  }, 60_000);

  it('returns the fitted weights only when a job keeps them, the same from a worker as in this thread', async () => {
    const jobs = [0, 1, 2].map((i) => job(i, { keepWeights: i !== 1 }));
    const [one, two] = await Promise.all([fitNetworks(jobs, { threads: 1, backend: 'cpu' }), fitNetworks(jobs, { threads: 2, backend: 'cpu' })]);
    expect(one!.map((r) => r.weights === undefined)).toEqual([false, true, false]);
    two!.forEach((r, i) => expect(r.weights?.map((w) => Array.from(w))).toEqual(one![i]!.weights?.map((w) => Array.from(w))));
    // The weights are the fit's: a network with them forecasts what the fit forecast.
    const dir = mkdtempSync(join(tmpdir(), 'pool-weights-'));
    try {
      const files = networkFiles(resolveNetwork(jobs[2]!.network), resolveOptimizer('sgd'), two![2]!.weights!);
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      const loaded = loadModel(dir);
      const { rows, cols, data } = jobs[2]!.predict;
      for (let r = 0; r < rows; r++) expect(loaded.predict({ rows: 1, cols, data: data.subarray(r * cols, (r + 1) * cols) })[0]).toBe(two![2]!.predictions[r]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(fitNetworks([job(0)], { threads: 0, backend: 'cpu' })).rejects.toThrow(/threads must be a positive integer/);
  });

  it('returns nothing for no jobs without starting a thread', async () => {
    await expect(fitNetworks([], { threads: 4, backend: 'cpu' })).resolves.toEqual([]);
  });
});

describe('nnForecaster keeping its models', () => {
  const options = {
    network: { inputSize: 2, layers: [{ units: 4, activation: 'relu' as const }, { units: 1 }] },
    optimizer: 'sgd' as const, epochs: 3, batchSize: 16, patience: 0, validation: 0, seed: 5, threads: 2, backend: 'cpu' as const,
  };
  const fits = [0, 1, 2].map((i) => {
    const j = job(i);
    return { fit: i, x: j.x, y: j.y, predict: j.predict };
  });

  it('gives each fit\'s network as NnModel.save\'s files, the same in this thread, on workers and from the sequential regressor', async () => {
    const nn = nnForecaster(options);
    const plain = await nn.fitBatch(fits, () => {});
    expect(plain.every((r) => !('model' in r) && !('weights' in r))).toBe(true);
    const kept = await nn.fitBatch(fits, () => {}, { keepModels: true });
    const saved = process.env['BACKTEST_WORKER_MIN_WORK'];
    process.env['BACKTEST_WORKER_MIN_WORK'] = '0';
    let onWorkers;
    try {
      onWorkers = await nn.fitBatch(fits, () => {}, { keepModels: true });
    } finally {
      if (saved === undefined) delete process.env['BACKTEST_WORKER_MIN_WORK'];
      else process.env['BACKTEST_WORKER_MIN_WORK'] = saved;
    }
    const hex = (files: Readonly<Record<string, string | Uint8Array>>) =>
      Object.entries(files).map(([name, c]) => [name, typeof c === 'string' ? c : Buffer.from(c).toString('hex')]);
    kept.forEach((r, i) => {
      expect(r.predictions).toEqual(plain[i]!.predictions);
      expect(r.model!.kind).toBe('nn');
      expect(hex(onWorkers![i]!.model!.files)).toEqual(hex(r.model!.files));
      const regressor = nn.regressor(i);
      regressor.fit(fits[i]!.x, fits[i]!.y);
      expect(hex(regressor.files())).toEqual(hex(r.model!.files));
      regressor.dispose();
      expect(JSON.parse(r.model!.files['model.json'] as string).userDefinedMetadata.backtest.seed).toBe(5 + i);
    });
  }, 60_000);
});

describe('the fast paths against plain TensorFlow.js kernels', () => {
  // 300 rows, 20 epochs of SGD, on a worker thread: the SIMD kernels (what 'auto' picks) and the
  // fused pass differ from tfjs kernels only in how float32 sums are rounded (their own fixed
  // order; float64 accumulation in the fused pass). Measured worst forecast differences, for a
  // target of size ~1: 2-10-1 6e-8 (fused and simd, one float32 step); 2-300-100-1 1.2e-7 (simd).
  // The bounds are 1e-6 and 2e-6, while a real difference (a wrong gradient, a skipped batch) moves
  // forecasts by 1e-2 or more.
  const small = { inputSize: 2, layers: [{ units: 10, activation: 'relu' as const }, { units: 1 }] };
  const deep = { inputSize: 2, layers: [{ units: 300, activation: 'relu' as const }, { units: 100, activation: 'relu' as const }, { units: 1 }] };
  it.each([
    ['2-10-1', 'auto', 'simd', small, 1e-6],
    ['2-10-1', 'fused', 'fused', small, 1e-6],
    ['2-300-100-1', 'auto', 'simd', deep, 2e-6],
  ] as const)('%s, trainer %s (%s), gives the forecasts of tfjs kernels', async (_, trainer, expected, network, bound) => {
    const base = job(12, { network, options: { epochs: 20, batchSize: 32, ...(trainer === 'auto' ? {} : { trainer }) }, predict: packed(featureRows(50, 7)) });
    expect(base.x.rows).toBe(300);
    const [fast] = await fitNetworks([base, job(1)], { threads: 2, backend: 'wasm' });
    const [plain] = await fitNetworks([{ ...base, options: { ...base.options, trainer: 'tfjs' } }], { threads: 1, backend: 'wasm' });
    expect(fast!.trainer).toBe(expected);
    expect(plain!.trainer).toBe('tfjs');
    let worst = 0;
    fast!.predictions.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - plain!.predictions[i]!))));
    expect(worst).toBeLessThan(bound);
    // The networks learned the target, so the comparison is of trained forecasts, not of noise.
    const x = featureRows(50, 7);
    fast!.predictions.forEach((p, i) => expect(Math.abs(p - linearTarget(x[i]!))).toBeLessThan(0.2));
  }, 60_000);
});
