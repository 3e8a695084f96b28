import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { UserError } from '@backtest/core';
import { featureRows, linearTarget, testUniforms } from '../__fixtures__/test-data';
import type { Features, Target } from '../model';
import { OlsModel } from '../ols';
import { loadTf } from '../tf';
import { weightShapes } from './dense-network';
import { fileIOHandler } from './layers-format';
import { BCE_EPSILON, BCE_UPPER, bceRow } from './loss';
import { chooseTrainer, fitWithOracle, initialWeights, loadNetwork, NO_TF_BACKEND, type NnFitOptions, NnModel } from './nn-model';
import { type Activation, resolveNetwork } from './spec';

const rmse = (a: Float64Array, b: readonly number[]): number => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length);
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'nn-'));
const tfl = (): typeof import('@tensorflow/tfjs-layers') => require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');

/** Every |a - b| within `tol` (relative to the larger magnitude above 1). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)));
  expect(worst).toBeLessThan(tol);
}

/**
 * The trainers a user can pick, and the float64 oracle (fused-runner.ts) through the same
 * driver: every behaviour below holds for all three.
 */
type Runner = 'simd' | 'tfjs' | 'oracle';
function fitBy(runner: Runner, model: NnModel, x: Features, y: Target, options: NnFitOptions = {}) {
  return runner === 'oracle' ? fitWithOracle(model, x, y, options) : model.fit(x, y, { ...options, trainer: runner });
}

/** The network in float64 plain JavaScript: a forward pass independent of the kernels and of TensorFlow.js. */
const act: Record<Activation, (z: number) => number> = { relu: (z) => Math.max(0, z), linear: (z) => z, tanh: Math.tanh, sigmoid: (z) => 1 / (1 + Math.exp(-z)) };
function forward64(layers: readonly { units: number; activation: Activation }[], inputSize: number, w: readonly ArrayLike<number>[], row: readonly number[]): number {
  let a = row;
  let fanIn = inputSize;
  layers.forEach((layer, l) => {
    const kernel = w[2 * l]!;
    const bias = w[2 * l + 1]!;
    a = Array.from({ length: layer.units }, (_, j) => {
      let z = bias[j]!;
      for (let i = 0; i < fanIn; i++) z += a[i]! * kernel[i * layer.units + j]!;
      return act[layer.activation](z);
    });
    fanIn = layer.units;
  });
  return a[0]!;
}

describe.each(['simd', 'tfjs', 'oracle'] as const)('NnModel trained by %s', (runner) => {
  // Models that predict with the SIMD kernels: those the kernels or the oracle trained, and every loaded one.
  const kernelsPredict = runner !== 'tfjs';

  test('a ReLU network learns a known linear function to low error', () => {
    const x = featureRows(256, 1);
    const model = new NnModel({ network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] }, optimizer: { name: 'adam', learningRate: 0.02 } });
    const fit = fitBy(runner, model, x, x.map(linearTarget), { epochs: 40, seed: 3 });
    expect(fit.trainer).toBe(runner === 'oracle' ? 'fused' : runner);
    const fresh = featureRows(200, 2);
    // Targets have standard deviation ~0.34; an error of 0.02 means the function was learnt.
    expect(rmse(model.predict(fresh), fresh.map(linearTarget))).toBeLessThan(0.02);
    expect(fit.history.loss).toHaveLength(40);
    expect(fit.history.loss[39]!).toBeLessThan(fit.history.loss[0]! / 50);
    expect(fit.trainLoss).toBe(fit.trainMse);
    model.dispose();
  });

  test('a single linear neuron trained long enough converges to the OLS coefficients', () => {
    const u = testUniforms(9);
    const x = featureRows(200, 4);
    const y = x.map((r) => linearTarget(r) + 0.2 * (u() - 0.5));
    const ols = new OlsModel().fit(x, y).summary.coefficients;
    const neuron = new NnModel({ network: { inputSize: 2, layers: [{ units: 1, activation: 'linear' }] }, optimizer: { name: 'sgd', learningRate: 0.5 } });
    // Full-batch gradient descent: minibatch noise would keep SGD wandering around the optimum.
    fitBy(runner, neuron, x, y, { epochs: 400, batchSize: 200 });
    const p = neuron.parameters();
    const kernel = p['dense_1/kernel'] as number[][];
    const bias = (p['dense_1/bias'] as number[])[0]!;
    expect(Math.abs(bias - ols[0]!)).toBeLessThan(1e-4);
    expect(Math.abs(kernel[0]![0]! - ols[1]!)).toBeLessThan(1e-4);
    expect(Math.abs(kernel[1]![0]! - ols[2]!)).toBeLessThan(1e-4);
    neuron.dispose();
  });

  // Validation targets are half the training targets: as the network moves from its random start
  // towards the training function, it passes near the validation function and then moves away,
  // so validation loss falls and then rises.
  const x = featureRows(160, 5);
  const y = x.map(linearTarget);
  const xv = featureRows(80, 6);
  const yv = xv.map((r) => 0.5 * linearTarget(r));
  const spec = { network: { inputSize: 2, layers: [{ units: 4, activation: 'tanh' as const }, { units: 1 }] }, optimizer: 'sgd' as const };
  const fitOptions = { epochs: 200, seed: 11, validation: { x: xv, y: yv } };

  test('early stopping stops when validation loss worsens and restores the best weights', () => {
    const model = new NnModel(spec);
    const fit = fitBy(runner, model, x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: true } });
    const val = fit.history.valLoss!;
    expect(fit.stoppedEarly).toBe(true);
    expect(fit.restoredBestWeights).toBe(true);
    expect(fit.epochsRun).toBe(fit.bestEpoch + 3);
    expect(fit.epochsRun).toBeLessThan(200);
    expect(fit.bestEpoch).toBeGreaterThan(1);
    expect(val[fit.bestEpoch - 1]).toBe(Math.min(...val));
    // The restored network is the one from the end of the best epoch: a fresh run stopped there
    // (same seed, so the same initial weights and shuffles) predicts exactly the same.
    const reference = new NnModel(spec);
    fitBy(runner, reference, x, y, { ...fitOptions, epochs: fit.bestEpoch });
    expect(Array.from(model.predict(xv))).toEqual(Array.from(reference.predict(xv)));
    const predicted = model.predict(xv);
    if (runner === 'simd') {
      // predict() runs the forward pass the kernels trained with: the best epoch's validation
      // loss comes back exactly from the predictions (float32 targets, float64 sums in row order).
      let sse = 0;
      for (let r = 0; r < yv.length; r++) sse += (predicted[r]! - Math.fround(yv[r]!)) ** 2;
      expect(sse / yv.length).toBe(val[fit.bestEpoch - 1]);
    } else {
      expect(rmse(predicted, yv) ** 2).toBeCloseTo(val[fit.bestEpoch - 1]!, 6);
    }
    // Without restoring, the model keeps the last epoch's weights, which are worse on validation.
    const kept = new NnModel(spec);
    fitBy(runner, kept, x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: false } });
    expect(rmse(kept.predict(xv), yv)).toBeGreaterThan(rmse(model.predict(xv), yv));
    [model, reference, kept].forEach((m) => m.dispose());
  });

  test('a checkpoint holds the best epoch and round-trips, also through tfjs-layers', async () => {
    const dir = tempDir();
    try {
      const model = new NnModel(spec);
      const fit = fitBy(runner, model, x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: true }, checkpoint: { dir } });
      const expected = Array.from(model.predict(xv));
      const loaded = loadNetwork(dir);
      expect(loaded.weights()).toEqual(model.weights());
      // A loaded network predicts with the kernels: the same bits as a kernel-trained model, and
      // a tfjs-trained model's forecasts to float32 rounding.
      if (kernelsPredict) expect(Array.from(loaded.predict(xv))).toEqual(expected);
      else expectClose(loaded.predict(xv), expected, 1e-6);
      const notes = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.backtest;
      expect(notes).toMatchObject({ epoch: fit.bestEpoch, monitor: 'val_loss', seed: 11 });

      const tf = loadTf();
      const layersModel = await tfl().loadLayersModel(fileIOHandler(dir));
      expect(layersModel.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.weights().map((w) => Array.from(w)));
      const input = tf.tensor2d(xv);
      const out = layersModel.predict(input) as Tensor;
      // tfjs-layers runs the kernels the tfjs trainer ran (bit for bit); ours differ in rounding only.
      if (kernelsPredict) expectClose(out.dataSync(), expected, 1e-6);
      else expect(Array.from(out.dataSync())).toEqual(expected);
      tf.dispose([input, out]);
      // And what tfjs-layers saves through the same handler loads back into our model.
      const again = tempDir();
      await layersModel.save(fileIOHandler(again));
      expect(loadNetwork(again).weights()).toEqual(model.weights());
      expect(Array.from(loadNetwork(again).predict(xv))).toEqual(Array.from(loaded.predict(xv)));
      layersModel.dispose();
      rmSync(again, { recursive: true, force: true });
      [model, loaded].forEach((m) => m.dispose());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the same seed gives bit-identical weights and history; another seed does not', () => {
    const net = { inputSize: 2, layers: [{ units: 10, activation: 'relu' as const }, { units: 1 }] };
    const run = (seed: number) => {
      const m = new NnModel({ network: net });
      const fit = fitBy(runner, m, x, y, { epochs: 5, seed, validation: { x: xv, y: yv } });
      const weights = m.weights().map((w) => Array.from(w));
      m.dispose();
      return { weights, history: fit.history };
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(b.weights).toEqual(a.weights);
    expect(b.history).toEqual(a.history);
    expect(c.weights).not.toEqual(a.weights);
    expect(c.history.loss).not.toEqual(a.history.loss);
  });

  test('save/load keeps the optimizer, the weights and the predictions', () => {
    const dir = tempDir();
    try {
      const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 1 }] }, optimizer: 'adam' });
      fitBy(runner, m, x, y, { epochs: 2 });
      m.save(dir);
      const loaded = loadNetwork(dir);
      expect(loaded.optimizer).toEqual(m.optimizer);
      expect(loaded.network).toEqual(m.network);
      expect(loaded.parameters()).toEqual(m.parameters());
      if (kernelsPredict) expect(Array.from(loaded.predict(xv))).toEqual(Array.from(m.predict(xv)));
      else expectClose(loaded.predict(xv), m.predict(xv), 1e-6);
      // files() is what save wrote, byte for byte, in the order written.
      const files = m.files();
      expect(Object.keys(files)).toEqual(['weights.bin', 'model.json']);
      expect(Buffer.from(files['weights.bin'] as Uint8Array).equals(readFileSync(join(dir, 'weights.bin')))).toBe(true);
      expect(files['model.json']).toBe(readFileSync(join(dir, 'model.json'), 'utf8'));
      // Notes go into the metadata beside the optimizer; an MSE fit notes no loss.
      const meta = JSON.parse(m.files({ seed: 7 })['model.json'] as string).userDefinedMetadata.backtest;
      expect(meta).toEqual({ format: 'backtest-nn', version: 1, optimizer: m.optimizer, seed: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fit, predict, checkpoint and dispose leave no tensors behind', () => {
    const tf = loadTf();
    const dir = tempDir();
    try {
      const before = tf.memory().numTensors;
      for (const optimizer of ['sgd', 'adam'] as const) {
        const m = new NnModel({ ...spec, optimizer });
        fitBy(runner, m, x, y, { ...fitOptions, epochs: 6, earlyStopping: { patience: 1, restoreBestWeights: true }, checkpoint: { dir } });
        m.predict(xv);
        m.dispose();
        expect(() => m.predict(xv)).toThrow(/not fitted/);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('onEpochEnd can read the current weights', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const target = rows.map(([a, b]) => 0.5 * a! - 0.3 * b! + 0.1);
    const model = new NnModel({ network: { inputSize: 2, layers: [{ units: 1 }] } });
    const biases: number[] = [];
    fitBy(runner, model, rows, target, { epochs: 3, seed: 3, onEpochEnd: () => biases.push((model.parameters()['dense_1/bias'] as number[])[0]!) });
    expect(biases).toHaveLength(3);
    // The bias moves from its zero start, and the last epoch's value is the fitted one.
    expect(biases[0]).not.toBe(0);
    expect(biases[2]).toBe((model.parameters()['dense_1/bias'] as number[])[0]);
  });
});

describe('the trainers against the float64 oracle', () => {
  const xv = featureRows(80, 6);
  const yv = xv.map((r) => 0.5 * linearTarget(r));
  // Same seed: same initial weights and shuffles; only the arithmetic differs (float64 sums in the
  // oracle, float32 sums in a fixed order of our own in the SIMD kernels, XNNPACK's or the cpu
  // kernels' float32 in tfjs), so weights and losses agree to float32 rounding. Widths 37 and 6
  // and a last batch of 22 rows take every tile shape of the SIMD matrix product and its tails.
  const agreement = [
    ['simd', [6, 3, 2], 2e-5],
    ['tfjs', [6, 3, 2], 2e-5],
    ['simd', [37, 20], 5e-5],
    ['tfjs', [37, 20], 5e-5],
  ] as const;
  describe.each(agreement)('%s, hidden %j', (trainer, hidden, tolerance) => {
    const activations = ['relu', 'tanh', 'sigmoid'] as const;
    const network = { inputSize: 2, layers: [...hidden.map((units, i) => ({ units, activation: activations[i % 3]! })), { units: 1 }] };
    const rows = featureRows(150, 7);
    const target = rows.map(linearTarget);
    test.each([{ name: 'sgd', learningRate: 0.1 }, { name: 'adam' }] as const)('$name', (optimizer) => {
      const run = (r: Runner) => {
        const m = new NnModel({ network, optimizer });
        const fit = fitBy(r, m, rows, target, { epochs: 8, seed: 4, validation: { x: xv, y: yv } });
        const out = { fit, weights: m.weights(), predictions: m.predict(xv) };
        m.dispose();
        return out;
      };
      const fast = run(trainer);
      const oracle = run('oracle');
      expect(fast.fit.trainer).toBe(trainer);
      fast.weights.forEach((w, i) => expectClose(w, oracle.weights[i]!, tolerance));
      expectClose(fast.predictions, oracle.predictions, tolerance);
      expectClose(fast.fit.history.loss, oracle.fit.history.loss, tolerance);
      expectClose(fast.fit.history.valLoss!, oracle.fit.history.valLoss!, tolerance);
      expectClose([fast.fit.trainMse], [oracle.fit.trainMse], tolerance);
      // Training moved the weights, so agreement is not just two copies of the initial values.
      expect(fast.fit.history.loss[7]!).toBeLessThan(fast.fit.history.loss[0]! * 0.9);
    });
  });
});

describe('training against tfjs-layers model.fit (autograd, its own losses)', () => {
  // An implementation that shares nothing with ours but TensorFlow.js' kernels: Keras' loop,
  // TensorFlow.js' gradients of its `meanSquaredError` and `binaryCrossentropy`. Batches in
  // row order (shuffle off) so both see the same batches; same initial weights.
  const rows = featureRows(120, 12);
  const cases = [
    ['mse', 'linear', rows.map(linearTarget)],
    ['binaryCrossentropy', 'sigmoid', rows.map((r) => (linearTarget(r) > 0.1 ? 1 : 0))],
  ] as const;
  describe.each(cases)('%s', (loss, output, target) => {
    test.each([
      { name: 'sgd', learningRate: 0.3 },
      { name: 'adam', learningRate: 0.05 },
    ] as const)('$name', async (optimizer) => {
      const tf = loadTf();
      const network = resolveNetwork({
        inputSize: 2,
        layers: [
          { units: 6, activation: 'relu' },
          { units: 3, activation: 'tanh' },
          { units: 1, activation: output },
        ],
      });
      const options = { epochs: 5, batchSize: 25, seed: 8, shuffle: false, loss } as const;
      const layers = tfl();
      const reference = layers.sequential({
        layers: network.layers.map((l, i) => layers.layers.dense({ units: l.units, activation: l.activation, ...(i === 0 ? { inputShape: [2] } : {}) })),
      });
      const initial = initialWeights(network, options.seed);
      reference.setWeights(initial.map((w, i) => tf.tensor(w, weightShapes(network)[i]!)));
      reference.compile({
        loss: loss === 'mse' ? 'meanSquaredError' : 'binaryCrossentropy',
        optimizer: optimizer.name === 'sgd' ? tf.train.sgd(optimizer.learningRate) : tf.train.adam(optimizer.learningRate),
      });
      const [xs, ys] = [tf.tensor2d(rows), tf.tensor2d([...target], [target.length, 1])];
      const history = await reference.fit(xs, ys, { epochs: options.epochs, batchSize: options.batchSize, shuffle: false, verbose: 0 });
      const referenceWeights = reference.getWeights().map((w) => w.dataSync());
      for (const runner of ['simd', 'tfjs', 'oracle'] as const) {
        const m = new NnModel({ network, optimizer });
        const fit = fitBy(runner, m, rows, target, options);
        expectClose(fit.history.loss, history.history.loss as number[], 2e-5);
        m.weights().forEach((w, i) => expectClose(w, referenceWeights[i]!, 2e-5));
        m.dispose();
      }
      expect((history.history.loss as number[])[4]!).toBeLessThan((history.history.loss as number[])[0]! * 0.8);
      tf.dispose([xs, ys]);
      reference.dispose();
    });
  });
});

describe('predictions by the SIMD kernels', () => {
  const network = {
    inputSize: 2,
    layers: [
      { units: 37, activation: 'tanh' as const },
      { units: 20, activation: 'relu' as const },
      { units: 1, activation: 'sigmoid' as const },
    ],
  };
  const x = featureRows(150, 7);
  const y = x.map(linearTarget);
  // 600 rows: more than the predictor's 256-row chunk, with a partial last chunk.
  const fresh = featureRows(600, 13);

  test('agree with a float64 forward pass of the same weights, and do not depend on how rows are grouped', () => {
    const m = new NnModel({ network, optimizer: 'adam' });
    m.fit(x, y, { epochs: 3 });
    const w = m.weights();
    const all = m.predict(fresh);
    const reference = fresh.map((row) => forward64(resolveNetwork(network).layers, 2, w, row));
    // Float32 arithmetic over 37 and 20 terms: a few float32 steps of the outputs (~0.5).
    expectClose(all, reference, 1e-6);
    // One row at a time (as a walk-forward predicts), or any slice: the same bits.
    expect(fresh.slice(0, 40).map((row) => m.predict([row])[0])).toEqual(Array.from(all.subarray(0, 40)));
    expect(Array.from(m.predict(fresh.slice(250, 530)))).toEqual(Array.from(all.subarray(250, 530)));
  });

  test('of two models, and during another fit, do not disturb each other', () => {
    const a = new NnModel({ network });
    const b = new NnModel({ network: { inputSize: 2, layers: [{ units: 5, activation: 'relu' }, { units: 1 }] } });
    a.fit(x, y, { epochs: 2, seed: 1 });
    b.fit(x, y, { epochs: 2, seed: 2 });
    const first = Array.from(a.predict(fresh));
    const fromB = Array.from(b.predict(fresh));
    expect(Array.from(a.predict(fresh))).toEqual(first);
    expect(Array.from(b.predict(fresh))).toEqual(fromB);
    // A fit whose callback predicts with another model trains exactly as one that does not.
    const quiet = new NnModel({ network });
    quiet.fit(x, y, { epochs: 4, seed: 5 });
    const busy = new NnModel({ network });
    const during: number[][] = [];
    busy.fit(x, y, { epochs: 4, seed: 5, onEpochEnd: () => during.push(Array.from(a.predict(fresh.slice(0, 3)))) });
    expect(busy.weights()).toEqual(quiet.weights());
    expect(during).toEqual(Array.from({ length: 4 }, () => first.slice(0, 3)));
  });
});

describe('choosing a trainer', () => {
  const x = featureRows(160, 5);
  const y = x.map(linearTarget);

  test('auto picks the SIMD kernels; tfjs can be forced; the fused pass is no longer a trainer', () => {
    expect(chooseTrainer('auto')).toBe('simd');
    expect(chooseTrainer('simd')).toBe('simd');
    expect(chooseTrainer('tfjs')).toBe('tfjs');
    expect(() => chooseTrainer('fused' as never)).toThrow(UserError);
    expect(() => chooseTrainer('fused' as never)).toThrow(/trainer "fused" is no longer offered.*use auto, simd or tfjs/);
    expect(() => chooseTrainer('gpu' as never)).toThrow(/trainer must be auto, simd, tfjs, got "gpu"/);
    const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }] } });
    expect(() => m.fit(x, y, { trainer: 'fused' as never })).toThrow(/no longer offered/);
    const fit = m.fit(x, y);
    expect(fit.trainer).toBe('simd');
    // No TensorFlow.js backend took part, and the result says so.
    expect(fit.backend).toBe(NO_TF_BACKEND);
    expect(m.fit(x, y, { trainer: 'tfjs' }).backend).toBe(loadTf().getBackend());
    m.dispose();
  });

  test('without WebAssembly SIMD, auto falls back to TensorFlow.js, simd is refused, and a loaded network still predicts', () => {
    const dir = tempDir();
    try {
      const saved = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }] } });
      saved.fit(x, y, { epochs: 2 });
      saved.save(dir);
      jest.isolateModules(() => {
        jest.doMock('./simd/kernels', () => ({ ...jest.requireActual('./simd/kernels'), simdAvailable: () => false }));
        const isolated = require('./nn-model') as typeof import('./nn-model');
        expect(isolated.chooseTrainer('auto')).toBe('tfjs');
        expect(() => isolated.chooseTrainer('simd')).toThrow(/trainer simd needs WebAssembly SIMD/);
        const m = new isolated.NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }] } });
        expect(m.fit(x, y, { epochs: 2 }).trainer).toBe('tfjs');
        m.dispose();
        const loaded = isolated.NnModel.load(dir);
        expectClose(loaded.predict(x), saved.predict(x), 1e-6);
        loaded.dispose();
      });
    } finally {
      jest.dontMock('./simd/kernels');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad specifications and inputs are user errors', () => {
    expect(() => new NnModel({ network: { inputSize: 2, layers: [{ units: 2 }] } })).toThrow(/last layer must have 1 unit/);
    expect(() => new NnModel({ network: { inputSize: 0, layers: [{ units: 1 }] } })).toThrow(UserError);
    expect(() => new NnModel({ network: { inputSize: 2, layers: [{ units: 1, activation: 'softmax' as never }] } })).toThrow(/activation "softmax"/);
    expect(() => new NnModel({ network: { inputSize: 2, layers: [{ units: 1 }] }, optimizer: { name: 'sgd', learningRate: -1 } })).toThrow(/learningRate/);
    const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 1 }] } });
    expect(() => m.predict([[1, 2]])).toThrow(/not fitted/);
    expect(() => m.fit([[1, 2, 3]], [1])).toThrow(/takes 2 inputs but got 3 columns/);
    expect(() => m.fit([[1, Number.NaN]], [1])).toThrow(/row 1, column 2 is NaN/);
    expect(() => m.fit([[1, 2]], [1], { epochs: 0 })).toThrow(/epochs/);
    expect(() => loadNetwork(join(tmpdir(), 'surely-not-a-model-dir'))).toThrow(/model.json is missing/);
  });
});

describe('binary cross-entropy', () => {
  const sigmoidNet = {
    inputSize: 2,
    layers: [
      { units: 6, activation: 'relu' as const },
      { units: 3, activation: 'tanh' as const },
      { units: 1, activation: 'sigmoid' as const },
    ],
  };
  const direction = (r: readonly number[]): number => (linearTarget(r) > 0.1 ? 1 : 0);
  const x = featureRows(150, 7);
  const y = x.map(direction);
  const xv = featureRows(80, 6);
  const yv = xv.map(direction);

  test("a row's loss is Keras' formula with its 1e-7 clip: hand-computed cases and tfjs-layers' binaryCrossentropy", () => {
    expect(bceRow(0.5, 0)).toBeCloseTo(Math.LN2, 15);
    expect(bceRow(0.5, 1)).toBeCloseTo(Math.LN2, 15);
    expect(bceRow(0.8, 1)).toBeCloseTo(-Math.log(0.8), 15);
    expect(bceRow(0.8, 0)).toBeCloseTo(-Math.log(0.2), 15);
    // Confidently wrong: the clip at 1e-7 caps the loss at -ln(1e-7) = 16.118...
    expect(bceRow(0, 1)).toBeCloseTo(16.11809565, 6);
    // The upper bound is the float32 below 1 - 1e-7, 1 - 2^-23: -ln(2^-23) = 23 ln 2.
    expect(bceRow(1, 0)).toBeCloseTo(23 * Math.LN2, 6);
    expect(BCE_UPPER).toBe(1 - 2 ** -23);
    expect(bceRow(1, 1)).toBeCloseTo(2 ** -23, 12);
    // Soft targets, too.
    expect(bceRow(0.3, 0.25)).toBeCloseTo(-(0.25 * Math.log(0.3) + 0.75 * Math.log(0.7)), 15);

    const tf = loadTf();
    const p = [0, 1e-9, BCE_EPSILON, 0.01, 0.3, 0.5, 0.7, 0.99, BCE_UPPER, 1];
    const t = [1, 0, 1, 0, 1, 0, 1, 0, 0, 1];
    for (let i = 0; i < p.length; i++) {
      const [yt, yp] = [tf.tensor2d([[t[i]!]]), tf.tensor2d([[p[i]!]])];
      const theirs = tfl().metrics.binaryCrossentropy(yt, yp);
      // float32 logs in tfjs against float64 here.
      expect(Math.abs(bceRow(Math.fround(p[i]!), t[i]!) - theirs.dataSync()[0]!)).toBeLessThan(2e-6 * Math.max(1, bceRow(p[i]!, t[i]!)));
      tf.dispose([yt, yp, theirs]);
    }
  });

  test.each(['mse', 'binaryCrossentropy'] as const)("the oracle's %s gradients equal float64 central differences", (loss) => {
    const { FusedRunner } = require('./fused-runner') as typeof import('./fused-runner');
    const spec = resolveNetwork({
      inputSize: 3,
      layers: [
        { units: 5, activation: 'tanh' },
        { units: 4, activation: 'relu' },
        { units: 3, activation: 'linear' },
        { units: 1, activation: 'sigmoid' },
      ],
    });
    const shapes = weightShapes(spec);
    const u = testUniforms(31);
    // Biases of 0.3 keep most ReLU units alive (a dead unit has no gradient to check).
    const weights = shapes.map((shape, i) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (i % 2 === 1 ? 0.3 : 2 * u() - 1)));
    const rows = Array.from({ length: 9 }, () => [2 * u() - 1, 2 * u() - 1, 2 * u() - 1]);
    const targets = rows.map(() => (u() > 0.5 ? 1 : 0));
    const data = { rows: 9, x: Float32Array.from(rows.flat()), y: Float32Array.from(targets) };
    const runner = new FusedRunner(spec, weights, { name: 'sgd', learningRate: 0.1 }, data, undefined, 9, loss);
    const ours = runner.gradients(Int32Array.from({ length: 9 }, (_, i) => i));
    // The loss in float64 from the float32 inputs, by the test's own forward pass and formula.
    const x32 = rows.map((r) => r.map((v) => Math.fround(v)));
    const w64 = weights.map((w) => Float64Array.from(w));
    const meanLoss = (): number =>
      x32.reduce((s, row, r) => {
        const p = forward64(spec.layers, 3, w64, row);
        const t = targets[r]!;
        return s + (loss === 'mse' ? (p - t) ** 2 : -(t * Math.log(p) + (1 - t) * Math.log(1 - p)));
      }, 0) / rows.length;
    expect(ours.loss).toBeCloseTo(meanLoss(), 6);
    const h = 1e-6;
    let nonZero = 0;
    shapes.forEach((_, i) => {
      for (let k = 0; k < w64[i]!.length; k++) {
        const saved = w64[i]![k]!;
        w64[i]![k] = saved + h;
        const up = meanLoss();
        w64[i]![k] = saved - h;
        const down = meanLoss();
        w64[i]![k] = saved;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(ours.grads[i]![k]! - numeric)).toBeLessThan(1e-6 + 1e-4 * Math.abs(numeric));
        if (Math.abs(numeric) > 1e-4) nonZero++;
      }
    });
    // Most gradients are clearly non-zero, so the comparison is not vacuous.
    expect(nonZero).toBeGreaterThan(40);
  });

  test("the oracle's gradient is 0 where the clip holds the output, and p - y just inside it", () => {
    const { FusedRunner } = require('./fused-runner') as typeof import('./fused-runner');
    // One sigmoid neuron, no input weight: the output is sigmoid(bias) for every row.
    const spec = resolveNetwork({ inputSize: 1, layers: [{ units: 1, activation: 'sigmoid' }] });
    const data = { rows: 1, x: Float32Array.of(0), y: Float32Array.of(1) };
    const gradient = (bias: number): { loss: number; grads: Float64Array[] } =>
      new FusedRunner(spec, [Float32Array.of(0), Float32Array.of(bias)], { name: 'sgd', learningRate: 1 }, data, undefined, 1, 'binaryCrossentropy').gradients(Int32Array.of(0));
    // sigmoid(-20) ~ 2e-9 < 1e-7: clipped, loss -ln(1e-7), no gradient (as TensorFlow's clip).
    expect(gradient(-20).loss).toBeCloseTo(-Math.log(BCE_EPSILON), 10);
    expect(gradient(-20).grads[1]![0]).toBe(0);
    // sigmoid(-10) ~ 4.5e-5: inside, d(loss)/d(bias) = p - 1.
    const p = Math.fround(1 / (1 + Math.exp(10)));
    expect(gradient(-10).grads[1]![0]).toBeCloseTo(p - 1, 12);
  });

  describe.each(['simd', 'tfjs'] as const)('the %s trainer agrees with the oracle', (trainer) => {
    test.each([
      { name: 'sgd', learningRate: 0.5 },
      { name: 'adam', learningRate: 0.01 },
    ] as const)('$name', (optimizer) => {
      const run = (r: Runner) => {
        const m = new NnModel({ network: sigmoidNet, optimizer });
        const fit = fitBy(r, m, x, y, { epochs: 8, seed: 4, validation: { x: xv, y: yv }, loss: 'binaryCrossentropy' });
        const out = { fit, weights: m.weights(), predictions: m.predict(xv) };
        m.dispose();
        return out;
      };
      const fast = run(trainer);
      const oracle = run('oracle');
      expect(fast.fit.loss).toBe('binaryCrossentropy');
      fast.weights.forEach((w, i) => expectClose(w, oracle.weights[i]!, 2e-5));
      expectClose(fast.predictions, oracle.predictions, 2e-5);
      expectClose(fast.fit.history.loss, oracle.fit.history.loss, 2e-5);
      expectClose(fast.fit.history.valLoss!, oracle.fit.history.valLoss!, 2e-5);
      expectClose([fast.fit.trainLoss, fast.fit.trainMse], [oracle.fit.trainLoss, oracle.fit.trainMse], 2e-5);
      expect(fast.fit.history.loss[7]!).toBeLessThan(fast.fit.history.loss[0]! * 0.8);
    });
  });

  test('a direction is learnt: the loss starts near ln 2 and falls, forecasts are probabilities, trainLoss is their cross-entropy', () => {
    const rows = featureRows(400, 21);
    const target = rows.map(direction);
    const m = new NnModel({ network: sigmoidNet, optimizer: { name: 'adam', learningRate: 0.02 } });
    const fit = m.fit(rows, target, { epochs: 40, seed: 2, loss: 'binaryCrossentropy' });
    expect(fit.loss).toBe('binaryCrossentropy');
    // An untrained network forecasts about 0.5 everywhere.
    expect(Math.abs(fit.history.loss[0]! - Math.LN2)).toBeLessThan(0.15);
    expect(fit.history.loss[39]!).toBeLessThan(0.2);
    const fresh = featureRows(300, 22);
    const p = m.predict(fresh);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    const hits = fresh.filter((r, i) => (p[i]! > 0.5 ? 1 : 0) === direction(r)).length;
    expect(hits / fresh.length).toBeGreaterThan(0.95);
    const train = m.predict(rows);
    expect(fit.trainLoss).toBeCloseTo(train.reduce((s, v, i) => s + bceRow(v, target[i]!), 0) / rows.length, 12);
    expect(fit.trainMse).toBeCloseTo(train.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0) / rows.length, 12);
  });

  test('saved files note the loss, and a loaded network predicts the same probabilities', () => {
    const dir = tempDir();
    try {
      const m = new NnModel({ network: sigmoidNet });
      m.fit(x, y, { epochs: 3, loss: 'binaryCrossentropy' });
      m.save(dir);
      const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.backtest;
      expect(meta).toEqual({ format: 'backtest-nn', version: 1, optimizer: m.optimizer, loss: 'binaryCrossentropy' });
      expect(JSON.parse(m.files({ seed: 3 })['model.json'] as string).userDefinedMetadata.backtest).toMatchObject({ loss: 'binaryCrossentropy', seed: 3 });
      const loaded = loadNetwork(dir);
      expect(Array.from(loaded.predict(xv))).toEqual(Array.from(m.predict(xv)));
      // Saved again, the loaded network keeps the note.
      expect(loaded.files()['model.json']).toBe(m.files()['model.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('needs a sigmoid output and targets in [0, 1]', () => {
    const linearOut = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }] } });
    expect(() => linearOut.fit(x, y, { loss: 'binaryCrossentropy' })).toThrow(/binaryCrossentropy needs a sigmoid output layer .* activation is linear/);
    const m = new NnModel({ network: sigmoidNet });
    expect(() => m.fit(x, y, { loss: 'hinge' as never })).toThrow(/loss must be one of mse, binaryCrossentropy, got "hinge"/);
    expect(() => m.fit(x, x.map(linearTarget), { loss: 'binaryCrossentropy' })).toThrow(/training target: binaryCrossentropy needs targets in \[0, 1\].*row 1 is/);
    expect(() => m.fit(x, y, { loss: 'binaryCrossentropy', validation: { x: xv, y: yv.map((v) => 2 * v) } })).toThrow(/validation target: .* row \d+ is 2/);
    expect(() => m.fit(x, y, { loss: 'binaryCrossentropy', trainer: 'tfjs' })).not.toThrow();
    m.dispose();
  });
});
