import { UserError } from '@backtest/core';
import { type BackendRequest, initBackend } from '../backend';
import { checkFitSize, NetworkDivergedError } from '../nn/fit-faults';
import { networkFiles, NnModel, type NnFitOptions, type Trainer } from '../nn/nn-model';
import type { ModelFiles } from '../model';
import { type NetworkSpec, type OptimizerSpec, type ResolvedNetwork, type ResolvedOptimizer, resolveNetwork, resolveOptimizer } from '../nn/spec';
import { type FitJob, type FitJobResult, fitWork, type PackedRows } from './fit-job';
import { fitNetworks } from './fit-pool';

/**
 * Walk-forwards with more work than this (weight-row-epochs, summed over the fits) train on
 * worker threads when threads > 1: about 1.5 s of SIMD training on one core here. A worker
 * spends ~0.3-0.5 s loading TensorFlow.js (which predicts), so less work runs faster in-process.
 * The environment variable BACKTEST_WORKER_MIN_WORK overrides it (0: workers whenever threads > 1).
 */
export const WORKER_MIN_WORK = 4e9;

/** Threads for these fits: `threads` if their work is above the threshold, else 1 (in-process). */
export function threadsFor(jobs: readonly FitJob[], threads: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['BACKTEST_WORKER_MIN_WORK'];
  const min = raw === undefined || raw === '' ? WORKER_MIN_WORK : Number(raw);
  if (!(min >= 0)) throw new UserError(`BACKTEST_WORKER_MIN_WORK must be a number >= 0, got "${raw}"`);
  return jobs.reduce((sum, job) => sum + fitWork(job), 0) > min ? threads : 1;
}

/** A fit of `nnForecaster().fitBatch`: the pool's result, with the fitted network as files when kept. */
export type NnBatchResult = Omit<FitJobResult, 'weights'> & { readonly model?: { readonly kind: 'nn'; readonly files: ModelFiles } };

export interface NnForecasterOptions {
  readonly network: NetworkSpec;
  readonly optimizer: OptimizerSpec | 'sgd' | 'adam';
  readonly epochs: number;
  readonly batchSize: number;
  /** Early stopping patience in epochs, best weights restored; 0 = off. */
  readonly patience: number;
  /** Fraction of the latest training rows held out to monitor early stopping. */
  readonly validation: number;
  /** Training loop: the SIMD kernels ('auto', the default), the fused JavaScript pass, or TensorFlow.js kernels. */
  readonly trainer?: 'auto' | Trainer;
  /** The run's seed: fit i is seeded with seed + i. */
  readonly seed: number;
  readonly threads: number;
  readonly backend: BackendRequest;
}

/**
 * The walk-forward network of the forecast strategies, in both shapes the forecast building
 * block takes: one regressor per fit (sequential) and every fit at once on the fit pool
 * (`fitBatch`). Both build a fit from the same `jobFor`, so they train identical networks.
 *
 * A network too big for one fit's memory (`NetworkTooLargeError`) is refused here, before any
 * fit, and again with each fit's batch before it runs; a fit that diverges throws a
 * `NetworkDivergedError` whose `details.fit` is the fit's number, on either path.
 */
export function nnForecaster(o: NnForecasterOptions) {
  let backend = '';
  let trainer = '';
  const optimizerName = typeof o.optimizer === 'string' ? o.optimizer : o.optimizer.name;
  const sizeOf = (batchRows: number) =>
    checkFitSize(o.network, { optimizer: optimizerName === 'adam' ? 'adam' : 'sgd', batchRows, earlyStopping: o.patience > 0 });
  sizeOf(0);
  /** A fit's fault with the fit's number; other errors unchanged. */
  const named = (e: unknown, fit: number): unknown => (e instanceof NetworkDivergedError ? e.withContext({ fit }) : e);

  /** Fit `fit` on (x, y): the latest `validation` fraction of rows held out, as Keras' validation_split does. */
  function jobFor(fit: number, x: PackedRows, y: Float64Array, predict: PackedRows, keepWeights = false): FitJob {
    const nVal = Math.floor(y.length * o.validation);
    const nTrain = y.length - nVal;
    return {
      network: o.network,
      optimizer: o.optimizer,
      x: { rows: nTrain, cols: x.cols, data: x.data.subarray(0, nTrain * x.cols) },
      y: y.subarray(0, nTrain),
      ...(nVal > 0 ? { validation: { x: { rows: nVal, cols: x.cols, data: x.data.subarray(nTrain * x.cols) }, y: y.subarray(nTrain) } } : {}),
      options: {
        epochs: o.epochs,
        batchSize: o.batchSize,
        ...(o.trainer && o.trainer !== 'auto' ? { trainer: o.trainer } : {}),
        ...(o.patience > 0 ? { earlyStopping: { patience: o.patience, restoreBestWeights: true } } : {}),
      },
      // From the run's seed and the fit's index only: results do not depend on the order or
      // the thread the fits run in.
      seed: o.seed + fit,
      predict,
      ...(keepWeights ? { keepWeights } : {}),
    };
  }

  /** A fit's saved model: NnModel.save's files, with the fit's seed in the metadata (the specs resolved once, when first saving). */
  let resolved: { network: ResolvedNetwork; optimizer: ResolvedOptimizer } | undefined;
  function saved(weights: readonly Float32Array[], seed: number): { kind: 'nn'; files: ModelFiles } {
    resolved ??= { network: resolveNetwork(o.network), optimizer: resolveOptimizer(o.optimizer) };
    return { kind: 'nn', files: networkFiles(resolved.network, resolved.optimizer, weights, { seed }) };
  }

  return {
    regressor(fit: number) {
      const net = new NnModel({ network: o.network, optimizer: o.optimizer });
      return {
        fit(x: PackedRows, y: Float64Array) {
          const job = jobFor(fit, x, y, { rows: 0, cols: x.cols, data: new Float64Array(0) });
          const options: NnFitOptions = { ...job.options, seed: job.seed, ...(job.validation ? { validation: job.validation } : {}) };
          sizeOf(Math.min(o.batchSize, job.x.rows));
          let r;
          try {
            r = net.fit(job.x, job.y, options);
          } catch (e) {
            throw named(e, fit);
          }
          backend = r.backend;
          trainer = r.trainer;
          return r;
        },
        predict: (x: PackedRows) => net.predict(x),
        dispose: () => net.dispose(),
        kind: 'nn',
        /** The fitted network as NnModel.save's files (seed in the metadata). */
        files: () => saved(net.weights(), o.seed + fit).files,
      };
    },
    /**
     * Every fit at once. With `keepModels` each result also carries its fitted network as
     * files (`model`), read back from the thread that trained it; without, no weights are read.
     */
    async fitBatch(
      fits: readonly { fit: number; x: PackedRows; y: Float64Array; predict: PackedRows }[],
      done: () => void,
      options: { readonly keepModels?: boolean } = {},
    ): Promise<NnBatchResult[]> {
      // Worker threads only where they pay (WORKER_MIN_WORK); numbers are the same either way.
      const keep = options.keepModels === true;
      const jobs = fits.map((f) => jobFor(f.fit, f.x, f.y, f.predict, keep));
      for (const job of jobs) sizeOf(Math.min(o.batchSize, job.x.rows));
      let results: FitJobResult[];
      try {
        results = await fitNetworks(jobs, { threads: threadsFor(jobs, o.threads), backend: o.backend, onResult: () => done() });
      } catch (e) {
        // The pool names a job by its index in `jobs`; the walk names it by its fit number.
        throw e instanceof NetworkDivergedError ? e.withContext({ fit: fits[e.details.fit ?? -1]?.fit ?? e.details.fit }) : e;
      }
      if (results.length > 0) ({ backend, trainer } = results[0]!);
      if (!keep) return results;
      return results.map((r, i) => {
        const { weights, ...rest } = r;
        if (!weights) throw new Error(`network fit ${i + 1} returned no weights to save`);
        return { ...rest, model: saved(weights, jobs[i]!.seed) };
      });
    },
    async setup() {
      backend = await initBackend(o.backend);
    },
    /** The backend that predicts (and, with the tfjs trainer, trains), once known. */
    backend: () => backend,
    /** The trainer that trained the networks, once they are trained. */
    trainer: () => trainer,
  };
}
