#!/usr/bin/env node
// One small network fit, the unit of nn-sma's default walk: 2-10-1 (ReLU), SGD 0.01, batch 32,
// 20 epochs on 300 rows, on the backend 'auto' picks, with the trainer 'auto' picks (the SIMD
// kernels). Timed after one warm-up fit so JIT compilation is excluded;
// the plain tfjs-kernel trainer's time is in extra. Prints one JSON line: {"seconds", "extra"}.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { fitNetworks } = require(path.join(root, 'packages/models/dist/index.js'));

function job(trainer, seed) {
  // Deterministic rows (no PRNG dependency): two features on [-1, 1] and a linear target.
  const rows = 300;
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x[2 * r] = Math.sin(r * 0.37);
    x[2 * r + 1] = Math.cos(r * 0.61);
    y[r] = 0.5 * x[2 * r] - 0.3 * x[2 * r + 1] + 0.1;
  }
  return {
    network: { inputSize: 2, layers: [{ units: 10, activation: 'relu' }, { units: 1 }] },
    optimizer: 'sgd',
    x: { rows, cols: 2, data: x },
    y,
    options: { epochs: 20, batchSize: 32, trainer },
    seed,
    predict: { rows: 1, cols: 2, data: Float64Array.of(0.2, -0.4) },
  };
}

(async () => {
  const t0 = performance.now();
  const [warm] = await fitNetworks([job('auto', 41)], { threads: 1, backend: 'auto' });
  const t1 = performance.now();
  const [fit] = await fitNetworks([job('auto', 42)], { threads: 1, backend: 'auto' });
  const t2 = performance.now();
  await fitNetworks([job('tfjs', 41)], { threads: 1, backend: 'auto' });
  const t3 = performance.now();
  const [plain] = await fitNetworks([job('tfjs', 42)], { threads: 1, backend: 'auto' });
  const t4 = performance.now();
  process.stdout.write(
    JSON.stringify({
      seconds: (t2 - t1) / 1000,
      extra: {
        backend: fit.backend,
        trainer: fit.trainer,
        warmupSeconds: +((t1 - t0) / 1000).toFixed(4),
        tfjsTrainerSeconds: +((t4 - t3) / 1000).toFixed(4),
        finalLoss: +fit.history.loss[19].toFixed(6),
        forecastDiffVsTfjs: Math.abs(fit.predictions[0] - plain.predictions[0]),
        warmTrainer: warm.trainer,
      },
    }) + '\n',
  );
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
