#!/usr/bin/env node
// Throughput of a sweep on a queue: a 24-configuration grid (`compare --queue`) on 1, 2 and 3
// `backtest worker` processes over a Redis of its own (Debian's redis-server), against the same
// compare in one process. Prints jobs per second and writes bench/results/queue-throughput.json.
// Usage: node bench/queue-throughput.js (needs redis-server; skipped with a note without it).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'packages/cli/bin/backtest.js');
/** 24 configurations each: light (the defaults' 36 fits a walk, ~50 ms) and heavy (refit every month 1970-2020: 359 fits a walk, ~0.5 s). */
const GRIDS = {
  light: ['compare', '--grid', 'nn-sma:hidden=4|8|16|32;epochs=20|50;window=6|10|14', '--strategies', '', '--json', '--no-save'],
  heavy: ['compare', '--grid', 'nn-sma:hidden=4|8|16|32;epochs=20|50;window=6|10|14;refit=1', '--strategies', '', '--from', '1970-01', '--to', '2020-12', '--json', '--no-save'],
};
const WARM_UP = ['compare', '--grid', 'nn-sma:hidden=2|3|4|5|6|7;epochs=1', '--strategies', '', '--json', '--no-save'];

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitForLine(child, pattern) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      buffer += c;
      if (pattern.test(buffer)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}`)));
  });
}

function timed(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`backtest ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, stdout: r.stdout };
}

async function main() {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.log('queue-throughput: redis-server is not installed (apt-get install redis-server): skipped');
    return;
  }
  const results = {};
  for (const [name, grid] of Object.entries(GRIDS)) {
    const local = timed(grid);
    const jobs = JSON.parse(local.stdout).configurations.length;
    console.log(`${name} grid, compare in one process: ${jobs} jobs in ${local.seconds.toFixed(2)} s (${(jobs / local.seconds).toFixed(1)} jobs/s)`);
    results[name] = { jobs, local: { seconds: local.seconds }, workers: {} };
    for (const n of [1, 2, 3]) {
      const port = await freePort();
      const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      await waitForLine(redis, /Ready to accept connections/);
      const url = `redis://127.0.0.1:${port}`;
      const workers = Array.from({ length: n }, () => spawn(process.execPath, [bin, 'worker', '--queue', url], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }));
      await Promise.all(workers.map((w) => waitForLine(w, /taking jobs/)));
      // Each worker's sandboxed child loads the tool at its first job: a sweep of small jobs first.
      timed([...WARM_UP, '--queue', url]);
      const run = timed([...grid, '--queue', url]);
      if (run.stdout !== local.stdout) throw new Error(`the ${name} sweep on ${n} workers differs from the local compare`);
      console.log(`  ${n} worker${n > 1 ? 's' : ' '}: ${jobs} jobs in ${run.seconds.toFixed(2)} s (${(jobs / run.seconds).toFixed(1)} jobs/s), the same document`);
      results[name].workers[n] = { seconds: run.seconds, jobsPerSecond: jobs / run.seconds };
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
      redis.kill('SIGTERM');
      await new Promise((r) => redis.once('exit', r));
    }
  }
  fs.writeFileSync(
    path.join(__dirname, 'results', 'queue-throughput.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cores: require('node:os').availableParallelism(), grids: results }, null, 2)}\n`,
  );
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
