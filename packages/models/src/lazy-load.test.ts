import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Requires the package index in a fresh Node process (jest's own module registry has no real
 * require.cache) with a tiny TypeScript require hook, then lists what got loaded.
 */
function loadedModules(script: string): string[] {
  const root = join(__dirname, '..', '..', '..');
  const hook = `
    const ts = require('typescript'); const fs = require('fs'); const Module = require('module'); const path = require('path');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const m = /^@backtest\\/(core|models)$/.exec(request);
      return resolve.call(this, m ? path.join(${JSON.stringify(root)}, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
    };`;
  const out = execFileSync(process.execPath, ['-e', `${hook}\n${script}\nconsole.log(JSON.stringify(Object.keys(require.cache)));`], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as string[];
}

describe('lazy TensorFlow loading', () => {
  test('requiring the package index for OLS does not load tfjs', () => {
    const loaded = loadedModules(`
      const { OlsModel } = require('@backtest/models');
      new OlsModel().fit([[1], [2], [3], [5]], [1, 2, 2, 4]);`);
    expect(loaded.some((f) => f.endsWith(join('models', 'src', 'ols.ts')))).toBe(true);
    expect(loaded.filter((f) => f.includes('@tensorflow'))).toEqual([]);
  });

  test('fitting a network does load tfjs-core (so the check above can see it)', () => {
    const loaded = loadedModules(`
      const { NnModel } = require('@backtest/models');
      new NnModel({ network: { inputSize: 1, layers: [{ units: 1 }] } }).fit([[1], [2]], [1, 2]);`);
    expect(loaded.some((f) => f.includes(join('@tensorflow', 'tfjs-core')))).toBe(true);
  }, 20000);
});
