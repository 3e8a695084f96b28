#!/usr/bin/env node
// One LSTM fit as the issue measures it: LSTM(32) -> Dense(1) on 500 sequences of 12 steps x 2
// features, 20 epochs, Adam, batch 32, trained by the framework's seeded loop (`SequenceNet`) on
// the SIMD kernels (the time), and on the TensorFlow.js backend 'auto' picks (`tfjsSeconds`, the
// same fit to float32 rounding). Prints one JSON line: {"seconds", "extra"}.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { initBackend, SequenceNet } = require(path.join(root, 'packages/models/dist/index.js'));

(async () => {
  const backend = await initBackend('auto');
  const rows = 500;
  const steps = 12;
  const data = new Float64Array(rows * steps * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < steps; k++) {
      data[(r * steps + k) * 2] = Math.sin((r + k) * 0.3);
      data[(r * steps + k) * 2 + 1] = Math.cos((r + k) * 0.17);
    }
    y[r] = Math.sin((r + steps) * 0.3);
  }
  const fitOn = (trainer) => {
    const net = new SequenceNet({ architecture: 'lstm', units: 32, steps, inputs: 2, epochs: 20, batchSize: 32, optimizer: 'adam', seed: 42, trainer });
    const t0 = performance.now();
    const fit = net.fit({ rows, steps, cols: 2, data }, y);
    const seconds = (performance.now() - t0) / 1000;
    net.dispose();
    return { seconds, finalLoss: +fit.history.loss[19].toFixed(6) };
  };
  const simd = fitOn('simd');
  const tfjs = fitOn('tfjs');
  process.stdout.write(
    `${JSON.stringify({ seconds: simd.seconds, extra: { trainer: 'simd', finalLoss: simd.finalLoss, tfjsBackend: backend, tfjsSeconds: +tfjs.seconds.toFixed(3), tfjsFinalLoss: tfjs.finalLoss } })}\n`,
  );
})();
