#!/usr/bin/env node
// Loading the default dataset: month-end ^GSPC from the 14,000-row daily file (parse, validate,
// resample), cold in a fresh process as the CLI does it. Prints {"seconds", "extra"}.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const { loadDataset, dataDirectories } = require(path.join(root, 'packages/data/dist/index.js'));

const t0 = performance.now();
const data = loadDataset('sp500', { dataDirs: dataDirectories({ projectRoot: root }), projectRoot: root, keepColumns: [] });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, extra: { rawRows: data.rawRows, months: data.series.close.length } })}\n`);
