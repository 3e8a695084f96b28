import { type BackendRequest, initBackend } from '../backend';
import { NnModel, type NnFitOptions, type Trainer } from '../nn/nn-model';
import type { NetworkSpec, OptimizerSpec } from '../nn/spec';
import type { FitJob, PackedRows } from './fit-job';
import { fitNetworks } from './fit-pool';

/** Networks with more weights than this train on worker threads when threads > 1. */
export const WORKER_MIN_WEIGHTS = 2048;

/** Kernel and bias weights of a dense stack. */
export function weightCount(network: NetworkSpec): number {
  let fanIn = network.inputSize;
  let total = 0;
  for (const layer of network.layers) {
    total += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  return total;
}

export interface NnForecasterOptions {
  readonly network: NetworkSpec;
  readonly optimizer: OptimizerSpec | 'sgd' | 'adam';
  readonly epochs: number;
  readonly batchSize: number;
  /** Early stopping patience in epochs, best weights restored; 0 = off. */
  readonly patience: number;
  /** Fraction of the latest training rows held out to monitor early stopping. */
  readonly validation: number;
  /** Training loop: the fused JavaScript pass, the SIMD kernels, TensorFlow.js kernels, or chosen by size (default). */
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
 */
export function nnForecaster(o: NnForecasterOptions) {
  let backend = '';

  /** Fit `fit` on (x, y): the latest `validation` fraction of rows held out, as Keras' validation_split does. */
  function jobFor(fit: number, x: PackedRows, y: Float64Array, predict: PackedRows): FitJob {
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
    };
  }

  return {
    regressor(fit: number) {
      const net = new NnModel({ network: o.network, optimizer: o.optimizer });
      return {
        fit(x: PackedRows, y: Float64Array) {
          const job = jobFor(fit, x, y, { rows: 0, cols: x.cols, data: new Float64Array(0) });
          const options: NnFitOptions = { ...job.options, seed: job.seed, ...(job.validation ? { validation: job.validation } : {}) };
          const r = net.fit(job.x, job.y, options);
          backend = r.backend;
          return r;
        },
        predict: (x: PackedRows) => net.predict(x),
        dispose: () => net.dispose(),
      };
    },
    async fitBatch(fits: readonly { fit: number; x: PackedRows; y: Float64Array; predict: PackedRows }[], done: () => void) {
      // Worker threads only where they pay: a worker spends ~0.5 s loading TensorFlow.js, and
      // small networks (trained by the fused JavaScript loop) ran no faster on two workers than
      // in-process here, while wide ones ran 1.8x faster. Numbers are the same either way.
      const threads = weightCount(o.network) > WORKER_MIN_WEIGHTS ? o.threads : 1;
      const results = await fitNetworks(
        fits.map((f) => jobFor(f.fit, f.x, f.y, f.predict)),
        { threads, backend: o.backend, onResult: () => done() },
      );
      if (results.length > 0) backend = results[0]!.backend;
      return results;
    },
    async setup() {
      backend = await initBackend(o.backend);
    },
    /** The backend that trained (or will train) the networks, once known. */
    backend: () => backend,
  };
}
