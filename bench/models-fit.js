#!/usr/bin/env node
// Times one NnModel.fit of the study's two networks on every TensorFlow.js backend that loads
// here, median of several runs, with each trainer ('simd': our WebAssembly SIMD kernels;
// 'tfjs': our loop of TensorFlow.js kernels), next to two
// references on the same data and batches:
//   - "autograd loop": the usual hand-written loop, optimizer.minimize(() => loss) per batch
//     inside tf.tidy (tape-recorded gradients; tfjs then also turns off its fused matmul kernel);
//   - "tfjs-layers fit": model.fit of the equivalent Sequential model.
// Requires the built package: npx turbo run build --filter=@backtest/models
// Usage: node bench/models-fit.js [--runs 7] [--backends cpu,wasm] [--no-reference]
'use strict';
const os = require('node:os');
const path = require('node:path');

const models = require(path.join(__dirname, '..', 'packages', 'models', 'dist'));
const { loadTf } = require(path.join(__dirname, '..', 'packages', 'models', 'dist', 'tf'));

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(opt('--runs', 7));
const backends = opt('--backends', 'tensorflow,wasm,cpu').split(',');
const reference = !args.includes('--no-reference');

const NETS = [
  { name: '2-10-1, 300 rows, 20 epochs', layers: [{ units: 10, activation: 'relu' }, { units: 1 }], epochs: 20, runs },
  // Each cpu run of the deep net takes seconds: fewer runs.
  {
    name: '2-300-100-1, 300 rows, 100 epochs',
    layers: [{ units: 300, activation: 'relu' }, { units: 100, activation: 'relu' }, { units: 1 }],
    epochs: 100,
    runs: Math.min(runs, 3),
  },
];

// Study-like data: two correlated standardised inputs and a noisy linear target.
let state = 12345;
const rand = () => {
  state = (state * 16807) % 2147483647;
  return state / 2147483647 - 0.5;
};
const x = Array.from({ length: 300 }, () => {
  const a = 2 * rand();
  return [a, a + 0.3 * rand()];
});
const y = x.map(([a, b]) => 0.5 * a - 0.3 * b + 0.1 + 0.2 * rand());

const median = (v) => v.slice().sort((p, q) => p - q)[Math.floor(v.length / 2)];

// Wall time, and this process's CPU time: on a shared machine the second is the steadier figure.
async function time(fn, n) {
  await fn(); // warm-up: JIT and kernel set-up
  const wall = [];
  const cpu = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { median: median(wall), min: Math.min(...wall), cpu: median(cpu), n };
}

function oursFit(net, trainer) {
  return () => {
    const m = new models.NnModel({ network: { inputSize: 2, layers: net.layers } });
    const fit = m.fit(x, y, { epochs: net.epochs, seed: 42, trainer });
    m.dispose();
    return fit.trainer;
  };
}

/** The loop the tfjs docs suggest: tape-recorded gradients through optimizer.minimize. */
function autogradFit(tf, net) {
  return () => {
    let fanIn = 2;
    const vars = net.layers.flatMap((l) => {
      const limit = Math.sqrt(6 / (fanIn + l.units));
      const v = [tf.variable(tf.randomUniform([fanIn, l.units], -limit, limit, 'float32', 7)), tf.variable(tf.zeros([l.units]))];
      fanIn = l.units;
      return v;
    });
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y, [y.length, 1]);
    const optimizer = tf.train.sgd(0.01);
    const order = Int32Array.from({ length: x.length }, (_, i) => i);
    for (let e = 0; e < net.epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const [sx, sy] = tf.tidy(() => {
        const idx = tf.tensor1d(order, 'int32');
        return [tf.gather(xs, idx), tf.gather(ys, idx)];
      });
      for (let s = 0; s < x.length; s += 32) {
        const rows = Math.min(32, x.length - s);
        tf.tidy(() => {
          const xb = tf.slice(sx, [s, 0], [rows, 2]);
          const yb = tf.slice(sy, [s, 0], [rows, 1]);
          optimizer.minimize(
            () => {
              let a = xb;
              net.layers.forEach((l, k) => {
                a = tf.fused.matMul({ a, b: vars[2 * k], bias: vars[2 * k + 1], activation: l.activation ?? 'linear' });
              });
              return tf.mean(tf.square(tf.sub(a, yb)));
            },
            false,
            vars,
          );
        });
      }
      tf.dispose([sx, sy]);
    }
    tf.dispose([...vars, xs, ys]);
    optimizer.dispose();
  };
}

function layersFit(tf, tfl, net) {
  return async () => {
    const m = tfl.sequential();
    net.layers.forEach((l, k) =>
      m.add(tfl.layers.dense({ units: l.units, activation: l.activation ?? 'linear', kernelInitializer: 'glorotUniform', ...(k === 0 ? { inputShape: [2] } : {}) })),
    );
    m.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y, [y.length, 1]);
    await m.fit(xs, ys, { epochs: net.epochs, batchSize: 32, shuffle: true, verbose: 0 });
    tf.dispose([xs, ys]);
    m.dispose();
  };
}

const fmt = (r) => `${r.median.toFixed(1).padStart(8)} ms median wall (min ${r.min.toFixed(1)}), ${r.cpu.toFixed(1).padStart(8)} ms median CPU, n=${r.n}`;

(async () => {
  console.log(
    `models-fit bench: node ${process.version}, ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const tf = loadTf();
  let tfl;
  for (const requested of backends) {
    let backend;
    try {
      backend = await models.initBackend(requested);
    } catch (err) {
      console.log(`\n[${requested}] unavailable: ${err.message.split('\n')[0]}`);
      continue;
    }
    console.log(`\n[${backend}]`);
    for (const net of NETS) {
      console.log(`  ${net.name}`);
      const chosen = oursFit(net, 'auto')();
      console.log(`    NnModel.fit auto -> ${chosen}`);
      console.log(`    NnModel.fit simd    ${fmt(await time(oursFit(net, 'simd'), net.runs))}`);
      // tfjs kernels and the references take many seconds per deep fit on cpu: small net only there.
      const slow = backend === 'cpu' && net.epochs > 20;
      if (!slow) console.log(`    NnModel.fit tfjs    ${fmt(await time(oursFit(net, 'tfjs'), net.runs))}`);
      if (!reference || slow) continue;
      tfl ??= require('@tensorflow/tfjs-layers');
      const refRuns = Math.min(net.runs, 3);
      console.log(`    autograd loop       ${fmt(await time(autogradFit(tf, net), refRuns))}`);
      console.log(`    tfjs-layers fit     ${fmt(await time(layersFit(tf, tfl, net), refRuns))}`);
    }
  }
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
