import type * as TfCore from '@tensorflow/tfjs-core';

/** The tfjs-core module's type; only types are imported at the top so nothing loads eagerly. */
export type Tf = typeof TfCore;

let loaded: Tf | undefined;

/**
 * Loads TensorFlow.js on first use. OLS users never pay for it (tfjs-core plus a backend take
 * a few hundred milliseconds to require), which is why no module of this package imports it at
 * the top. The plain CPU backend is always registered so a fit works even when `initBackend`
 * was never awaited.
 */
export function loadTf(): Tf {
  if (!loaded) {
    const tf = require('@tensorflow/tfjs-core') as Tf;
    require('@tensorflow/tfjs-backend-cpu');
    // PROD silences the "install tfjs-node to speed things up" banner: we choose and report the
    // backend ourselves, and that advice is wrong where tfjs-node cannot install.
    tf.env().set('PROD', true);
    loaded = tf;
  }
  return loaded;
}

/**
 * True once something has loaded TensorFlow.js through `loadTf`.
 * @public (lazy-load.test.ts requires this file by path in a child process)
 */
export function isTfLoaded(): boolean {
  return loaded !== undefined;
}
