#!/usr/bin/env node
// Benchmark suite: wall time of whole commands (Node start included) and of in-process cases.
// Prints the median of several runs per case, the machine's core count and the backend, and
// writes the figures to bench/results/latest.json (and appends them to history.jsonl) so that
// they can be compared over time. Cases with peers also time scikit-learn and PyTorch fitting the
// same samples (bench/peers/), when Debian's python3-sklearn and python3-torch are installed, and
// record our time's ratio to theirs. Usage: npm run bench [-- --runs 5 --only sma]
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
  {
    name: 'cli: nn-sma refit=1 1970-01..2020-12',
    argv: ['--strategy', 'nn-sma', '--param', 'refit=1', '--from', '1970-01', '--to', '2020-12', '--json'],
    runs: 3,
    target: 4,
    peers: {
      fits: ['--param', 'refit=1', '--from', '1970-01', '--to', '2020-12'],
      goal: { peer: 'scikit-learn', ratio: 0.06 },
      run: [
        ['scikit-learn', 'sklearn_walk.py', '--hidden', '10', '--epochs', '20'],
        ['pytorch', 'torch_walk.py', '--model', 'mlp', '--hidden', '10', '--epochs', '20'],
      ],
    },
  },
  {
    name: 'cli: compare --grid "nn-sma:hidden=5|10|20|50;epochs=20|50|100" --json --no-save',
    argv: ['compare', '--grid', 'nn-sma:hidden=5|10|20|50;epochs=20|50|100', '--json', '--no-save'],
    // A median of three, as the other cases: one run of about a second moves with the machine.
    runs: 3,
    peers: {
      fits: [],
      goal: { peer: 'scikit-learn', ratio: 0.04 },
      // The 12 walk-forwards of the grid, one after another in one process.
      run: [['scikit-learn', 'sklearn_walk.py', ...['5', '10', '20', '50'].flatMap((h) => ['--hidden', h]), ...['20', '50', '100'].flatMap((e) => ['--epochs', e])]],
    },
  },
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
    peers: {
      fits: ['--param', 'lookback=12', '--param', 'refit=12', '--from', '1970-01', '--to', '2020-12'],
      goal: { peer: 'pytorch', ratio: 0.5 },
      run: [['pytorch', 'torch_walk.py', '--model', 'lstm', '--units', '32', '--epochs', '20', '--optimizer', 'adam']],
    },
  },
  {
    name: 'cli: nn-sma hidden=300,100 epochs=100 refit=12',
    argv: ['--strategy', 'nn-sma', '--param', 'hidden=300,100', '--param', 'epochs=100', '--param', 'refit=12', '--from', '1970-01', '--to', '2020-12', '--json'],
    runs: 3,
    target: 12,
    peers: {
      fits: ['--param', 'refit=12', '--from', '1970-01', '--to', '2020-12'],
      goal: { peer: 'pytorch', ratio: 0.4 },
      run: [
        ['pytorch', 'torch_walk.py', '--model', 'mlp', '--hidden', '300,100', '--epochs', '100'],
        ['scikit-learn', 'sklearn_walk.py', '--hidden', '300,100', '--epochs', '100'],
      ],
    },
  },
];
for (const f of fs.existsSync(path.join(__dirname, 'cases')) ? fs.readdirSync(path.join(__dirname, 'cases')).sort() : []) {
  if (f.endsWith('.js')) cases.push({ name: `case: ${f.replace(/\.js$/, '')}`, module: path.join(__dirname, 'cases', f) });
}

/** Debian's Python, where the peers' packages (python3-sklearn, python3-torch) install; else the one on PATH. */
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Whether `module` imports in that Python (a peer whose package is missing is skipped, with a note). */
function hasModule(module) {
  return spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0;
}

/**
 * The peers of a case, timed as whole processes right after our own runs, on the very samples our
 * walk-forward fits (bench/peers/export-fits.js writes them first, untimed); one run each (they
 * take seconds to minutes). Returns each peer's time and our time's ratio to it.
 */
function timePeers(peers, ours) {
  const out = {};
  const missing = peers.run.filter(([name]) => !hasModule(name === 'pytorch' ? 'torch' : 'sklearn'));
  for (const [name] of missing)
    out[name] = { skipped: `${python} cannot import ${name === 'pytorch' ? 'torch' : 'sklearn'} (Debian: apt-get install python3-${name === 'pytorch' ? 'torch' : 'sklearn'})` };
  if (missing.length === peers.run.length) return out;
  const fits = path.join(runsDir, `fits-${process.hrtime.bigint()}.json`);
  const exported = spawnSync(process.execPath, [path.join(__dirname, 'peers', 'export-fits.js'), fits, ...peers.fits], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (exported.status !== 0) return { error: `export-fits: ${(exported.stderr || '').trim().split('\n').pop()}` };
  for (const [name, script, ...args] of peers.run) {
    if (out[name]) continue;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(python, [path.join(__dirname, 'peers', script), fits, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) {
      out[name] = { error: (r.stderr || '').trim().split('\n').pop() };
      continue;
    }
    const doc = JSON.parse(r.stdout.trim().split('\n').pop());
    const ratio = ours / seconds;
    const goal = peers.goal.peer === name ? { targetRatio: peers.goal.ratio, met: ratio <= peers.goal.ratio } : {};
    out[name] = { seconds, ratio, ...goal, fits: doc.fits };
    process.stdout.write(
      `  ${name.padEnd(12)} ${seconds.toFixed(3)} s; ours / theirs = ${ratio.toFixed(3)}${goal.targetRatio ? ` (target <= ${goal.targetRatio}${goal.met ? ', met' : ', NOT met'})` : ''}\n`,
    );
  }
  fs.rmSync(fits, { force: true });
  return out;
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
  const ours = times.length ? median(times) : null;
  const row = {
    name: c.name,
    runs: times.length,
    medianSeconds: ours,
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
  if (c.peers && ours !== null) row.peers = timePeers(c.peers, ours);
}

fs.rmSync(runsDir, { recursive: true, force: true });
const doc = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, results };
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
if (!only) fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
fs.appendFileSync(path.join(__dirname, 'results', 'history.jsonl'), `${JSON.stringify(doc)}\n`);
process.stdout.write(`cores: ${doc.cores}, node ${doc.node}; written to bench/results/${only ? 'history.jsonl' : 'latest.json'}\n`);
