#!/usr/bin/env node
// Sweep of the long/flat sma rule over windows 2..400 on daily ^GSPC 1970-2026, through the
// engine's API: weights from the rule's vectorised form, accounting by evaluateWeights, each
// window's Sharpe by the metrics package. Prints one JSON line: {"seconds", "extra"}. The time
// covers the sweep (the load is reported separately).
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { assetReturns } = require(path.join(root, 'packages/core/dist/internal.js'));
const { loadDataset, dataDirectories } = require(path.join(root, 'packages/data/dist/index.js'));
const { evaluateWeights } = require(path.join(root, 'packages/engine/dist/index.js'));
const { sharpeRatio } = require(path.join(root, 'packages/metrics/dist/index.js'));
const { closePrefixSums, smaWeights } = require(path.join(root, 'strategies/sma/dist/index.js'));

const t0 = performance.now();
const data = loadDataset('sp500-daily', { dataDirs: dataDirectories({ projectRoot: root }), projectRoot: root, frequency: 'daily', keepColumns: [] });
const t1 = performance.now();
const series = data.series;
const returns = assetReturns(series);
let best = { window: 0, sharpe: -Infinity };
const scratch = { prefix: closePrefixSums(series.close), into: new Float64Array(series.close.length) };
const buffer = new Float64Array(series.close.length);
for (let window = 2; window <= 400; window++) {
  const weights = smaWeights(series.close, window, false, scratch);
  const { strategyReturns } = evaluateWeights(series, window - 1, weights, { returns, into: buffer });
  const sharpe = sharpeRatio(strategyReturns, 252);
  if (sharpe > best.sharpe) best = { window, sharpe };
}
const t2 = performance.now();
process.stdout.write(
  `${JSON.stringify({
    seconds: (t2 - t1) / 1000,
    extra: { rows: series.close.length, windows: 399, loadSeconds: +((t1 - t0) / 1000).toFixed(4), bestWindow: best.window, bestSharpe: +best.sharpe.toFixed(4) },
  })}\n`,
);
