#!/usr/bin/env node
// Makes the embedded month-end extracts (packages/data/embedded) from the daily files in the
// data directories (by default ../shared/data), with index.json recording each one's provenance.
// `--check` writes nothing and exits 1 when a committed extract differs from a regenerated one.
// Run after `npm run build`: it uses the data package's own loader from dist/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { makeDirectory, writeFileAtomic } = require('@backtest/core/internal');
const { dataDirectories, datasetRegistry, embeddedDir, findProjectRoot, makeExtract, EMBEDDED_INDEX } = require('../dist');

const check = process.argv.includes('--check');
const root = findProjectRoot(__dirname);
const dirs = dataDirectories({ projectRoot: root, ...(process.env.BACKTEST_DATA_DIR ? { env: process.env.BACKTEST_DATA_DIR } : {}) });
const out = embeddedDir();
const index = {};
const files = {};
for (const entry of datasetRegistry(root).datasets) {
  if (entry.frequency !== 'monthly') continue;
  const source = dirs.map((d) => path.join(d, entry.file)).find((p) => fs.existsSync(p));
  if (!source) {
    console.error(`make-extracts: ${entry.file} (dataset ${entry.name}) is in none of ${dirs.join(', ')}`);
    process.exit(2);
  }
  const { file, bytes, record } = makeExtract(entry, source);
  index[entry.name] = record;
  files[file] = bytes;
}
files[EMBEDDED_INDEX] = `${JSON.stringify(index, null, 2)}\n`;

let stale = 0;
if (!check) makeDirectory(out);
for (const [file, bytes] of Object.entries(files)) {
  const target = path.join(out, file);
  const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === bytes;
  if (check) {
    if (!same) {
      stale += 1;
      console.error(`make-extracts: ${target} differs from its regenerated version`);
    }
    continue;
  }
  // The project's one atomic writer (an exclusively created temporary file of unpredictable
  // name, renamed into place); an unchanged file is left as it is.
  if (!same) writeFileAtomic(target, bytes);
  console.log(`${same ? 'unchanged' : 'wrote    '} ${path.relative(root, target)}`);
}
process.exit(stale ? 1 : 0);
