import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * In a fresh Node process (jest's module registry has no real require.cache), with a tiny
 * TypeScript require hook: requiring the package and configuring a SequenceNet loads no
 * TensorFlow.js; the first fit loads tfjs-core and tfjs-layers.
 */
test('requiring @backtest/models, constructing a SequenceNet and fitting an LSTM on the SIMD kernels load no tfjs; fitting on TensorFlow.js loads tfjs-layers', () => {
  const root = join(__dirname, '..', '..', '..', '..');
  const script = `
    const ts = require('typescript'); const fs = require('fs'); const Module = require('module'); const path = require('path');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@backtest\\/(core|models|metrics)$/.exec(request);
      return resolve.call(this, m ? path.join(${JSON.stringify(root)}, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
    };
    const tfjs = () => Object.keys(require.cache).filter((f) => f.includes('@tensorflow'));
    const { SequenceNet } = require('@backtest/models');
    const samples = { rows: 4, steps: 3, cols: 1, data: Float64Array.from({ length: 12 }, (_, i) => i / 12) };
    // An LSTM on the SIMD kernels (the default for a price) fits and predicts with no TensorFlow.js at all.
    const simd = new SequenceNet({ architecture: 'lstm', units: 2, steps: 3, inputs: 1 });
    simd.fit(samples, Float64Array.from([0, 1, 0, 1]));
    simd.predict(samples);
    const afterSimd = tfjs();
    const net = new SequenceNet({ architecture: 'lstm', trainer: 'tfjs', units: 2, steps: 3, inputs: 1 });
    const before = tfjs();
    net.fit(samples, Float64Array.from([0, 1, 0, 1]));
    console.log(JSON.stringify({ afterSimd, before, after: tfjs() }));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
  const { afterSimd, before, after } = JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop() as string,
  ) as { afterSimd: string[]; before: string[]; after: string[] };
  expect(afterSimd).toEqual([]);
  expect(before).toEqual([]);
  expect(after.some((f) => f.includes(join('@tensorflow', 'tfjs-layers')))).toBe(true);
}, 30000);
