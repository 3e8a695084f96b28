import { Worker } from 'node:worker_threads';
import { workerScript } from '@backtest/core/internal';
import type { PboInput, PboResult } from '@backtest/metrics';
import { type BootstrapTask, runTask } from './bootstrap-task';
import type { SharpeDiffInput, SharpeDiffTests } from './significance';

/**
 * Where a compare's resampling tests run. With more than one thread, on one worker thread, so
 * that the bootstraps of a configuration (most of a significance's time) run while the main
 * thread walks the next configuration, and the PBO while it computes the multiple testing;
 * with one, in this thread when asked for. The tests are a function of their inputs alone: the
 * same numbers either way (test/threads.test.ts).
 */
export class BootstrapPool {
  readonly #worker: Worker | undefined;
  readonly #waiting = new Map<number, { resolve: (result: never) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | undefined;

  constructor(threads: number) {
    if (threads <= 1) return;
    const worker = new Worker(workerScript(__dirname, '@backtest/api', 'compare/bootstrap-worker.js'));
    this.#worker = worker;
    worker.on('message', (m: { id: number; result?: never; error?: string }) => {
      const w = this.#waiting.get(m.id)!;
      this.#waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(`a bootstrap of the compare failed in its worker thread: ${m.error}`));
      else w.resolve(m.result!);
    });
    const fail = (e: Error): void => {
      this.#failed = e;
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
    };
    worker.on('error', (e) => fail(new Error(`the bootstrap worker thread crashed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (this.#waiting.size) fail(new Error(`the bootstrap worker thread exited (code ${code}) with ${this.#waiting.size} bootstraps unfinished`));
    });
  }

  /** The tests of `input`: started now on the worker, or computed when awaited (one thread). */
  tests(input: SharpeDiffInput): () => Promise<SharpeDiffTests> {
    return this.#run({ tests: input });
  }

  /** The PBO of `input`, as `tests` runs the bootstraps. */
  pbo(input: PboInput): () => Promise<PboResult> {
    return this.#run({ pbo: input });
  }

  #run<T>(task: BootstrapTask): () => Promise<T> {
    const worker = this.#worker;
    if (!worker) return async () => runTask(task) as T;
    if (this.#failed) {
      const failed = this.#failed;
      return () => Promise.reject(failed);
    }
    const id = this.#next++;
    const result = new Promise<T>((resolve, reject) => this.#waiting.set(id, { resolve: resolve as (result: never) => void, reject }));
    // Handled when awaited; not an unhandled rejection meanwhile.
    result.catch(() => {});
    worker.postMessage({ id, task });
    return () => result;
  }

  /** Stops the worker (after the tests asked for have been awaited, or on an error). */
  async close(): Promise<void> {
    await this.#worker?.terminate();
  }
}
