import { UserError } from '@backtest/core';
import { featureRows, linearTarget, testUniforms } from '../__fixtures__/test-data';
import type { Features, Target } from '../model';
import { type NnFitOptions, type NnFitResult, NnModel, trainsInLockstep } from './nn-model';
import { LockstepGroup } from './simd/lockstep';
import type { Activation } from './spec';
import * as trainLoopModule from './train-loop';

interface Request {
  readonly hidden: number[];
  readonly activation?: Activation;
  readonly optimizer?: 'sgd' | 'adam';
  readonly rows: number;
  readonly options: NnFitOptions;
}

function dataOf(rows: number, seed: number): { x: Features; y: Target } {
  const x = featureRows(rows, seed);
  const u = testUniforms(seed + 1);
  return { x, y: x.map((r) => linearTarget(r) + Math.sin(3 * (r[0] as number)) * 0.3 + (u() - 0.5) * 0.05) };
}

function modelOf(r: Request): NnModel {
  return new NnModel({
    network: {
      inputSize: 2,
      layers: [
        ...r.hidden.map((units) => ({ units, activation: r.activation ?? 'relu' })),
        { units: 1, activation: r.options.loss === 'binaryCrossentropy' ? 'sigmoid' : 'linear' },
      ],
    },
    optimizer: r.optimizer ?? 'sgd',
  });
}

/** A fit's result without its wall time, its weights' bits, and its forecasts of fresh rows. */
function observed(model: NnModel, result: NnFitResult) {
  const { seconds: _seconds, ...rest } = result;
  return { rest, weights: model.weights().map((w) => Array.from(w)), forecasts: Array.from(model.predict(featureRows(25, 999))) };
}

/** The data of request i: a cross-entropy fit learns whether the target is above 0.1. */
function dataFor(r: Request, i: number): { x: Features; y: Target } {
  const d = dataOf(r.rows, 10 + i);
  return r.options.loss === 'binaryCrossentropy' ? { x: d.x, y: (d.y as number[]).map((v) => (v > 0.1 ? 1 : 0)) } : d;
}

function oneByOne(requests: readonly Request[]) {
  return requests.map((r, i) => {
    const model = modelOf(r);
    const { x, y } = dataFor(r, i);
    try {
      return { ok: observed(model, model.fit(x, y, r.options)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

function together(requests: readonly Request[]) {
  const models = requests.map(modelOf);
  const outcomes = NnModel.fitTogether(requests.map((r, i) => ({ model: models[i]!, ...dataFor(r, i), options: r.options })));
  return outcomes.map((o, i) => (o.status === 'fulfilled' ? { ok: observed(models[i]!, o.value) } : { error: (o.reason as Error).message }));
}

describe('NnModel.fitTogether (lockstep): each fit as model.fit alone, bit for bit', () => {
  it('walk-forward refits of the study network: nine fits of growing windows (groups of 4, 4 and 1)', () => {
    const requests: Request[] = Array.from({ length: 9 }, (_, i) => ({ hidden: [10], rows: 120 + 7 * i, options: { epochs: 12, batchSize: 32, seed: 1000 + i } }));
    const a = oneByOne(requests);
    expect(together(requests)).toEqual(a);
    expect(a.every((r) => 'ok' in r)).toBe(true);
  });

  it('a mixture: shapes, optimizers, epochs, early stopping with validation, cross-entropy, a wide network, bad input', () => {
    const requests: Request[] = [
      { hidden: [10], rows: 150, options: { epochs: 8, seed: 1 } },
      { hidden: [6, 4], activation: 'tanh', optimizer: 'adam', rows: 90, options: { epochs: 5, batchSize: 16, seed: 2 } },
      { hidden: [10], rows: 60, options: { epochs: 30, seed: 3, validation: { ...dataOf(20, 77) }, earlyStopping: { patience: 2, restoreBestWeights: true } } },
      { hidden: [6, 4], activation: 'tanh', optimizer: 'adam', rows: 95, options: { epochs: 7, batchSize: 16, seed: 4 } },
      { hidden: [5], rows: 80, options: { epochs: 4, seed: 5, loss: 'binaryCrossentropy' } },
      { hidden: [10], rows: 150, options: { epochs: 8, seed: 6, batchSize: 0 } },
      { hidden: [10], rows: 10, options: { epochs: 3, seed: 7 } },
      { hidden: [200], rows: 70, options: { epochs: 2, seed: 8 } },
    ];
    const runs = jest.spyOn(LockstepGroup.prototype, 'runEpochs');
    const b = together(requests);
    // Two groups trained in lanes: the three [10] fits that plan (30 epochs at most), the two [6, 4].
    expect(runs.mock.calls.map((c) => c[0].filter(Boolean).length).slice(0, 1)).toEqual([3]);
    runs.mockRestore();
    const a = oneByOne(requests);
    expect(b).toEqual(a);
    expect(a[5]).toEqual({ error: expect.stringMatching(/batchSize must be a positive integer/) });
    expect(a.filter((r) => 'ok' in r)).toHaveLength(7);
  });

  it('a fit that diverges fails alone, with the error its own fit gives; its group trains on', () => {
    const requests: Request[] = [0, 1, 2].map((i) => ({ hidden: [10], rows: 100, options: { epochs: 5, seed: i } }));
    const models = requests.map(modelOf);
    const data = requests.map((_, i) => dataOf(100, 10 + i));
    const wild = { x: data[1]!.x, y: (data[1]!.y as number[]).map((v) => v * 1e8) };
    const outcomes = NnModel.fitTogether(requests.map((r, i) => ({ model: models[i]!, ...(i === 1 ? wild : data[i]!), options: r.options })));
    const alone = modelOf(requests[1]!);
    expect(() => alone.fit(wild.x, wild.y, requests[1]!.options)).toThrow(/diverged/);
    expect(outcomes[1]).toEqual({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/diverged/) }) });
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
  });

  it('trains a group of four with one lockstep call an epoch, not four loops of runEpoch', () => {
    const loops = jest.spyOn(trainLoopModule, 'trainLoop');
    const runs = jest.spyOn(LockstepGroup.prototype, 'runEpochs');
    const requests: Request[] = Array.from({ length: 4 }, (_, i) => ({ hidden: [10], rows: 64 + i, options: { epochs: 3, seed: i } }));
    together(requests);
    expect(loops).not.toHaveBeenCalled();
    expect(runs).toHaveBeenCalledTimes(3);
    loops.mockRestore();
    runs.mockRestore();
    // Alone, each fit runs its own loop.
    const alone = jest.spyOn(trainLoopModule, 'trainLoop');
    oneByOne(requests);
    expect(alone).toHaveBeenCalledTimes(4);
    alone.mockRestore();
  });

  it('refuses nothing model.fit accepts and accepts nothing it refuses (a UserError stays one)', () => {
    const model = modelOf({ hidden: [10], rows: 5, options: {} });
    const [o] = NnModel.fitTogether([{ model, x: [[1, 2, 3]], y: [1] }]);
    expect(o!.status).toBe('rejected');
    expect((o as PromiseRejectedResult).reason).toBeInstanceOf(UserError);
  });
});

describe('trainsInLockstep', () => {
  const net = (inputSize: number, hidden: number[]) => ({
    inputSize,
    layers: [...hidden.map((units) => ({ units, activation: 'relu' as const })), { units: 1, activation: 'linear' as const }],
  });
  it('takes one hidden layer of any width, and small layers after the first; not a wide product between hidden layers, nor a huge network', () => {
    expect([[10], [512], [6, 4], [16, 16], [], [32, 8]].map((h) => trainsInLockstep(net(2, h)))).toEqual([true, true, true, true, true, true]);
    expect(
      [
        [32, 16],
        [300, 100],
        [10, 10, 30],
      ].map((h) => trainsInLockstep(net(2, h))),
    ).toEqual([false, false, false]);
    // Weights past a million a fit (a group holds four).
    expect(trainsInLockstep(net(600, [2000]))).toBe(false);
    expect(trainsInLockstep(net(600, [1000]))).toBe(true);
  });
});
