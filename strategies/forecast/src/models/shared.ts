import type { Samples } from '@backtest/forecast';

/**
 * The file whose default export binds the built-in models (this package's entry), for worker
 * threads to build them from. Resolved through the package name, so it is right from a bundle of
 * the CLI as from this package.
 */
export const BUILT_IN_MODULE: string | undefined = (() => {
  try {
    return require.resolve('@backtest/strategy-forecast');
  } catch {
    // Not resolvable (e.g. the package's own tests before it is built): fits run in the main thread.
    return undefined;
  }
})();

/** A row model's samples as rows x features (a row model has one step). */
export function rowsOf(x: Samples): { rows: number; cols: number; data: Float64Array } {
  return { rows: x.rows, cols: x.cols * x.steps, data: x.data };
}
