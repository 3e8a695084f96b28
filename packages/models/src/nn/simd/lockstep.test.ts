import { testUniforms } from '../../__fixtures__/test-data';
import { EarlyStoppingRule } from '../early-stopping';
import { initialWeights } from '../nn-model';
import { type Activation, resolveNetwork, resolveOptimizer } from '../spec';
import { type LoopSettings, trainLoop } from '../train-loop';
import { LANES, LockstepGroup, trainLockstep } from './lockstep';
import { SimdRunner } from './simd-runner';

/** Rows of `features` inputs with a noisy target. */
function data(rows: number, features: number, seed: number) {
  const u = testUniforms(seed);
  const x = Float32Array.from({ length: rows * features }, () => u() * 2 - 1);
  const y = Float32Array.from({ length: rows }, (_, r) => Math.tanh(x[r * features]! * 1.5) * 0.7 - (features > 1 ? x[r * features + 1]! * 0.3 : 0) + (u() - 0.5) * 0.2);
  return { rows, x, y };
}

interface Case {
  readonly hidden: number[];
  readonly act: Activation;
  readonly opt: 'sgd' | 'adam';
  readonly features: number;
  readonly batch: number;
  /** Per fit: training rows, validation rows, epochs, patience (0: none), seed. */
  readonly fits: readonly { rows: number; val: number; epochs: number; patience: number; seed: number }[];
}

function setup(c: Case) {
  const network = resolveNetwork({ inputSize: c.features, layers: [...c.hidden.map((units) => ({ units, activation: c.act })), { units: 1, activation: 'linear' as Activation }] });
  const optimizer = resolveOptimizer(c.opt === 'sgd' ? { name: 'sgd', learningRate: 0.05 } : { name: 'adam', learningRate: 0.01 });
  const fits = c.fits.map((f, i) => ({
    train: data(f.rows, c.features, 100 + i),
    ...(f.val > 0 ? { validation: data(f.val, c.features, 200 + i) } : {}),
    initial: initialWeights(network, f.seed),
  }));
  const settings = (i: number): LoopSettings => {
    const f = c.fits[i]!;
    return {
      rows: f.rows,
      epochs: f.epochs,
      shuffle: true,
      seed: f.seed,
      hasValidation: f.val > 0,
      ...(f.patience > 0 ? { earlyStopping: { rule: new EarlyStoppingRule({ patience: f.patience, restoreBestWeights: true }), restoreBestWeights: true } } : {}),
    };
  };
  return { network, optimizer, fits, settings };
}

/** Each fit trained alone by SimdRunner's whole-epoch kernel: weights, losses, the driver's result. */
function alone(c: Case) {
  const { network, optimizer, fits, settings } = setup(c);
  return fits.map((fit, i) => {
    const runner = new SimdRunner(network, fit.initial, optimizer, fit.train, fit.validation, c.batch);
    const result = trainLoop(runner, settings(i));
    return { result, weights: runner.currentWeights().map((w) => Array.from(w)), initial: runner.initialLoss() };
  });
}

function together(c: Case) {
  const { network, optimizer, fits, settings } = setup(c);
  const group = new LockstepGroup(network, optimizer, c.batch, fits);
  const outcomes = trainLockstep(
    group,
    fits.map((_, i) => settings(i)),
  );
  return outcomes.map((o, j) => {
    if (!('result' in o)) throw o.error;
    return {
      result: o.result,
      weights: group
        .lane(j)
        .currentWeights()
        .map((w) => Array.from(w)),
      initial: group.lane(j).initialLoss(),
    };
  });
}

const fit = (rows: number, epochs: number, seed: number, val = 0, patience = 0) => ({ rows, val, epochs, patience, seed });

describe('lockstep training (trainEpochMseLanes): four fits in the lanes of one kernel call', () => {
  const cases: [string, Case][] = [
    [
      'the study network, SGD, expanding windows',
      { hidden: [10], act: 'relu', opt: 'sgd', features: 2, batch: 32, fits: [fit(400, 20, 1), fit(401, 20, 2), fit(402, 20, 3), fit(403, 20, 4)] },
    ],
    [
      'rows below, at and above the batch, Adam',
      { hidden: [10], act: 'relu', opt: 'adam', features: 2, batch: 32, fits: [fit(7, 9, 5), fit(32, 9, 6), fit(33, 9, 7), fit(95, 9, 8)] },
    ],
    ['two hidden layers, tanh, different epochs', { hidden: [6, 4], act: 'tanh', opt: 'sgd', features: 3, batch: 16, fits: [fit(50, 3, 9), fit(120, 8, 10), fit(77, 1, 11)] }],
    ['sigmoid, widths not a multiple of 4, Adam', { hidden: [5, 3], act: 'sigmoid', opt: 'adam', features: 1, batch: 10, fits: [fit(64, 6, 12), fit(9, 6, 13)] }],
    ['one fit alone in a group', { hidden: [10], act: 'relu', opt: 'sgd', features: 2, batch: 32, fits: [fit(300, 5, 14)] }],
    ['no hidden layer', { hidden: [], act: 'relu', opt: 'adam', features: 4, batch: 8, fits: [fit(30, 4, 15), fit(31, 4, 16), fit(12, 4, 17), fit(40, 4, 18)] }],
    [
      'validation and early stopping stop the lanes at different epochs',
      { hidden: [8], act: 'relu', opt: 'adam', features: 2, batch: 16, fits: [fit(90, 60, 19, 20, 2), fit(110, 60, 20, 25, 3), fit(70, 60, 21, 15, 1), fit(130, 40, 22, 30, 5)] },
    ],
  ];

  it.each(cases)('%s: every lane is bit for bit its fit trained alone', (_, c) => {
    const a = alone(c);
    const b = together(c);
    expect(b).toHaveLength(a.length);
    b.forEach((lane, j) => {
      expect(lane.weights).toEqual(a[j]!.weights);
      expect(lane.result).toEqual(a[j]!.result);
      expect(Object.is(lane.initial, a[j]!.initial)).toBe(true);
    });
    // The case is not trivial: the lanes trained to different weights.
    if (b.length > 1) expect(b[1]!.weights).not.toEqual(b[0]!.weights);
  });

  it('stops some lanes early while the others train on', () => {
    const [, c] = cases[6]!;
    const epochs = together(c).map((lane) => lane.result.epochsRun);
    expect(new Set(epochs).size).toBeGreaterThan(1);
    expect(epochs.some((e, i) => e < c.fits[i]!.epochs)).toBe(true);
  });

  it('a lane runs alone as an EpochRunner too (the other lanes idle and unchanged)', () => {
    const [, c] = cases[0]!;
    // Alone first: a runner lays out the thread's kernel memory afresh (one fit or group at a time).
    const reference = alone(c)[2]!;
    const { network, optimizer, fits, settings } = setup(c);
    const group = new LockstepGroup(network, optimizer, c.batch, fits);
    const before = group.lane(0).currentWeights();
    const result = trainLoop(group.lane(2), settings(2));
    expect(result).toEqual(reference.result);
    expect(
      group
        .lane(2)
        .currentWeights()
        .map((w) => Array.from(w)),
    ).toEqual(reference.weights);
    expect(group.lane(0).currentWeights()).toEqual(before);
  });

  it('a diverging lane fails alone; the others finish', () => {
    const c: Case = { hidden: [10], act: 'relu', opt: 'sgd', features: 2, batch: 32, fits: [fit(100, 10, 1), fit(100, 10, 2)] };
    const { network, fits, settings } = setup(c);
    const optimizer = resolveOptimizer({ name: 'sgd', learningRate: 0.05 });
    // Fit 1's targets are huge: its SGD steps blow up.
    const wild = { ...fits[1]!, train: { ...fits[1]!.train, y: fits[1]!.train.y.map((v) => v * 1e6) } };
    const reference = alone(c)[0]!;
    const group = new LockstepGroup(network, optimizer, c.batch, [fits[0]!, wild]);
    const outcomes = trainLockstep(group, [settings(0), settings(1)]);
    expect('result' in outcomes[0]!).toBe(true);
    expect('error' in outcomes[1]! && String((outcomes[1] as { error: Error }).error.message)).toMatch(/diverged/);
    expect(
      group
        .lane(0)
        .currentWeights()
        .map((w) => Array.from(w)),
    ).toEqual(reference.weights);
  });

  it('takes 1 to 4 fits', () => {
    const [, c] = cases[0]!;
    const { network, optimizer, fits } = setup(c);
    expect(LANES).toBe(4);
    expect(() => new LockstepGroup(network, optimizer, 32, [...fits, fits[0]!])).toThrow(/1 to 4 fits/);
    expect(() => new LockstepGroup(network, optimizer, 32, [])).toThrow(/1 to 4 fits/);
  });
});
