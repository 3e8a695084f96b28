import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '@backtest/core';
import { NetworkDivergedError } from '@backtest/models';
import { faultFromDetails } from '@backtest/models/internal';
import type { ModelPlugin } from '../model-plugin';
import { type ModelJob, type ModelJobResult, runModelJob } from './model-job';
import type { FromWorker, ToWorker } from './messages';

export interface ModelPoolOptions {
  /** Worker threads; 1 (or a single job) runs every job in this thread, with no worker. */
  readonly threads: number;
  /** The plugin of a job, in this thread (workers build theirs from `job.model.module`). */
  readonly plugin: ModelPlugin;
  /** Called as each job finishes (in completion order, for progress bars only). */
  readonly onResult?: (index: number, result: ModelJobResult) => void;
  /** Each job's estimated work, to hand the largest out first (default: by training samples). */
  readonly work?: (job: ModelJob) => number;
}

/**
 * Runs independent model fits, on `threads` worker threads when more than one, and returns the
 * results in job order. Each job carries its own seed and data, so the results are the same for
 * every thread count and schedule. Workers are terminated before this returns or throws; a
 * failure in one (a bad job, a crash) rejects with an error that names the fit. When several
 * fits fail, the error is the first one's in job order, on every thread count (the fits before
 * it run to the end first), and a fit fault (`NetworkDivergedError`, `NetworkTooLargeError`) is
 * the same error here and on a worker.
 */
export async function runModelJobs(jobs: readonly ModelJob[], options: ModelPoolOptions): Promise<ModelJobResult[]> {
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new UserError(`threads must be a positive integer, got ${options.threads}`);
  const threads = Math.min(options.threads, jobs.length);
  if (threads <= 1) {
    const results: ModelJobResult[] = [];
    for (const [index, job] of jobs.entries()) {
      const result = await runModelJob(job, options.plugin);
      options.onResult?.(index, result);
      results.push(result);
    }
    return results;
  }
  return runOnWorkers(jobs, threads, options);
}

/** dist/model-pool/model-worker.js, found beside this file or (when this code is bundled elsewhere) in the package. */
function modelWorkerPath(): string {
  const beside = join(__dirname, 'model-worker.js');
  if (existsSync(beside)) return beside;
  const inPackage = join(dirname(require.resolve('@backtest/forecast/package.json')), 'dist', 'model-pool', 'model-worker.js');
  if (existsSync(inPackage)) return inPackage;
  throw new Error(`the model worker script was not found at ${inPackage}: build @backtest/forecast (npx turbo run build)`);
}

function runOnWorkers(jobs: readonly ModelJob[], threads: number, options: ModelPoolOptions): Promise<ModelJobResult[]> {
  const path = modelWorkerPath();
  // Largest first, so the last jobs to finish are short ones and the threads end together.
  const cost = jobs.map(options.work ?? ((job) => job.x.rows));
  const order = jobs.map((_, i) => i).sort((a, b) => cost[b]! - cost[a]! || a - b);
  const results: (ModelJobResult | undefined)[] = new Array(jobs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  /** Jobs finished, with a result or an error; and the failed job first in job order. */
  const ended = new Array<boolean>(jobs.length).fill(false);
  let failed: { index: number; error: Error } | undefined;
  return new Promise<ModelJobResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      // Terminate before settling, so no thread outlives the call and the process can exit.
      void Promise.all(workers.map((w) => w.terminate())).then(() => (err ? reject(err) : resolve(results as ModelJobResult[])));
    };
    /** After a failure, only the jobs before it in job order still run: the first failure is the one reported. */
    const settleIfFailed = (): void => {
      if (failed && ended.slice(0, failed.index).every(Boolean)) finish(failed.error);
    };
    const dispatch = (worker: Worker): void => {
      while (next < order.length) {
        const index = order[next++]!;
        if (failed && index > failed.index) continue;
        worker.postMessage({ type: 'job', index, job: jobs[index]! } satisfies ToWorker);
        return;
      }
    };
    const jobEnded = (index: number, worker: Worker, error?: Error): void => {
      ended[index] = true;
      if (error && (!failed || index < failed.index)) failed = { index, error };
      if (!error && ++done === jobs.length) {
        finish();
        return;
      }
      settleIfFailed();
      if (!settled) dispatch(worker);
    };
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(path);
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        if (message.type === 'result') {
          results[message.index] = message.result;
          options.onResult?.(message.index, message.result);
          return jobEnded(message.index, worker);
        }
        const fit = jobs[message.index]!.settings.fit;
        let err: Error;
        if (message.fault) {
          const fault = faultFromDetails(message.fault);
          err = fault instanceof NetworkDivergedError ? fault.withContext({ fit }) : fault;
        } else {
          const user = message.name === 'UserError' || message.exitCode === 2;
          // A user error already says what is wrong and where (runModelJob names the fit): as on one thread.
          const text = user ? message.message : `model fit ${fit} failed in worker thread ${t + 1}: ${message.message}`;
          err = user ? new UserError(text) : new Error(text);
          if (!user && message.stack) err.stack = `${text}\n-- in the worker --\n${message.stack}`;
        }
        jobEnded(message.index, worker, err);
      });
      worker.on('error', (err) => finish(new Error(`model worker thread ${t + 1} crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`model worker thread ${t + 1} exited (code ${code}) with ${jobs.length - done} fits unfinished`));
      });
      dispatch(worker);
    }
  });
}
