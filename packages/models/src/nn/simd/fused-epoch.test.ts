import { testUniforms } from '../../__fixtures__/test-data';
import { gatherBatch } from '../dense-data';
import { initialWeights } from '../nn-model';
import { type Activation, resolveNetwork, resolveOptimizer } from '../spec';
import { shuffleInPlace, STREAM, uniform } from '../seeded-random';
import { SimdRunner } from './simd-runner';

// Counts the batch-by-batch path's gathers, so the test knows which path ran.
jest.mock('../dense-data', () => {
  const actual = jest.requireActual('../dense-data');
  return { ...actual, gatherBatch: jest.fn(actual.gatherBatch) };
});
const gathers = gatherBatch as jest.MockedFunction<typeof gatherBatch>;

/** Rows of `features` inputs with a noisy linear target. */
function data(rows: number, features: number, seed: number) {
  const u = testUniforms(seed);
  const x = Float32Array.from({ length: rows * features }, () => u() * 2 - 1);
  const y = Float32Array.from({ length: rows }, (_, r) => x[r * features]! * 0.7 - (features > 1 ? x[r * features + 1]! * 0.3 : 0) + (u() - 0.5) * 0.1);
  return { rows, x, y };
}

/** Trains `epochs` shuffled epochs on a runner; returns its weights and the epochs' losses. */
function train(fused: boolean, c: { hidden: number[]; act: Activation; out: Activation; opt: 'sgd' | 'adam'; rows: number; features: number; batch: number; epochs: number }) {
  const network = resolveNetwork({ inputSize: c.features, layers: [...c.hidden.map((units) => ({ units, activation: c.act })), { units: 1, activation: c.out }] });
  const optimizer = resolveOptimizer(c.opt === 'sgd' ? { name: 'sgd', learningRate: 0.05 } : { name: 'adam', learningRate: 0.01 });
  const runner = new SimdRunner(network, initialWeights(network, 7), optimizer, data(c.rows, c.features, 3), undefined, c.batch, 'mse', fused);
  const order = Int32Array.from({ length: c.rows }, (_, i) => i);
  const draw = uniform(11, STREAM.shuffle);
  const losses: number[] = [];
  for (let e = 0; e < c.epochs; e++) {
    shuffleInPlace(order, draw);
    losses.push(runner.runEpoch(order));
  }
  return { weights: runner.currentWeights().map((w) => Array.from(w)), losses, initial: runner.initialLoss() };
}

describe('the whole-epoch kernel (trainEpochMse)', () => {
  const cases = [
    { hidden: [10], act: 'relu', out: 'linear', opt: 'sgd', rows: 413, features: 2, batch: 32, epochs: 5 },
    { hidden: [10], act: 'relu', out: 'linear', opt: 'adam', rows: 100, features: 2, batch: 32, epochs: 4 },
    { hidden: [300, 100], act: 'relu', out: 'linear', opt: 'sgd', rows: 90, features: 2, batch: 32, epochs: 2 },
    { hidden: [7, 5], act: 'tanh', out: 'sigmoid', opt: 'adam', rows: 37, features: 3, batch: 8, epochs: 3 },
    { hidden: [6], act: 'sigmoid', out: 'tanh', opt: 'sgd', rows: 20, features: 5, batch: 64, epochs: 3 },
    { hidden: [], act: 'linear', out: 'linear', opt: 'sgd', rows: 33, features: 4, batch: 32, epochs: 2 },
  ] as const;
  it.each(cases.map((c) => [`${c.features}-${[...c.hidden, 1].join('-')} ${c.act}/${c.out} ${c.opt}, ${c.rows} rows in batches of ${c.batch}`, c] as const))(
    'trains %s to the same bits as the batch-by-batch epochs',
    (_, c) => {
      gathers.mockClear();
      const one = train(true, { ...c, hidden: [...c.hidden] });
      expect(gathers).not.toHaveBeenCalled();
      const other = train(false, { ...c, hidden: [...c.hidden] });
      expect(gathers).toHaveBeenCalledTimes(c.epochs * Math.ceil(c.rows / Math.min(c.batch, c.rows)));
      expect(one.weights).toEqual(other.weights);
      expect(one.losses).toEqual(other.losses);
      expect(one.initial).toBe(other.initial);
      // And it trained: the weights moved and the loss is finite.
      expect(one.losses.every(Number.isFinite)).toBe(true);
      expect(one.weights).not.toEqual(
        initialWeights(resolveNetwork({ inputSize: c.features, layers: [...c.hidden.map((units) => ({ units, activation: c.act })), { units: 1, activation: c.out }] }), 7).map(
          (w) => Array.from(w),
        ),
      );
    },
  );
});
