/** Cheap strategies never load TensorFlow.js: the rule path stays fast and works without it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, root, runsDir } from './helpers';

const hook = path.join(mkdtempSync(path.join(tmpdir(), 'bt-hook-')), 'record-tf.js');
writeFileSync(
  hook,
  `const M = require('module'); const load = M._load; const seen = new Set();
   M._load = function (request, ...rest) { if (String(request).includes('@tensorflow')) seen.add(String(request)); return load.call(this, request, ...rest); };
   process.on('exit', () => process.stderr.write('TF:' + JSON.stringify([...seen]) + '\\n'));`,
);

function tensorflowModules(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--require', hook, bin, ...args, '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, BACKTEST_RUNS_DIR: runsDir } });
  expect(r.status).toBe(0);
  const line = r.stderr.split('\n').find((l) => l.startsWith('TF:'))!;
  return JSON.parse(line.slice(3)) as string[];
}

describe('TensorFlow.js loads only for models that train on it', () => {
  it.each([['sma'], ['buy-and-hold'], ['ols-sma']])('%s does not load it', (id) => {
    expect(tensorflowModules(['--strategy', id])).toEqual([]);
  });
  it('nn-sma does not either: the SIMD kernels train and predict its networks', () => {
    expect(tensorflowModules(['--strategy', 'nn-sma', '--param', 'epochs=1', '--from', '1985-01', '--to', '1995-12'])).toEqual([]);
  });
  const small = ['--strategy', 'forecast', '--param', 'units=2', '--param', 'epochs=1', '--from', '1985-01', '--to', '1995-12'];
  it.each([['lstm'], ['gru']])('nor a %s learning a price, which the SIMD kernels train too', (model) => {
    expect(tensorflowModules([...small, '--param', `model=${model}`])).toEqual([]);
  });
  it('a 1-D convolution does (so the checks above can fail), and so do the LSTM and the dense network checked with trainer=tfjs', () => {
    expect(tensorflowModules([...small, '--param', 'model=conv1d', '--param', 'kernelSize=2', '--param', 'lookback=4']).length).toBeGreaterThan(0);
    expect(tensorflowModules([...small, '--param', 'model=lstm', '--param', 'trainer=tfjs']).length).toBeGreaterThan(0);
    expect(tensorflowModules(['--strategy', 'nn-sma', '--param', 'trainer=tfjs', '--param', 'epochs=1', '--from', '1985-01', '--to', '1995-12']).length).toBeGreaterThan(0);
  });
});
