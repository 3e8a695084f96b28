#!/usr/bin/env node
// The training sets of a forecast walk-forward, as the product builds them, for the peers
// (bench/peers/*.py) to fit the very same samples: the composed forecast strategy runs with a
// recording model in place of the network, which keeps each fit's samples and target and
// forecasts 0. Usage: node bench/peers/export-fits.js OUT.json [--param name=value ...]
// [--from YYYY-MM --to YYYY-MM]. Writes {"fits": [{"rows", "steps", "cols", "x", "y"}, ...]}:
// x is rows x steps x cols, row-major (what the model's `fit(x, y)` receives).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { silentProgress } = require(path.join(root, 'packages/core/dist/index.js'));
const { strategyParams } = require(path.join(root, 'packages/core/dist/internal.js'));
const { loadDataset, dataDirectories } = require(path.join(root, 'packages/data/dist/index.js'));
const { restrictToRange, walkForward } = require(path.join(root, 'packages/engine/dist/index.js'));
const { builtInFeatures } = require(path.join(root, 'packages/forecast/dist/index.js'));
const { composedForecastStrategy } = require(path.join(root, 'strategies/forecast/dist/index.js'));

const args = process.argv.slice(2);
const out = args[0];
if (!out) throw new Error('usage: export-fits.js OUT.json [--param name=value ...] [--from YYYY-MM] [--to YYYY-MM]');
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const raw = {};
args.forEach((a, i) => {
  if (a === '--param') {
    const [k, v] = args[i + 1].split('=');
    raw[k] = v;
  }
});

const fits = [];
/** A model that keeps what it is given: `input` row, or sequence of `lookback` steps. */
const recorder = (input) => ({
  id: `record-${input}`,
  description: 'records its training samples (bench/peers)',
  input,
  targets: ['price', 'direction'],
  deterministic: true,
  params: input === 'sequence' ? { lookback: { type: 'integer', default: 12, min: 1, max: 120, description: 'months of features' } } : {},
  create: () => ({
    fit(x, y) {
      fits.push({ rows: x.rows, steps: x.steps, cols: x.cols, x: Array.from(x.data), y: Array.from(y) });
      return { history: { loss: [] } };
    },
    predict: (x) => new Float64Array(x.rows),
  }),
});

(async () => {
  const plugin = composedForecastStrategy(builtInFeatures, [recorder('row'), recorder('sequence')]);
  const params = strategyParams(plugin, { model: raw.lookback ? 'record-sequence' : 'record-row', ...raw });
  const data = loadDataset('sp500', { dataDirs: dataDirectories({ projectRoot: root }), projectRoot: root, frequency: 'monthly', keepColumns: [] });
  const series = restrictToRange(data.series, flag('--from'), flag('--to'));
  const strategy = plugin.create(params, { frequency: 'monthly', seed: 42, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} });
  // decideLast: a run also decides at the last row (the position to hold next), and trains for it when that row is a refit.
  await walkForward(series, strategy, { strategyId: 'forecast', decideLast: true });
  fs.writeFileSync(out, JSON.stringify({ fits }));
  process.stdout.write(`${fits.length} fits, ${fits.reduce((a, f) => a + f.rows, 0)} training rows in all\n`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
