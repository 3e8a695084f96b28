import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UserError } from '@backtest/core';
import { initBackend } from '../backend';
import { NetworkDivergedError } from '../nn/fit-faults';
import { loadTf } from '../tf';
import type { CustomArchitecture } from './architecture';
import { loadLayers } from './layers-tf';
import type { SequenceSamples } from './samples';
import { SequenceNet, type SequenceNetOptions } from './sequence-net';
import { sequenceFitWork } from './work';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Windows of `steps` values of a noiseless sine (plus its change as a second feature), target the next value. */
function sine(rows: number, steps: number, inputs: 1 | 2 = 1): { x: SequenceSamples; y: Float64Array; up: Float64Array } {
  const s = (t: number): number => Math.sin(0.35 * t);
  const data = new Float64Array(rows * steps * inputs);
  const y = new Float64Array(rows);
  const up = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < steps; k++) {
      data[(r * steps + k) * inputs] = s(r + k);
      if (inputs === 2) data[(r * steps + k) * inputs + 1] = s(r + k) - s(r + k - 1);
    }
    y[r] = s(r + steps);
    up[r] = s(r + steps) > s(r + steps - 1) ? 1 : 0;
  }
  return { x: { rows, steps, cols: inputs, data }, y, up };
}

const { x, y, up } = sine(60, 5);

/** An author's network: tf.sequential with tf.layers, default initializers (tfjs' Orthogonal would throw). */
const custom: CustomArchitecture = {
  name: 'lstm-dense',
  build: (tf, input) =>
    tf.sequential({
      layers: [tf.layers.lstm({ units: 3, inputShape: [input.steps, input.inputs] }), tf.layers.dense({ units: 2, activation: 'tanh' }), tf.layers.dense({ units: 1 })],
    }),
};

const ARCHITECTURES: [string, SequenceNetOptions['architecture']][] = [
  ['lstm', 'lstm'],
  ['gru', 'gru'],
  ['conv1d', 'conv1d'],
  ['custom', custom],
];

function fitted(options: Partial<SequenceNetOptions>, data = { x, y }): { net: SequenceNet; fit: ReturnType<SequenceNet['fit']> } {
  const net = new SequenceNet({ architecture: 'lstm', trainer: 'tfjs', units: 3, steps: 5, inputs: 1, epochs: 2, batchSize: 16, optimizer: 'adam', ...options });
  const fit = net.fit(data.x, data.y);
  return { net, fit };
}

describe.each(ARCHITECTURES)('%s: reproducible', (_, architecture) => {
  test('the same seed gives bit-identical weights, history and predictions; another seed differs', () => {
    const a = fitted({ architecture, seed: 5 });
    const b = fitted({ architecture, seed: 5 });
    const c = fitted({ architecture, seed: 6 });
    expect(b.net.weights()).toEqual(a.net.weights());
    expect(b.fit.history).toEqual(a.fit.history);
    expect(b.net.predict(x)).toEqual(a.net.predict(x));
    expect(c.net.weights()).not.toEqual(a.net.weights());
    expect(c.net.predict(x)).not.toEqual(a.net.predict(x));
    for (const n of [a, b, c]) n.net.dispose();
  });
});

describe('initial weights', () => {
  test('LSTM: glorot kernels within their limits, orthogonal recurrent kernel, forget-gate bias 1, other biases 0', () => {
    const units = 4;
    const net = new SequenceNet({ architecture: 'lstm', units, steps: 5, inputs: 2 });
    net.build();
    const [kernel, recurrent, bias, dense, denseBias] = net.weights() as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    expect(Math.max(...Array.from(kernel, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (2 + 4 * units)));
    expect(Math.max(...Array.from(dense, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (units + 1)));
    for (let i = 0; i < units; i++) {
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let k = 0; k < 4 * units; k++) s += (recurrent[i * 4 * units + k] as number) * (recurrent[j * 4 * units + k] as number);
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    expect(Array.from(bias)).toEqual([...Array(units).fill(0), ...Array(units).fill(1), ...Array(2 * units).fill(0)]);
    expect(Array.from(denseBias)).toEqual([0]);
    net.dispose();
  });

  test('Conv1D kernel [k, in, filters] within sqrt(6 / (k in + k filters))', () => {
    const net = new SequenceNet({ architecture: 'conv1d', units: 6, kernelSize: 3, steps: 5, inputs: 2 });
    net.build();
    const [kernel, bias, dense] = net.weights() as [Float32Array, Float32Array, Float32Array];
    const limit = Math.sqrt(6 / (3 * 2 + 3 * 6));
    expect(Math.max(...Array.from(kernel, Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...Array.from(kernel, Math.abs))).toBeGreaterThan(0.5 * limit);
    expect(Array.from(bias)).toEqual(Array(6).fill(0));
    expect(dense).toHaveLength(3 * 6);
    net.dispose();
  });

  test("a custom network's LSTM gets Keras' roles too: forget bias 1 (unit_forget_bias), orthogonal recurrent kernel", () => {
    const net = new SequenceNet({ architecture: custom, steps: 5, inputs: 1 });
    net.build();
    const names = net.weightNames();
    expect(names).toEqual(['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    const bias = net.weights()[2] as Float32Array;
    expect(Array.from(bias)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(net.info().layers).toBe('lstm(3)-2-1');
    net.dispose();
  });
});

describe('training', () => {
  test('reduces the loss on the next value of a sine (LSTM, Adam)', () => {
    const { net, fit } = fitted({ epochs: 15, learningRate: 0.02 });
    expect(fit.history.loss).toHaveLength(15);
    expect(fit.history.loss[14]!).toBeLessThan(0.3 * fit.history.loss[0]!);
    expect(fit.loss).toBe('mse');
    expect(fit.trainLoss).toBeCloseTo(fit.trainMse, 5);
    expect(fit.backend).toBe('cpu');
    expect(net.info()).toEqual({ backend: 'cpu', trainer: 'tfjs', layers: 'lstm(3)-1' });
    net.dispose();
  });

  test('direction: probabilities in [0, 1] and a falling binary cross-entropy (GRU)', () => {
    const { net, fit } = fitted({ architecture: 'gru', target: 'direction', epochs: 12, learningRate: 0.03 }, { x, y: up });
    const p = net.predict(x);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
    expect(fit.loss).toBe('binary_crossentropy');
    expect(fit.history.loss[0]!).toBeGreaterThan(0.5); // about ln 2 untrained
    expect(fit.history.loss[11]!).toBeLessThan(0.8 * fit.history.loss[0]!);
    net.dispose();
  });

  test('SGD at the default learning rate trains too (conv1d)', () => {
    const { net, fit } = fitted({ architecture: 'conv1d', optimizer: 'sgd', epochs: 10 });
    expect(fit.history.loss[9]!).toBeLessThan(fit.history.loss[0]!);
    net.dispose();
  });

  test('a diverging fit throws the NetworkDivergedError the dense networks throw', () => {
    const net = new SequenceNet({ architecture: 'lstm', trainer: 'tfjs', units: 3, steps: 5, inputs: 1, epochs: 5, optimizer: 'sgd', learningRate: 1e9 });
    const big = { ...x, data: x.data.map((v) => v * 1e3) };
    const before = loadTf().memory().numTensors;
    let err: unknown;
    try {
      net.fit(
        big,
        y.map((v) => v * 1e3),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetworkDivergedError);
    expect((err as NetworkDivergedError).details).toMatchObject({ optimizer: 'sgd', learningRate: 1e9, defaultLearningRate: false });
    expect(() => net.predict(x)).toThrow(UserError);
    expect(loadTf().memory().numTensors).toBe(before);
  });
});

describe('validation and early stopping', () => {
  // A longer, noisier problem and a high learning rate, so the validation loss turns up.
  const noisy = (() => {
    const d = sine(80, 5);
    let state = 12345;
    const noise = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state / 2 ** 32 - 0.5) * 0.6;
    };
    return { x: d.x, y: d.y.map((v) => v + noise()) };
  })();
  const options: Partial<SequenceNetOptions> = {
    architecture: 'lstm',
    trainer: 'tfjs',
    units: 6,
    epochs: 40,
    learningRate: 0.05,
    validation: 0.25,
    patience: 2,
    seed: 3,
    batchSize: 8,
  };

  test('holds out the latest samples, stops after patience epochs without improvement and restores the best', () => {
    const { net, fit } = fitted(options, noisy);
    expect(fit.monitor).toBe('val_loss');
    expect(fit.stoppedEarly).toBe(true);
    expect(fit.history.loss).toHaveLength(fit.epochsRun);
    expect(fit.history.valLoss).toHaveLength(fit.epochsRun);
    const val = fit.history.valLoss as number[];
    expect(fit.bestEpoch).toBe(val.indexOf(Math.min(...val)) + 1);
    expect(fit.epochsRun).toBe(fit.bestEpoch + 2);
    expect(fit.restoredBestWeights).toBe(true);
    // The restored network is exactly the one a fit of bestEpoch epochs ends with.
    const { net: best, fit: bestFit } = fitted({ ...options, epochs: fit.bestEpoch, patience: 0 }, noisy);
    expect(bestFit.history.valLoss).toEqual(val.slice(0, fit.bestEpoch));
    expect(net.weights()).toEqual(best.weights());
    expect(net.predict(noisy.x)).toEqual(best.predict(noisy.x));
    net.dispose();
    best.dispose();
  });

  test('the validation loss is the loss on the latest samples (Keras validation_split)', () => {
    const { net, fit } = fitted({ ...options, epochs: 1, patience: 0 }, noisy);
    const at = Math.floor(80 * 0.75);
    const tail = { rows: 80 - at, steps: 5, cols: 1, data: noisy.x.data.subarray(at * 5) };
    const p = net.predict(tail);
    const mse = p.reduce((s, v, i) => s + (v - (noisy.y[at + i] as number)) ** 2, 0) / p.length;
    expect(fit.history.valLoss![0]).toBeCloseTo(mse, 6);
    net.dispose();
  });

  test('a split that leaves no training or validation samples is refused', () => {
    expect(() => fitted({ validation: 0.95 }, { x: sine(10, 5).x, y: sine(10, 5).y })).toThrow(/no training/);
  });
});

describe('files', () => {
  test('model.json + weights.bin in the layers format: tfjs-layers loads them with identical predictions; metadata says what was fitted', async () => {
    const { net } = fitted({ seed: 8 });
    const files = net.files({ fit: 3 });
    expect(Object.keys(files)).toEqual(['weights.bin', 'model.json']);
    const modelJson = JSON.parse(files['model.json'] as string);
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.userDefinedMetadata.backtest).toMatchObject({ format: 'backtest-sequence', seed: 8, architecture: 'lstm', units: 3, layers: 'lstm(3)-1', fit: 3 });
    const tf = loadTf();
    const tfl = loadLayers();
    const bytes = files['weights.bin'] as Uint8Array;
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      }),
    );
    const input = tf.tensor3d(Float32Array.from(x.data), [x.rows, 5, 1]);
    const out = loaded.predict(input) as import('@tensorflow/tfjs-core').Tensor;
    expect(Float64Array.from(out.dataSync())).toEqual(net.predict(x));
    // The same weights and names as tfjs' own save would write.
    let saved: import('@tensorflow/tfjs-core').io.ModelArtifacts | undefined;
    await loaded.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(saved?.weightSpecs).toEqual(modelJson.weightsManifest[0].weights);
    expect(new Uint8Array(saved?.weightData as ArrayBuffer)).toEqual(bytes);
    tf.dispose([input, out]);
    loaded.dispose();
    net.dispose();
  });
});

describe('custom architectures', () => {
  test('model.json is the same for every fit of one seed, however many models the process built before', () => {
    const a = fitted({ architecture: custom, seed: 2 });
    const b = fitted({ architecture: custom, seed: 2 });
    expect(b.net.files()).toEqual(a.net.files());
    a.net.dispose();
    b.net.dispose();
  });

  test('layers that draw random numbers while training are refused', () => {
    const dropout: CustomArchitecture = {
      build: (tf, input) =>
        tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [input.steps, input.inputs] }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 1 })] }),
    };
    expect(() => fitted({ architecture: dropout })).toThrow(/Dropout.*not be reproducible/);
    const recurrentDropout: CustomArchitecture = {
      build: (tf, input) => tf.sequential({ layers: [tf.layers.gru({ units: 2, recurrentDropout: 0.2, inputShape: [input.steps, input.inputs] }), tf.layers.dense({ units: 1 })] }),
    };
    expect(() => fitted({ architecture: recurrentDropout })).toThrow(/dropout/);
  });

  test('a model with the wrong input or output shape is refused', () => {
    const wide: CustomArchitecture = {
      build: (tf, input) => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [input.steps, input.inputs] }), tf.layers.dense({ units: 2 })] }),
    };
    expect(() => fitted({ architecture: wide })).toThrow(/one value per sample/);
    const notAModel = { build: () => ({}) as unknown as LayersModel };
    expect(() => fitted({ architecture: notAModel })).toThrow(/must return a tfjs-layers model/);
  });

  test('the functional API and BatchNormalization work (moving statistics start at 0 and 1)', () => {
    const functional: CustomArchitecture = {
      build: (tf, input) => {
        const i = tf.input({ shape: [input.steps, input.inputs] });
        const h = tf.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'relu' }).apply(i);
        const n = tf.layers.batchNormalization().apply(h);
        const o = tf.layers.dense({ units: 1 }).apply(tf.layers.flatten().apply(n));
        return tf.model({ inputs: i, outputs: o as import('@tensorflow/tfjs-layers').SymbolicTensor });
      },
    };
    const net = new SequenceNet({ architecture: functional, steps: 5, inputs: 1, epochs: 2, optimizer: 'adam' });
    net.build();
    const byName = Object.fromEntries(net.weightNames().map((n, i) => [n.slice(n.lastIndexOf('/') + 1), net.weights()[i]]));
    expect(Array.from(byName.gamma as Float32Array)).toEqual([1, 1, 1]);
    expect(Array.from(byName.moving_variance as Float32Array)).toEqual([1, 1, 1]);
    expect(Array.from(byName.moving_mean as Float32Array)).toEqual([0, 0, 0]);
    const a = net.fit(x, y);
    // Trained in training mode: BatchNormalization updated its moving statistics.
    const mean = net.weights()[net.weightNames().findIndex((n) => n.endsWith('/moving_mean'))] as Float32Array;
    expect(Array.from(mean).some((v) => v !== 0)).toBe(true);
    const again = new SequenceNet({ architecture: functional, steps: 5, inputs: 1, epochs: 2, optimizer: 'adam' });
    expect(again.fit(x, y).history).toEqual(a.history);
    expect(again.predict(x)).toEqual(net.predict(x));
    net.dispose();
    again.dispose();
  });
});

describe('memory', () => {
  test.each(ARCHITECTURES)('%s: no tensor survives fit, predict, files and dispose', (_, architecture) => {
    const tf = loadTf();
    fitted({ architecture, epochs: 1 }).net.dispose(); // first use may create lasting backend state
    const before = tf.memory().numTensors;
    expect(before).toBe(0); // and no earlier test of this file left any behind
    const { net } = fitted({ architecture, validation: 0.2, patience: 1, epochs: 3 });
    net.predict(x);
    net.files();
    net.fit(x, y); // a refit frees the previous model
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('options', () => {
  test('built-in architectures need units; unknown settings are user errors', () => {
    expect(() => new SequenceNet({ architecture: 'lstm', steps: 5, inputs: 1 })).toThrow(/needs units/);
    expect(() => new SequenceNet({ architecture: 'rnn' as 'lstm', units: 2, steps: 5, inputs: 1 })).toThrow(UserError);
    expect(() => new SequenceNet({ architecture: 'conv1d', units: 2, kernelSize: 6, steps: 5, inputs: 1 })).toThrow(/longer than/);
    expect(() => new SequenceNet({ architecture: 'lstm', units: 2, steps: 5, inputs: 1, validation: 1 })).toThrow(UserError);
    expect(new SequenceNet({ architecture: 'gru', units: 2, steps: 5, inputs: 1, optimizer: 'adam' }).options.optimizer).toEqual({
      name: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    expect(new SequenceNet({ architecture: 'gru', units: 2, steps: 5, inputs: 1, learningRate: 0 }).options.optimizer).toEqual({ name: 'sgd', learningRate: 0.01 });
  });

  test('samples of the wrong shape or with NaN are user errors naming the place', () => {
    const net = new SequenceNet({ architecture: 'lstm', units: 2, steps: 5, inputs: 1 });
    expect(() => net.fit({ ...x, steps: 4 }, y)).toThrow(/5 steps of 1 inputs but got 4 steps/);
    const data = Float64Array.from(x.data);
    data[7] = Number.NaN;
    expect(() => net.fit({ ...x, data }, y)).toThrow(/sample 1, step 2, feature 0 is NaN/);
    expect(() => net.fit(x, y.subarray(1))).toThrow(/60 samples but 59 targets/);
    expect(() => net.predict(x)).toThrow(/not fitted/);
  });
});

describe('sequenceFitWork', () => {
  test('multiply-adds: forward per sample times 3 (backward), rows and epochs', () => {
    const lstm = 12 * 4 * 32 * (2 + 32) + 32;
    expect(sequenceFitWork({ architecture: 'lstm', units: 32, steps: 12, inputs: 2, rows: 500, epochs: 20 })).toBe(3 * lstm * 500 * 20);
    expect(sequenceFitWork({ architecture: 'gru', units: 32, steps: 12, inputs: 2, rows: 1, epochs: 1 })).toBe(3 * (12 * 3 * 32 * 34 + 32));
    expect(sequenceFitWork({ architecture: 'conv1d', units: 16, steps: 12, inputs: 2, rows: 1, epochs: 1 })).toBe(3 * (10 * 16 * 3 * 2 + 10 * 16));
    expect(sequenceFitWork({ architecture: custom, units: 0, steps: 12, inputs: 2, rows: 2, epochs: 1, weights: 100 })).toBe(3 * 100 * 12 * 2);
    expect(() => sequenceFitWork({ architecture: 'custom', units: 0, steps: 12, inputs: 2, rows: 2, epochs: 1 })).toThrow(RangeError);
  });
});
