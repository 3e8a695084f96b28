import { dirname, join, sep } from 'node:path';
import { UserError } from '@backtest/core';
import { loadTf } from './tf';

/** What a user may ask for; 'auto' takes the fastest that loads. */
export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
/** What actually runs: 'tensorflow' is the native binding of @tensorflow/tfjs-node. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/**
 * Selects the TensorFlow.js backend and returns the one in use. 'auto' tries the native
 * @tensorflow/tfjs-node (optional: its install downloads libtensorflow, which fails offline),
 * then WebAssembly, then plain JavaScript. Asking for a specific backend that cannot load is a
 * `UserError` that says what is missing and how to get it, never a silent fallback.
 */
export async function initBackend(requested: BackendRequest = 'auto'): Promise<BackendName> {
  if (!BACKEND_REQUESTS.includes(requested)) {
    throw new UserError(`unknown backend "${String(requested)}": choose one of ${BACKEND_REQUESTS.join(', ')}`);
  }
  const order: BackendName[] = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  const failures: string[] = [];
  for (const name of order) {
    const problem = await tryBackend(name);
    if (problem === undefined) return name;
    failures.push(problem);
  }
  throw new UserError(failures.join('\n'));
}

/** Returns undefined when `name` is now the active backend, else why it is not. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  const tf = loadTf();
  if (name === 'tensorflow') {
    try {
      require('@tensorflow/tfjs-node');
    } catch (err) {
      return (
        `backend "tensorflow" needs the optional package @tensorflow/tfjs-node, which did not load ` +
        `(${firstLine(err)}). Install it with \`npm install @tensorflow/tfjs-node\` on a machine that can ` +
        `download libtensorflow, or choose --backend wasm or cpu.`
      );
    }
    if (tf.findBackend('tensorflow') === null) {
      return (
        'backend "tensorflow": @tensorflow/tfjs-node loaded but registered itself with a different copy of ' +
        '@tensorflow/tfjs-core; install versions that share one tfjs-core (npm ls @tensorflow/tfjs-core).'
      );
    }
  } else if (name === 'wasm') {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      // A file path, not a URL: in Node the loader reads the .wasm binaries with fs. Pointing at
      // the package's own dist keeps that working when this module is bundled elsewhere.
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
      wasm.setWasmPaths(dist);
    } catch (err) {
      return `backend "wasm" needs @tensorflow/tfjs-backend-wasm, which did not load (${firstLine(err)}); run \`npm install\`.`;
    }
  }
  let ok = false;
  let reason = '';
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    reason = ` (${firstLine(err)})`;
  }
  return ok ? undefined : `backend "${name}" failed to initialise${reason}`;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}
