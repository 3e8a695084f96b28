import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { featureRows, linearTarget, testUniforms } from '../__fixtures__/test-data';
import { OlsModel } from '../ols';
import { loadTf } from '../tf';
import { fileIOHandler } from './layers-format';
import { chooseTrainer, loadNetwork, NnModel } from './nn-model';

const rmse = (a: Float64Array, b: readonly number[]): number => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length);
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'nn-'));

describe.each(['fused', 'simd', 'tfjs'] as const)('NnModel trained by the %s runner', (trainer) => {
  test('a ReLU network learns a known linear function to low error', () => {
    const x = featureRows(256, 1);
    const model = new NnModel({ network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] }, optimizer: { name: 'adam', learningRate: 0.02 } });
    const fit = model.fit(x, x.map(linearTarget), { epochs: 40, seed: 3, trainer });
    expect(fit.trainer).toBe(trainer);
    const fresh = featureRows(200, 2);
    // Targets have standard deviation ~0.34; an error of 0.02 means the function was learnt.
    expect(rmse(model.predict(fresh), fresh.map(linearTarget))).toBeLessThan(0.02);
    expect(fit.history.loss).toHaveLength(40);
    expect(fit.history.loss[39]!).toBeLessThan(fit.history.loss[0]! / 50);
    model.dispose();
  });

  test('a single linear neuron trained long enough converges to the OLS coefficients', () => {
    const u = testUniforms(9);
    const x = featureRows(200, 4);
    const y = x.map((r) => linearTarget(r) + 0.2 * (u() - 0.5));
    const ols = new OlsModel().fit(x, y).summary.coefficients;
    const neuron = new NnModel({ network: { inputSize: 2, layers: [{ units: 1, activation: 'linear' }] }, optimizer: { name: 'sgd', learningRate: 0.5 } });
    // Full-batch gradient descent: minibatch noise would keep SGD wandering around the optimum.
    neuron.fit(x, y, { epochs: 400, batchSize: 200, trainer });
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
  const fitOptions = { epochs: 200, seed: 11, validation: { x: xv, y: yv }, trainer };

  test('early stopping stops when validation loss worsens and restores the best weights', () => {
    const model = new NnModel(spec);
    const fit = model.fit(x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: true } });
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
    reference.fit(x, y, { ...fitOptions, epochs: fit.bestEpoch });
    expect(Array.from(model.predict(xv))).toEqual(Array.from(reference.predict(xv)));
    expect(rmse(model.predict(xv), yv) ** 2).toBeCloseTo(val[fit.bestEpoch - 1]!, 6);
    // Without restoring, the model keeps the last epoch's weights, which are worse on validation.
    const kept = new NnModel(spec);
    kept.fit(x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: false } });
    expect(rmse(kept.predict(xv), yv)).toBeGreaterThan(rmse(model.predict(xv), yv));
    [model, reference, kept].forEach((m) => m.dispose());
  });

  test('a checkpoint holds the best epoch and round-trips to identical predictions, also through tfjs-layers', async () => {
    const dir = tempDir();
    try {
      const model = new NnModel(spec);
      const fit = model.fit(x, y, { ...fitOptions, earlyStopping: { patience: 3, restoreBestWeights: true }, checkpoint: { dir } });
      const expected = Array.from(model.predict(xv));
      const loaded = loadNetwork(dir);
      expect(Array.from(loaded.predict(xv))).toEqual(expected);
      const notes = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.backtest;
      expect(notes).toMatchObject({ epoch: fit.bestEpoch, monitor: 'val_loss', seed: 11 });

      const tf = loadTf();
      const tfl = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');
      const layersModel = await tfl.loadLayersModel(fileIOHandler(dir));
      const out = layersModel.predict(tf.tensor2d(xv)) as import('@tensorflow/tfjs-core').Tensor;
      expect(Array.from(out.dataSync())).toEqual(expected);
      // And what tfjs-layers saves through the same handler loads back into our model.
      const again = tempDir();
      await layersModel.save(fileIOHandler(again));
      expect(Array.from(loadNetwork(again).predict(xv))).toEqual(expected);
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
      const fit = m.fit(x, y, { epochs: 5, seed, validation: { x: xv, y: yv }, trainer });
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

  test('save/load keeps the optimizer and the predictions', () => {
    const dir = tempDir();
    try {
      const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 1 }] }, optimizer: 'adam' });
      m.fit(x, y, { epochs: 2, trainer });
      m.save(dir);
      const loaded = loadNetwork(dir);
      expect(loaded.optimizer).toEqual(m.optimizer);
      expect(loaded.network).toEqual(m.network);
      expect(Array.from(loaded.predict(xv))).toEqual(Array.from(m.predict(xv)));
      expect(loaded.parameters()).toEqual(m.parameters());
      // files() is what save wrote, byte for byte, in the order written.
      const files = m.files();
      expect(Object.keys(files)).toEqual(['weights.bin', 'model.json']);
      expect(Buffer.from(files['weights.bin'] as Uint8Array).equals(readFileSync(join(dir, 'weights.bin')))).toBe(true);
      expect(files['model.json']).toBe(readFileSync(join(dir, 'model.json'), 'utf8'));
      // Notes go into the metadata beside the optimizer.
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
        m.fit(x, y, { ...fitOptions, epochs: 6, earlyStopping: { patience: 1, restoreBestWeights: true }, checkpoint: { dir } });
        m.predict(xv);
        m.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

});

describe('NnModel', () => {
  // Shared with the tests above, repeated here because describe.each scopes its constants.
  const x = featureRows(160, 5);
  const y = x.map(linearTarget);
  const xv = featureRows(80, 6);
  const yv = xv.map((r) => 0.5 * linearTarget(r));

  // Same seed: same initial weights and shuffles; only the arithmetic differs (float64 sums in the
  // fused pass, float32 sums in a fixed order of our own in the SIMD kernels, XNNPACK's or the cpu
  // kernels' float32 in tfjs), so weights and losses agree to float32 rounding. Widths 37 and 6
  // and a last batch of 22 rows take every tile shape of the SIMD matrix product and its tails.
  const agreement = [
    ['fused', [6, 3, 2], 2e-5],
    ['simd', [6, 3, 2], 2e-5],
    ['simd', [37, 20], 5e-5],
  ] as const;
  describe.each(agreement)('the %s runner agrees with the tfjs kernels, hidden %j', (trainer, hidden, tolerance) => {
    const activations = ['relu', 'tanh', 'sigmoid'] as const;
    const network = { inputSize: 2, layers: [...hidden.map((units, i) => ({ units, activation: activations[i % 3]! })), { units: 1 }] };
    const rows = featureRows(150, 7);
    const target = rows.map(linearTarget);
    test.each([{ name: 'sgd', learningRate: 0.1 }, { name: 'adam' }] as const)('$name', (optimizer) => {
      const run = (t: typeof trainer | 'tfjs') => {
        const m = new NnModel({ network, optimizer });
        const fit = m.fit(rows, target, { epochs: 8, seed: 4, validation: { x: xv, y: yv }, trainer: t });
        const weights = m.weights();
        const predictions = m.predict(xv);
        m.dispose();
        return { fit, weights, predictions };
      };
      const fast = run(trainer);
      const tfjs = run('tfjs');
      expect(fast.fit.trainer).toBe(trainer);
      fast.weights.forEach((w, i) => w.forEach((v, k) => expect(Math.abs(v - tfjs.weights[i]![k]!)).toBeLessThan(tolerance)));
      fast.predictions.forEach((p, i) => expect(Math.abs(p - tfjs.predictions[i]!)).toBeLessThan(tolerance));
      fast.fit.history.loss.forEach((l, e) => expect(Math.abs(l - tfjs.fit.history.loss[e]!)).toBeLessThan(tolerance * Math.max(1, l)));
      fast.fit.history.valLoss!.forEach((l, e) => expect(Math.abs(l - tfjs.fit.history.valLoss![e]!)).toBeLessThan(tolerance * Math.max(1, l)));
      // Training moved the weights, so agreement is not just two copies of the initial values.
      expect(fast.fit.history.loss[7]!).toBeLessThan(fast.fit.history.loss[0]! * 0.9);
    });
  });

  test('auto picks the SIMD kernels; a trainer can be forced', () => {
    expect(chooseTrainer('auto')).toBe('simd');
    expect(chooseTrainer('tfjs')).toBe('tfjs');
    expect(chooseTrainer('fused')).toBe('fused');
    expect(() => chooseTrainer('gpu' as never)).toThrow(/trainer must be auto, fused, simd, tfjs, got "gpu"/);
    const m = new NnModel({ network: { inputSize: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1 }] } });
    expect(m.fit(x, y).trainer).toBe('simd');
    m.dispose();
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

describe('parameters during a fit', () => {
  it.each(['fused', 'simd', 'tfjs'] as const)('onEpochEnd can read the current weights (%s trainer)', (trainer) => {
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a, b]) => 0.5 * a! - 0.3 * b! + 0.1);
    const model = new NnModel({ network: { inputSize: 2, layers: [{ units: 1 }] } });
    const biases: number[] = [];
    model.fit(x, y, { epochs: 3, seed: 3, trainer, onEpochEnd: () => biases.push((model.parameters()['dense_1/bias'] as number[])[0]!) });
    expect(biases).toHaveLength(3);
    // The bias moves from its zero start, and the last epoch's value is the fitted one.
    expect(biases[0]).not.toBe(0);
    expect(biases[2]).toBe((model.parameters()['dense_1/bias'] as number[])[0]);
  });
});
