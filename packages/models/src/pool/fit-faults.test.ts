/**
 * A fit fault is the same error whether the fit ran in this thread or on a worker (the worker
 * script comes from dist: build @backtest/models first): the same class, exit code 2, message
 * and details, and the first failing fit in job order on every thread count.
 */
import { UserError } from '@backtest/core';
import { rejectionOf } from '@backtest/core/testing';
import { featureRows, linearTarget } from '../__fixtures__/test-data';
import { NetworkDivergedError, NetworkTooLargeError } from '../nn/fit-faults';
import { type FitJob, fitNetworks, nnForecaster } from './index';

const packed = (rows: number[][]) => ({ rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) });

function job(i: number, learningRate: number, extra: Partial<FitJob> = {}): FitJob {
  const x = featureRows(100 + 40 * i, 10 + i);
  return {
    network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] },
    optimizer: { name: 'sgd', learningRate },
    x: packed(x),
    y: Float64Array.from(x, linearTarget),
    options: { epochs: 5, batchSize: 16 },
    seed: 42 + i,
    predict: packed(featureRows(3, 99)),
    ...extra,
  };
}

const failure = (run: Promise<unknown>): Promise<Error> => rejectionOf(run);

describe('a diverging fit', () => {
  // Fit 1 and the larger fit 2 diverge; workers start the largest first, so fit 2 fails first there.
  const jobs = [job(0, 0.01), job(1, 2), job(2, 2), job(3, 0.01)];

  it('is the same NetworkDivergedError on 1, 2 and 3 threads, naming the first failing fit', async () => {
    const errors = await Promise.all([1, 2, 3].map((threads) => failure(fitNetworks(jobs, { threads, backend: 'cpu' }))));
    for (const e of errors) {
      expect(e).toBeInstanceOf(NetworkDivergedError);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(2);
      expect((e as NetworkDivergedError).details.fit).toBe(1);
      expect(e.message).toBe(errors[0]!.message);
      expect((e as NetworkDivergedError).details).toEqual((errors[0] as NetworkDivergedError).details);
    }
    expect(errors[0]!.message).toMatch(/^fit 1 diverged at epoch \d+ \(training loss [^)]+\): lower learningRate \(now 2\)$/);
    expect(errors[1]!.message).not.toMatch(/worker/);
  }, 60_000);

  it('is named by its fit number through nnForecaster, batched and sequential', async () => {
    const nn = nnForecaster({
      network: jobs[0]!.network,
      optimizer: { name: 'sgd', learningRate: 2 },
      epochs: 5, batchSize: 16, patience: 0, validation: 0, seed: 1, threads: 2, backend: 'cpu',
    });
    const fits = [0, 1].map((i) => ({ fit: 7 + i, x: jobs[i]!.x, y: jobs[i]!.y, predict: jobs[i]!.predict }));
    const batched = await failure(nn.fitBatch(fits, () => {}));
    expect(batched).toBeInstanceOf(NetworkDivergedError);
    expect((batched as NetworkDivergedError).details.fit).toBe(7);
    const regressor = nn.regressor(8);
    expect(() => regressor.fit(jobs[1]!.x, jobs[1]!.y)).toThrow(/^fit 8 diverged at epoch/);
  }, 60_000);
});

describe('a network too big for a fit', () => {
  const huge = { inputSize: 2, layers: [{ units: 7000 }, { units: 7000 }, { units: 1 }] };

  it('is refused on a worker with the error of this thread, before anything is allocated', async () => {
    const jobs = [job(0, 0.01), job(1, 0.01, { network: huge })];
    const [here, there] = await Promise.all([1, 2].map((threads) => failure(fitNetworks(jobs, { threads, backend: 'cpu' }))));
    expect(here).toBeInstanceOf(NetworkTooLargeError);
    expect(there).toBeInstanceOf(NetworkTooLargeError);
    expect(there!.message).toBe(here!.message);
    expect(here!.message).toMatch(/^a 2-7000-7000-1 network has 49,035,001 weights: a fit would need about [\d.]+ GB/);
  }, 60_000);

  it('is refused by nnForecaster when it is made, before any fit', () => {
    expect(() =>
      nnForecaster({ network: huge, optimizer: 'sgd', epochs: 5, batchSize: 16, patience: 0, validation: 0, seed: 1, threads: 2, backend: 'cpu' }),
    ).toThrow(NetworkTooLargeError);
  });
});
