import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `script` in a fresh Node process (jest's module registry has no real require.cache) with
 * a tiny TypeScript require hook; the script calls `loaded()` to list the files required so far
 * (one list per call), and `report(value)` to hand a value back.
 */
function run(script: string): { loads: string[][]; reports: unknown[] } {
  const root = join(__dirname, '..', '..', '..');
  const hook = `
    const ts = require('typescript'); const fs = require('fs'); const Module = require('module'); const path = require('path');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@backtest\\/(core|models)$/.exec(request);
      return resolve.call(this, m ? path.join(${JSON.stringify(root)}, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
    };
    const loaded = () => console.log(JSON.stringify(Object.keys(require.cache)));
    const report = (value) => console.log('report ' + JSON.stringify(value));`;
  const out = execFileSync(process.execPath, ['-e', `${hook}\n${script}`], { cwd: join(__dirname, '..'), encoding: 'utf8' });
  const lines = out.trim().split('\n');
  return {
    loads: lines.filter((line) => line.startsWith('[')).map((line) => JSON.parse(line) as string[]),
    reports: lines.filter((line) => line.startsWith('report ')).map((line) => JSON.parse(line.slice('report '.length)) as unknown),
  };
}

const tfjsFiles = (files: string[]): string[] => files.filter((f) => f.includes('@tensorflow'));

test('requiring the package index for OLS does not load tfjs; fitting a network with the tfjs trainer does', () => {
  const [afterOls, afterNn] = run(`
    const { OlsModel, NnModel } = require('@backtest/models');
    new OlsModel().fit([[1], [2], [3], [5]], [1, 2, 2, 4]);
    loaded();
    new NnModel({ network: { inputSize: 1, layers: [{ units: 1 }] } }).fit([[1], [2]], [1, 2], { trainer: 'tfjs' });
    loaded();`).loads as [string[], string[]];
  expect(afterOls.some((f) => f.endsWith(join('models', 'src', 'ols.ts')))).toBe(true);
  expect(tfjsFiles(afterOls)).toEqual([]);
  // The probe can see tfjs when it is loaded, so the empty lists here mean something.
  expect(afterNn.some((f) => f.includes(join('@tensorflow', 'tfjs-core')))).toBe(true);
}, 30000);

test('a network trained by the SIMD kernels fits, predicts, saves, loads and predicts again without ever loading tfjs', () => {
  const { loads, reports } = run(`
    const { mkdtempSync, rmSync } = require('node:fs');
    const { join } = require('node:path');
    const { tmpdir } = require('node:os');
    const { loadModel, loadNetwork, NnModel } = require('@backtest/models');
    const { isTfLoaded } = require(${JSON.stringify(join(__dirname, 'tf.ts'))});
    const dir = mkdtempSync(join(tmpdir(), 'lazy-'));
    const x = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a, b]) => 0.5 * a - 0.3 * b);
    const up = y.map((v) => (v > 0 ? 1 : 0));
    const network = { inputSize: 2, layers: [{ units: 4, activation: 'relu' }, { units: 1 }] };
    const m = new NnModel({ network, optimizer: 'adam' });
    const fit = m.fit(x, y, { epochs: 3, validation: { x, y }, earlyStopping: { patience: 1, restoreBestWeights: true }, checkpoint: { dir: join(dir, 'best') } });
    const before = Array.from(m.predict(x));
    m.save(dir);
    m.files({ seed: 1 });
    const again = [loadNetwork(dir), loadModel(dir), loadNetwork(join(dir, 'best'))].map((l) => Array.from(l.predict(x)));
    const direction = new NnModel({ network: { inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] } });
    direction.fit(x, up, { epochs: 2, loss: 'binaryCrossentropy' });
    direction.predict(x);
    m.dispose();
    rmSync(dir, { recursive: true, force: true });
    report({ tf: isTfLoaded(), trainer: fit.trainer, backend: fit.backend, same: again.slice(0, 2).every((p) => JSON.stringify(p) === JSON.stringify(before)) });
    loaded();`);
  expect(tfjsFiles(loads[0]!)).toEqual([]);
  // The probe saw the modules that did the work.
  expect(loads[0]!.some((f) => f.endsWith(join('nn', 'simd', 'simd-predictor.ts')))).toBe(true);
  expect(reports).toEqual([{ tf: false, trainer: 'simd', backend: 'none', same: true }]);
}, 30000);
