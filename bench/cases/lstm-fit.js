#!/usr/bin/env node
// One LSTM fit as the issue measures it: LSTM(32) -> Dense(1) on 500 sequences of 12 steps x 2
// features, 20 epochs, Adam, batch 32, on the TensorFlow.js backend 'auto' picks, trained by the
// framework's seeded loop (`SequenceNet`). Prints one JSON line: {"seconds", "extra"}.
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
  const net = new SequenceNet({ architecture: 'lstm', units: 32, steps, inputs: 2, epochs: 20, batchSize: 32, optimizer: 'adam', seed: 42 });
  const t0 = performance.now();
  const fit = net.fit({ rows, steps, cols: 2, data }, y);
  const t1 = performance.now();
  net.dispose();
  process.stdout.write(`${JSON.stringify({ seconds: (t1 - t0) / 1000, extra: { backend, finalLoss: +fit.history.loss[19].toFixed(6) } })}\n`);
})();
