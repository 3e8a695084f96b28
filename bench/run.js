#!/usr/bin/env node
// Benchmark suite: wall time of whole commands (Node start included) and of in-process cases.
// Prints the median of several runs per case, the machine's core count and the backend, and
// writes the figures to bench/results/latest.json (and appends them to history.jsonl) so that
// they can be compared over time. Usage: npm run bench [-- --runs 5 --only sma]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Run folders of the timed commands go to a temporary directory (removed at the end).
const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runs-'));
const env = { ...process.env, BACKTEST_RUNS_DIR: runsDir };
// The installed command (node_modules/.bin/backtest runs this file).
const bin = path.join(root, 'packages/cli/bin/backtest.js');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

/** Cases: a command line (timed as a child process) or an in-process module (bench/cases/*.js). */
const cases = [
  { name: 'cli: backtest --strategy sma --json', argv: ['--strategy', 'sma', '--json'], target: 0.5 },
  { name: 'cli: backtest --strategy sma --from 1970-01 --to 2020-12 --json', argv: ['--strategy', 'sma', '--from', '1970-01', '--to', '2020-12', '--json'], target: 0.5 },
  {
    name: 'cli: backtest --strategy sma --json, embedded extract (no data directory)',
    argv: ['--strategy', 'sma', '--json', '--config', path.join(__dirname, 'embedded-data.json')],
    target: 0.5,
  },
  { name: 'cli: backtest --strategy ols-sma --json', argv: ['--strategy', 'ols-sma', '--json'] },
  { name: 'cli: backtest --strategy sma --universe sp500,ndx,gold --json (Faber)', argv: ['--strategy', 'sma', '--universe', 'sp500,ndx,gold', '--json'] },
  {
    name: 'cli: forecast model=ols allocation=rotation top=1 --universe sp500,ndx,gold,dax --json',
    argv: ['--strategy', 'forecast', '--param', 'model=ols', '--param', 'allocation=rotation', '--param', 'top=1', '--universe', 'sp500,ndx,gold,dax', '--json'],
  },
  {
    name: 'cli: backtest --strategy nn-sma --universe sp500,ndx,gold --json (a walk per asset)',
    argv: ['--strategy', 'nn-sma', '--universe', 'sp500,ndx,gold', '--json'],
    runs: 3,
  },
  { name: 'cli: backtest signal --strategy nn-sma --json', argv: ['signal', '--strategy', 'nn-sma', '--json'], runs: 3 },
  { name: 'cli: backtest --strategy sma --cash-rate tnx --json', argv: ['--strategy', 'sma', '--cash-rate', 'tnx', '--json'] },
  { name: 'cli: backtest --strategy nn-sma --json (refit 12)', argv: ['--strategy', 'nn-sma', '--json'], runs: 3 },
  { name: 'cli: backtest --strategy nn-sma --seeds 20 --json', argv: ['--strategy', 'nn-sma', '--seeds', '20', '--json'], runs: 3 },
  { name: 'cli: nn-sma refit=1 1970-01..2020-12', argv: ['--strategy', 'nn-sma', '--param', 'refit=1', '--from', '1970-01', '--to', '2020-12', '--json'], runs: 3, target: 4 },
  {
    name: 'cli: forecast model=lstm lookback=12 units=32 epochs=20 adam refit=12 1970-01..2020-12 (30 fits)',
    argv: [
      '--strategy',
      'forecast',
      '--param',
      'model=lstm',
      '--param',
      'lookback=12',
      '--param',
      'units=32',
      '--param',
      'epochs=20',
      '--param',
      'optimizer=adam',
      '--param',
      'refit=12',
      '--from',
      '1970-01',
      '--to',
      '2020-12',
      '--json',
    ],
    runs: 1,
  },
  {
    name: 'cli: nn-sma hidden=300,100 epochs=100 refit=12',
    argv: ['--strategy', 'nn-sma', '--param', 'hidden=300,100', '--param', 'epochs=100', '--param', 'refit=12', '--from', '1970-01', '--to', '2020-12', '--json'],
    runs: 3,
    target: 12,
  },
];
for (const f of fs.existsSync(path.join(__dirname, 'cases')) ? fs.readdirSync(path.join(__dirname, 'cases')).sort() : []) {
  if (f.endsWith('.js')) cases.push({ name: `case: ${f.replace(/\.js$/, '')}`, module: path.join(__dirname, 'cases', f) });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const results = [];
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const times = [];
  let extra = {};
  let error;
  const n = c.runs ?? runs;
  for (let i = 0; i < n && !error; i++) {
    if (c.argv) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [bin, ...c.argv], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status !== 0) error = (r.stderr || '').trim().split('\n').pop();
      else {
        times.push(dt);
        try {
          const doc = JSON.parse(r.stdout);
          extra = { backend: doc.backend, fits: doc.results?.[doc.strategy]?.fits };
        } catch {
          /* not JSON */
        }
      }
    } else {
      const r = spawnSync(process.execPath, [c.module], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.status !== 0) error = (r.stderr || '').trim().split('\n').pop();
      else {
        const doc = JSON.parse(r.stdout.trim().split('\n').pop());
        times.push(doc.seconds);
        extra = doc.extra ?? {};
      }
    }
  }
  const row = {
    name: c.name,
    runs: times.length,
    medianSeconds: times.length ? median(times) : null,
    minSeconds: times.length ? Math.min(...times) : null,
    ...(c.target ? { targetSeconds: c.target } : {}),
    ...extra,
    ...(error ? { error } : {}),
  };
  results.push(row);
  const fig =
    row.medianSeconds === null
      ? `FAILED: ${error}`
      : `${row.medianSeconds.toFixed(3)} s median of ${row.runs}${c.target ? ` (target < ${c.target} s${row.medianSeconds < c.target ? ', met' : ', NOT met'})` : ''}`;
  process.stdout.write(`${c.name.padEnd(60)} ${fig}${extra.backend ? `  [${extra.backend}]` : ''}\n`);
}

fs.rmSync(runsDir, { recursive: true, force: true });
const doc = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, results };
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
if (!only) fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
fs.appendFileSync(path.join(__dirname, 'results', 'history.jsonl'), `${JSON.stringify(doc)}\n`);
process.stdout.write(`cores: ${doc.cores}, node ${doc.node}; written to bench/results/${only ? 'history.jsonl' : 'latest.json'}\n`);
