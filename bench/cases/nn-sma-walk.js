#!/usr/bin/env node
// The whole nn-sma walk-forward with a refit every month (refit=1, 1970-01..2020-12: 359 fits of
// 2-10-1, 20 epochs), in-process through the engine's API, so Node's start and the CLI's
// printing are excluded. BENCH_THREADS (default 1) sets the fit pool's threads. The time covers
// prepare (every fit) and the walk, not the data load. Prints one JSON line: {"seconds", "extra"}.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { resolveParams, silentProgress } = require(path.join(root, 'packages/core/dist/index.js'));
const { loadDataset, dataDirectories } = require(path.join(root, 'packages/data/dist/index.js'));
const { restrictToRange, walkForward } = require(path.join(root, 'packages/engine/dist/index.js'));
const { sharpeRatio } = require(path.join(root, 'packages/metrics/dist/index.js'));
const { loadStrategyRegistry } = require(path.join(root, 'packages/api/dist/index.js'));

(async () => {
  const threads = Number(process.env.BENCH_THREADS ?? 1);
  const t0 = performance.now();
  const data = loadDataset('sp500', { dataDirs: dataDirectories({ projectRoot: root }), projectRoot: root, frequency: 'monthly', keepColumns: [] });
  const series = restrictToRange(data.series, '1970-01', '2020-12');
  const plugin = loadStrategyRegistry().get('nn-sma');
  const params = resolveParams('nn-sma', plugin.params, { refit: '1' });
  const strategy = plugin.create(params, { frequency: 'monthly', seed: 42, threads, backend: 'auto', progress: silentProgress, warn: () => {} });
  const t1 = performance.now();
  const walk = await walkForward(series, strategy, { strategyId: 'nn-sma' });
  const t2 = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      seconds: (t2 - t1) / 1000,
      extra: {
        threads,
        fits: walk.output.fits,
        backend: walk.output.model?.backend,
        sharpe: sharpeRatio(walk.strategyReturns, walk.periodsPerYear),
        loadSeconds: +((t1 - t0) / 1000).toFixed(4),
      },
    })}\n`,
  );
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
