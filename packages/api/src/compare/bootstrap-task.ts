import { type PboInput, type PboResult, pbo } from '@backtest/metrics';
import { type SharpeDiffInput, type SharpeDiffTests, sharpeDiffTests } from './significance';

// A module of its own, with the statistics only: the bootstrap worker loads it (and not the
// pool, which would bring the core package and its container) at its start.

/** A task of the bootstrap pool's worker: a configuration's bootstraps, or the compare's PBO. */
export type BootstrapTask = { readonly tests: SharpeDiffInput } | { readonly pbo: PboInput };

/** What the worker computes for a task (bootstrap-worker.ts), and the main thread without one. */
export function runTask(task: BootstrapTask): SharpeDiffTests | PboResult {
  return 'tests' in task ? sharpeDiffTests(task.tests) : pbo(task.pbo);
}
