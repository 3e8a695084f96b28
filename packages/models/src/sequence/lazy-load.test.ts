import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * In a fresh Node process (jest's module registry has no real require.cache), with a tiny
 * TypeScript require hook: requiring the package and configuring a SequenceNet loads no
 * TensorFlow.js; the first fit loads tfjs-core and tfjs-layers.
 */
test('requiring @backtest/models and constructing a SequenceNet loads no tfjs; fitting loads tfjs-layers', () => {
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
    const net = new SequenceNet({ architecture: 'lstm', units: 2, steps: 3, inputs: 1 });
    const before = tfjs();
    net.fit({ rows: 4, steps: 3, cols: 1, data: Float64Array.from({ length: 12 }, (_, i) => i / 12) }, Float64Array.from([0, 1, 0, 1]));
    console.log(JSON.stringify({ before, after: tfjs() }));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
  const { before, after } = JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop() as string,
  ) as { before: string[]; after: string[] };
  expect(before).toEqual([]);
  expect(after.some((f) => f.includes(join('@tensorflow', 'tfjs-layers')))).toBe(true);
}, 30000);
