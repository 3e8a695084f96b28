#!/usr/bin/env node
// One NnModel.fit (300 rows, 20 epochs, SGD, batch 32) per trainer ('simd' and 'tfjs'; the
// float64 pass is only the tests' oracle now), at three sizes: 2-10-1, 2-50-1 and 2-300-100-1,
// with TensorFlow.js on the backend 'auto' picks; median of three after three warm-up fits.
// `seconds` is the SIMD trainer on 2-300-100-1 (what 'auto' runs for the wide walk); `extra`
// holds each trainer's time in ms (what 'auto' is chosen from), the largest difference of the
// trained weights from the tfjs kernels' (float32 rounding), and the time of predicting the 300
// rows one at a time (as a walk-forward does) with the model each trainer leaves. Prints one
// JSON line.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const models = require(path.join(root, 'packages/models/dist/index.js'));

const rows = 300;
const x = Array.from({ length: rows }, (_, r) => [Math.sin(r * 0.37), Math.cos(r * 0.61)]);
const y = x.map(([a, b]) => 0.5 * a - 0.3 * b + 0.1);
const sizes = { '2-10-1': [10], '2-50-1': [50], '2-300-100-1': [300, 100] };

function timedFit(hidden, trainer) {
  const m = new models.NnModel({ network: { inputSize: 2, layers: [...hidden.map((units) => ({ units, activation: 'relu' })), { units: 1 }] } });
  const t = performance.now();
  const result = m.fit(x, y, { epochs: 20, seed: 42, trainer });
  const ms = performance.now() - t;
  const weights = m.weights();
  const p = performance.now();
  for (const row of x) m.predict([row]);
  const predictMs = performance.now() - p;
  m.dispose();
  return { ms, predictMs, weights, trainer: result.trainer, backend: result.backend };
}

(async () => {
  const backend = await models.initBackend('auto');
  const extra = { backend };
  let seconds = 0;
  for (const [name, hidden] of Object.entries(sizes)) {
    const runs = {};
    for (const trainer of ['simd', 'tfjs']) {
      for (let w = 0; w < 3; w++) timedFit(hidden, trainer); // warm-up: JIT of the batch loop
      const timed = [timedFit(hidden, trainer), timedFit(hidden, trainer), timedFit(hidden, trainer)].sort((a, b) => a.ms - b.ms);
      runs[trainer] = timed[1];
      extra[`${name} ${trainer} ms`] = +runs[trainer].ms.toFixed(2);
      extra[`${name} ${trainer} predict 300 rows ms`] = +runs[trainer].predictMs.toFixed(2);
    }
    let worst = 0;
    runs.simd.weights.forEach((w, i) => w.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - runs.tfjs.weights[i][k])))));
    extra[`${name} simd vs tfjs max weight diff`] = worst;
    extra[`${name} auto`] = timedFit(hidden, 'auto').trainer;
    if (name === '2-300-100-1') seconds = runs.simd.ms / 1000;
  }
  process.stdout.write(`${JSON.stringify({ seconds, extra })}\n`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
