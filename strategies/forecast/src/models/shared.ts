import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Samples } from '@backtest/forecast';

/**
 * The file whose default export binds the built-in models (this package's built entry,
 * dist/index.js), for worker threads to build them from. Found through the package's manifest,
 * so it is right from a bundle of the CLI, and under a test runner that maps the package to its
 * TypeScript sources (a worker thread runs plain Node, which needs the built file).
 */
export const BUILT_IN_MODULE: string | undefined = (() => {
  try {
    const entry = join(dirname(require.resolve('@backtest/strategy-forecast/package.json')), 'dist', 'index.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    // Not resolvable: every fit runs in the main thread (the same numbers).
    return undefined;
  }
})();

/** A closed-form fit's work: about rows x (inputs + 1)^2 multiply-adds, far below what a worker thread repays. */
export const closedFormWork = (_p: unknown, settings: { readonly inputs: number; readonly steps: number }, rows: number): number =>
  rows * (settings.inputs * settings.steps + 1) ** 2;

/** A row model's samples as rows x features (a row model has one step). */
export function rowsOf(x: Samples): { rows: number; cols: number; data: Float64Array } {
  return { rows: x.rows, cols: x.cols * x.steps, data: x.data };
}
