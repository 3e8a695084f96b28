import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '@backtest/core';
import { type BackendRequest, initBackend } from '../backend';
import { faultFromDetails, NetworkDivergedError } from '../nn/fit-faults';
import { type FitJob, type FitJobResult, fitWork, runFitJob } from './fit-job';
import type { FromWorker, ToWorker } from './messages';

export interface FitPoolOptions {
  /** Worker threads; 1 (or a single job) runs every job in this thread, with no worker. */
  readonly threads: number;
  /** Backend every thread initialises before its first job. @default 'auto' */
  readonly backend?: BackendRequest;
  /** Called as each job finishes (in completion order, for progress bars only). */
  readonly onResult?: (index: number, result: FitJobResult) => void;
}

/**
 * Runs independent network fits, on `threads` worker threads when more than one, and returns
 * the results in job order. Each job carries its own seed and data and each thread initialises
 * the same backend, so the results are the same for every thread count and schedule.
 * Workers are terminated before this returns or throws; a failure in one (a bad job, a backend
 * that does not load, a crash) rejects with an error that names the fit. When several fits fail,
 * the error is the first one's in job order, on every thread count (the fits before it are run
 * to the end first), and a fit fault (`NetworkDivergedError` with `details.fit` the job's index,
 * `NetworkTooLargeError`) is the same error here and on a worker.
 */
export async function fitNetworks(jobs: readonly FitJob[], options: FitPoolOptions): Promise<FitJobResult[]> {
  const backend = options.backend ?? 'auto';
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new UserError(`threads must be a positive integer, got ${options.threads}`);
  const threads = Math.min(options.threads, jobs.length);
  if (threads <= 1) {
    await initBackend(backend);
    return jobs.map((job, index) => {
      let result: FitJobResult;
      try {
        result = runFitJob(job);
      } catch (e) {
        throw e instanceof NetworkDivergedError ? e.withContext({ fit: index }) : e;
      }
      options.onResult?.(index, result);
      return result;
    });
  }
  return runOnWorkers(jobs, threads, backend, options.onResult);
}

/** dist/pool/fit-worker.js, found beside this file or (when this code is bundled elsewhere) in the package. */
export function fitWorkerPath(): string {
  const beside = join(__dirname, 'fit-worker.js');
  if (existsSync(beside)) return beside;
  const inPackage = join(dirname(require.resolve('@backtest/models/package.json')), 'dist', 'pool', 'fit-worker.js');
  if (existsSync(inPackage)) return inPackage;
  throw new Error(`the fit worker script was not found at ${inPackage}: build @backtest/models (npx turbo run build)`);
}

/** Largest first, so the last jobs to finish are short ones and the threads end together. */
function scheduleOrder(jobs: readonly FitJob[]): number[] {
  const cost = jobs.map(fitWork);
  return jobs.map((_, i) => i).sort((a, b) => (cost[b] as number) - (cost[a] as number) || a - b);
}

function runOnWorkers(jobs: readonly FitJob[], threads: number, backend: BackendRequest, onResult?: (index: number, result: FitJobResult) => void): Promise<FitJobResult[]> {
  const path = fitWorkerPath();
  const order = scheduleOrder(jobs);
  const results: (FitJobResult | undefined)[] = new Array(jobs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  /** Jobs finished, with a result or an error; and the failed job first in job order. */
  const ended = new Array<boolean>(jobs.length).fill(false);
  let failed: { index: number; error: Error } | undefined;
  return new Promise<FitJobResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      // Terminate before settling, so no thread outlives the call and the process can exit.
      void Promise.all(workers.map((w) => w.terminate())).then(() => (err ? reject(err) : resolve(results as FitJobResult[])));
    };
    /** After a failure, only the jobs before it in job order still run: the first failure is the one reported. */
    const settleIfFailed = (): void => {
      if (failed && ended.slice(0, failed.index).every(Boolean)) finish(failed.error);
    };
    const dispatch = (worker: Worker): void => {
      while (next < order.length) {
        const index = order[next++] as number;
        if (failed && index > failed.index) continue;
        worker.postMessage({ type: 'job', index, job: jobs[index] as FitJob } satisfies ToWorker);
        return;
      }
    };
    const jobFailed = (index: number, error: Error, worker: Worker): void => {
      ended[index] = true;
      if (!failed || index < failed.index) failed = { index, error };
      settleIfFailed();
      if (!settled) dispatch(worker);
    };
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(path);
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        if (message.type === 'ready') dispatch(worker);
        else if (message.type === 'result') {
          results[message.index] = message.result;
          ended[message.index] = true;
          onResult?.(message.index, message.result);
          if (++done === jobs.length) finish();
          else if (failed) {
            settleIfFailed();
            if (!settled) dispatch(worker);
          } else dispatch(worker);
        } else if (message.fault && message.index !== undefined) {
          const fault = faultFromDetails(message.fault);
          jobFailed(message.index, fault instanceof NetworkDivergedError ? fault.withContext({ fit: message.index }) : fault, worker);
        } else {
          const where = message.index === undefined ? `worker thread ${t + 1} could not start` : `network fit ${message.index + 1} of ${jobs.length} failed in worker thread ${t + 1}`;
          const text = `${where}: ${message.message}`;
          const user = message.name === 'UserError' || message.exitCode === 2;
          const err = user ? new UserError(text) : new Error(text);
          if (!user && message.stack) err.stack = `${text}\n-- in the worker --\n${message.stack}`;
          if (message.index === undefined) finish(err);
          else jobFailed(message.index, err, worker);
        }
      });
      worker.on('error', (err) => finish(new Error(`fit worker thread ${t + 1} crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`fit worker thread ${t + 1} exited (code ${code}) with ${jobs.length - done} fits unfinished`));
      });
      worker.postMessage({ type: 'init', backend } satisfies ToWorker);
    }
  });
}
