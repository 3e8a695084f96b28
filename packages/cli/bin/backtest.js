#!/usr/bin/env node
'use strict';
// The command starts from one bundled file when the build made one: resolving and compiling the
// ~600 small modules of its dependencies one by one costs more than the whole sma backtest.
// The bundle's compiled code is cached beside it (V8 code cache, as Node 22's compile cache
// does), so later starts skip most of the compilation; a stale or foreign cache is rejected by
// V8 and rewritten.
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
const bundled = path.join(dist, 'backtest.bundle.js');

function runBundle() {
  const vm = require('node:vm');
  const Module = require('node:module');
  // The bundle starts with the entry's shebang, which only a file run by node itself may have.
  const source = fs.readFileSync(bundled, 'utf8').replace(/^#!/, '//');
  // V8 checks a cache against the source's length, not its content: the name carries a hash of
  // the content, so a rebuilt bundle never meets an old cache.
  const hash = require('node:crypto').createHash('sha1').update(source).update(process.version).digest('hex').slice(0, 16);
  const cacheFile = path.join(dist, `backtest.bundle.${hash}.cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundled, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when the process ends, so the cache holds the functions this run compiled.
    process.once('exit', () => {
      try {
        // An exclusive, unpredictable temporary name: a link planted in dist/ is never followed.
        const tmp = path.join(dist, `.${path.basename(cacheFile)}.${require('node:crypto').randomBytes(16).toString('hex')}.tmp`);
        fs.writeFileSync(tmp, script.createCachedData(), { flag: 'wx' });
        fs.renameSync(tmp, cacheFile);
        for (const f of fs.readdirSync(dist)) {
          if (/^backtest\.bundle\.[0-9a-f]{16}\.cache$/.test(f) && path.join(dist, f) !== cacheFile) fs.rmSync(path.join(dist, f), { force: true });
        }
      } catch {
        // A read-only install just starts without the cache.
      }
    });
  }
  const bundleModule = new Module(bundled, module);
  bundleModule.filename = bundled;
  bundleModule.paths = Module._nodeModulePaths(dist);
  const bundleRequire = Module.createRequire(bundled);
  script.runInThisContext()(bundleModule.exports, bundleRequire, bundleModule, bundled, dist);
}

if (fs.existsSync(bundled)) runBundle();
else require(path.join(dist, 'bin.js'));
