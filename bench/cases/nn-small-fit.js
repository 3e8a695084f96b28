#!/usr/bin/env node
// One small network fit, the unit of nn-sma's default walk: 2-10-1 (ReLU), SGD 0.01, batch 32,
// 20 epochs on 300 rows, with the trainer 'auto' picks (the SIMD kernels, no TensorFlow.js).
// Timed after one warm-up fit so JIT compilation is excluded; the TensorFlow.js-kernel trainer's
// time (trainer=tfjs, on the backend 'auto' picks) is in extra. Prints one JSON line: {"seconds", "extra"}.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { initBackend, NnModel } = require(path.join(root, 'packages/models/dist/index.js'));

function fitOnce(trainer, seed) {
  // Deterministic rows (no PRNG dependency): two features on [-1, 1] and a linear target.
  const rows = 300;
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x[2 * r] = Math.sin(r * 0.37);
    x[2 * r + 1] = Math.cos(r * 0.61);
    y[r] = 0.5 * x[2 * r] - 0.3 * x[2 * r + 1] + 0.1;
  }
  const net = new NnModel({ network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] }, optimizer: 'sgd' });
  const result = net.fit({ rows, cols: 2, data: x }, y, { epochs: 20, batchSize: 32, trainer, seed });
  net.predict({ rows: 1, cols: 2, data: Float64Array.of(0.2, -0.4) });
  net.dispose();
  return result;
}

(async () => {
  const t0 = performance.now();
  fitOnce('auto', 41);
  const t1 = performance.now();
  const auto = fitOnce('auto', 42);
  const t2 = performance.now();
  await initBackend('auto');
  fitOnce('tfjs', 41);
  const t3 = performance.now();
  const plain = fitOnce('tfjs', 42);
  const t4 = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      seconds: (t2 - t1) / 1000,
      extra: {
        backend: plain.backend,
        trainer: auto.trainer,
        warmupSeconds: +((t1 - t0) / 1000).toFixed(4),
        tfjsTrainerSeconds: +((t4 - t3) / 1000).toFixed(4),
        finalLoss: +auto.history.loss[19].toFixed(6),
        tfjsFinalLoss: +plain.history.loss[19].toFixed(6),
      },
    })}\n`,
  );
})();
