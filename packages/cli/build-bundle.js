// Bundles the compiled CLI into dist/backtest.bundle.js for a fast start. TensorFlow.js stays
// external (it loads lazily, only for strategies that train networks), and so do modules loaded
// only on a terminal.
'use strict';
const path = require('node:path');
require('esbuild').buildSync({
  entryPoints: [path.join(__dirname, 'dist', 'bin.js')],
  outfile: path.join(__dirname, 'dist', 'backtest.bundle.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Smaller source to compile at every start.
  minifyWhitespace: true,
  minifySyntax: true,
  // The fit pool finds its worker script beside the models package at run time.
  // The data package's embedded extracts are found beside its package.json the same way.
  // valibot (the settings schema) is inside: its module runs only when a value is to be checked.
  // BullMQ and its Redis client load only for a sweep on a queue (compare --queue, worker).
  external: ['@tensorflow/*', 'cli-progress', 'bullmq', '@backtest/models/package.json', '@backtest/data/package.json'],
  logLevel: 'warning',
});
