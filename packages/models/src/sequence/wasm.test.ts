import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initBackend } from '../backend';
import { loadTf } from '../tf';
import { SequenceNet } from './sequence-net';
import { loadLayers } from './layers-tf';
import { ensureWasmConvGradient } from './wasm-kernels';

/** The backend the project trains on: its missing convolution gradient, and fits on it. */

beforeAll(async () => {
  await initBackend('wasm');
});

const rows = 40;
const x = { rows, steps: 6, cols: 2, data: Float64Array.from({ length: rows * 12 }, (_, i) => Math.sin(0.37 * i) + 0.1 * Math.cos(1.3 * i)) };
const y = Float64Array.from({ length: rows }, (_, r) => Math.sin(0.37 * (r * 12 + 12)));

test("the Conv2DBackpropFilter kernel added for wasm agrees with tfjs-backend-cpu's", async () => {
  const tf = loadTf();
  loadLayers(); // registers every op's gradient
  ensureWasmConvGradient(tf);
  const gradient = (shape: [number, number, number, number], filter: [number, number, number, number], strides: [number, number], pad: 'valid' | 'same'): Float32Array => {
    const input = tf.tensor4d(
      Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.7)),
      shape,
    );
    const f = tf.tensor4d(
      Float32Array.from({ length: filter.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.3)),
      filter,
    );
    const g = tf.grad((w) => tf.sum(tf.square(tf.conv2d(input, w as import('@tensorflow/tfjs-core').Tensor4D, strides, pad))))(f);
    const out = Float32Array.from(g.dataSync());
    tf.dispose([input, f, g]);
    return out;
  };
  const cases = [
    [[3, 1, 7, 2], [1, 3, 2, 4], [1, 1], 'valid'], // a Conv1D as tfjs runs it
    [[2, 5, 6, 3], [2, 3, 3, 2], [2, 1], 'same'],
  ] as const;
  for (const [shape, filter, strides, pad] of cases) {
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = gradient([...shape], [...filter], [...strides], pad);
    await tf.setBackend('cpu');
    const onCpu = gradient([...shape], [...filter], [...strides], pad);
    await tf.setBackend('wasm');
    onCpu.forEach((v, i) => expect(Math.abs((onWasm[i] as number) - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
  }
});

test.each(['lstm', 'gru', 'conv1d'] as const)('%s trains on wasm, reproducibly, and leaks nothing', (architecture) => {
  const tf = loadTf();
  const before = tf.memory().numTensors;
  const options = {
    architecture,
    trainer: 'tfjs',
    units: 4,
    steps: 6,
    inputs: 2,
    epochs: 4,
    optimizer: 'adam',
    learningRate: 0.01,
    validation: 0.2,
    patience: 2,
    seed: 4,
  } as const;
  const a = new SequenceNet(options);
  const b = new SequenceNet(options);
  const fa = a.fit(x, y);
  expect(fa.backend).toBe('wasm');
  expect(a.info().backend).toBe('wasm');
  b.fit(x, y);
  expect(b.weights()).toEqual(a.weights());
  expect(b.predict(x)).toEqual(a.predict(x));
  expect(fa.history.loss[3]!).toBeLessThan(fa.history.loss[0]!);
  a.dispose();
  b.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

test('a fit on a worker thread gives the bits of a fit on this thread', async () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const options = { architecture: 'lstm', trainer: 'tfjs', units: 3, steps: 6, inputs: 2, epochs: 2, optimizer: 'adam', seed: 9 } as const;
  // The worker loads the TypeScript sources through a tiny require hook (jest's transform does not reach it).
  const script = `
    const ts = require('typescript'); const fs = require('fs'); const Module = require('module'); const path = require('path');
    const { parentPort, workerData } = require('node:worker_threads');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@backtest\\/(core|models|metrics)$/.exec(request);
      return resolve.call(this, m ? path.join(workerData.root, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
    };
    const { initBackend, SequenceNet } = require('@backtest/models');
    initBackend('wasm').then(() => {
      const net = new SequenceNet(workerData.options);
      net.fit(workerData.x, workerData.y);
      parentPort.postMessage(net.predict(workerData.x));
    });`;
  const fromWorker = await new Promise<Float64Array>((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { root, options, x, y }, cwd: join(root, 'packages', 'models') } as ConstructorParameters<typeof Worker>[1]);
    w.once('message', (m: Float64Array) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
  const here = new SequenceNet(options);
  here.fit(x, y);
  expect(fromWorker).toEqual(here.predict(x));
  here.dispose();
}, 30000);
