import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `script` in a fresh Node process (jest's module registry has no real require.cache) with
 * a tiny TypeScript require hook; the script calls `loaded()` to list the files required so far.
 */
function run(script: string): string[][] {
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
    const loaded = () => console.log(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['-e', `${hook}\n${script}`], { cwd: join(__dirname, '..'), encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map((line) => JSON.parse(line) as string[]);
}

test('requiring the package index for OLS does not load tfjs; fitting a network does', () => {
  const [afterOls, afterNn] = run(`
    const { OlsModel, NnModel } = require('@backtest/models');
    new OlsModel().fit([[1], [2], [3], [5]], [1, 2, 2, 4]);
    loaded();
    new NnModel({ network: { inputSize: 1, layers: [{ units: 1 }] } }).fit([[1], [2]], [1, 2]);
    loaded();`) as [string[], string[]];
  expect(afterOls.some((f) => f.endsWith(join('models', 'src', 'ols.ts')))).toBe(true);
  expect(afterOls.filter((f) => f.includes('@tensorflow'))).toEqual([]);
  // The probe can see tfjs when it is loaded, so the empty list above means something.
  expect(afterNn.some((f) => f.includes(join('@tensorflow', 'tfjs-core')))).toBe(true);
}, 30000);
