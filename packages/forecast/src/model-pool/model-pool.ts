import { Worker } from 'node:worker_threads';
import { UserError } from '@backtest/core';
import { workerScript } from '@backtest/core/internal';
import { NetworkDivergedError } from '@backtest/models';
import { faultFromDetails } from '@backtest/models/internal';
import type { ModelPlugin } from '../model-plugin';
import { type ModelJob, type ModelJobResult, runModelUnit } from './model-job';
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
  const units = lockstepUnits(jobs, options.plugin);
  const threads = Math.min(options.threads, units.length);
  if (threads > 1) return runOnWorkers(jobs, units, threads, options);
  const results: ModelJobResult[] = new Array(jobs.length);
  const failures = new FirstFailure(jobs.length);
  for (const unit of units) {
    const outcomes = await runModelUnit(
      unit.map((i) => jobs[i]!),
      options.plugin,
    );
    outcomes.forEach((o, k) => {
      const index = unit[k]!;
      if (o.status === 'fulfilled') {
        results[index] = o.value;
        options.onResult?.(index, o.value);
      }
      failures.ended(index, o.status === 'rejected' ? o.reason : undefined);
    });
    const first = failures.settled();
    if (first) throw first.error;
  }
  return results;
}

/**
 * The jobs in units of work: fits the plugin trains together (its `lockstep`: equal keys, at
 * most `size`, in job order), else one job each; units in the order of their first job. The
 * units depend on the jobs alone, not on the thread count.
 */
function lockstepUnits(jobs: readonly ModelJob[], plugin: ModelPlugin): number[][] {
  const lockstep = plugin.lockstep;
  if (!lockstep) return jobs.map((_, i) => [i]);
  const units: number[][] = [];
  const open = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    const key = lockstep.key(job.model.params as never, job.settings);
    if (key === undefined) {
      units.push([i]);
      return;
    }
    let unit = open.get(key);
    if (!unit) {
      unit = [];
      units.push(unit);
      open.set(key, unit);
    }
    unit.push(i);
    if (unit.length >= lockstep.size) open.delete(key);
  });
  return units;
}

/**
 * The failure a run reports: the first in job order, once every job before it has ended (so a
 * run on any number of threads, or units, reports the same one).
 */
class FirstFailure {
  readonly #ended: boolean[];
  first: { index: number; error: unknown } | undefined;

  constructor(jobs: number) {
    this.#ended = new Array<boolean>(jobs).fill(false);
  }

  ended(index: number, error?: unknown): void {
    this.#ended[index] = true;
    if (error !== undefined && (!this.first || index < this.first.index)) this.first = { index, error };
  }

  /** The failure to report now, if every job before it has ended. */
  settled(): { index: number; error: unknown } | undefined {
    const f = this.first;
    return f && this.#ended.slice(0, f.index).every(Boolean) ? f : undefined;
  }
}

function runOnWorkers(jobs: readonly ModelJob[], units: readonly number[][], threads: number, options: ModelPoolOptions): Promise<ModelJobResult[]> {
  // dist/model-pool/model-worker.js (the pool starts it by path: a bundle of the CLI need not contain it).
  const path = workerScript(__dirname, '@backtest/forecast', 'model-pool/model-worker.js');
  // Largest first, so the last units to finish are short ones and the threads end together.
  const cost = jobs.map(options.work ?? ((job) => job.x.rows));
  const unitCost = units.map((u) => u.reduce((sum, i) => sum + cost[i]!, 0));
  const order = units.map((_, u) => u).sort((a, b) => unitCost[b]! - unitCost[a]! || a - b);
  const results: (ModelJobResult | undefined)[] = new Array(jobs.length);
  const workers: Worker[] = [];
  /** Jobs of each worker's current unit not yet ended. */
  const running = new Map<Worker, number>();
  let next = 0;
  let done = 0;
  const failures = new FirstFailure(jobs.length);
  return new Promise<ModelJobResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      // Terminate before settling, so no thread outlives the call and the process can exit.
      void Promise.all(workers.map((w) => w.terminate())).then(() => (err !== undefined ? reject(err) : resolve(results as ModelJobResult[])));
    };
    const dispatch = (worker: Worker): void => {
      while (next < order.length) {
        const unit = units[order[next++]!]!;
        // After a failure, only the jobs before it in job order still run: the first failure is the one reported.
        if (failures.first && unit[0]! > failures.first.index) continue;
        running.set(worker, unit.length);
        worker.postMessage({ type: 'unit', indices: unit, jobs: unit.map((i) => jobs[i]!) } satisfies ToWorker);
        return;
      }
    };
    const jobEnded = (index: number, worker: Worker, error?: unknown): void => {
      failures.ended(index, error);
      if (error === undefined && ++done === jobs.length) {
        finish();
        return;
      }
      const first = failures.settled();
      if (first) {
        finish(first.error);
        return;
      }
      const left = (running.get(worker) ?? 1) - 1;
      running.set(worker, left);
      if (left === 0) dispatch(worker);
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
