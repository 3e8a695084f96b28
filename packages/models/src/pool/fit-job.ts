import type { EarlyStoppingOptions } from '../nn/early-stopping';
import { NnModel, type Trainer } from '../nn/nn-model';
import type { NetworkSpec, OptimizerSpec } from '../nn/spec';

/** Row-major rows x cols values: what crosses a thread boundary without conversion. */
export interface PackedRows {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * One network fit and the forecasts it makes, as plain data (structured-clonable, no callbacks),
 * so that it can run on any thread. The result depends on this object alone.
 */
export interface FitJob {
  readonly network: NetworkSpec;
  readonly optimizer?: OptimizerSpec | 'sgd' | 'adam';
  readonly x: PackedRows;
  readonly y: Float64Array;
  readonly validation?: { readonly x: PackedRows; readonly y: Float64Array };
  readonly options: {
    readonly epochs?: number;
    readonly batchSize?: number;
    readonly shuffle?: boolean;
    readonly earlyStopping?: EarlyStoppingOptions;
    readonly trainer?: 'auto' | Trainer;
  };
  readonly seed: number;
  /** Feature rows the fitted network forecasts (may have 0 rows). */
  readonly predict: PackedRows;
  /** Return the fitted weights too (`FitJobResult.weights`), to save the model. @default false */
  readonly keepWeights?: boolean;
}

export interface FitJobResult {
  /** One forecast per row of `job.predict`. */
  readonly predictions: Float64Array;
  readonly history: { readonly loss: number[]; readonly valLoss?: number[] };
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly backend: string;
  readonly trainer: Trainer;
  readonly seconds: number;
  /** The fitted weights (kernel, bias per layer, as `NnModel.weights()`), when `job.keepWeights`. */
  readonly weights?: Float32Array[];
}

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

/** A fit's work in weight-row-epochs (training and validation rows): its time is about proportional. */
export function fitWork(job: FitJob): number {
  return (job.x.rows + (job.validation?.x.rows ?? 0)) * (job.options.epochs ?? 1) * weightCount(job.network);
}

/**
 * Fits and forecasts on the active TensorFlow.js backend of the calling thread. The in-process
 * pool and every worker call exactly this, so a job's numbers do not depend on where it ran.
 */
export function runFitJob(job: FitJob): FitJobResult {
  const net = new NnModel({ network: job.network, ...(job.optimizer ? { optimizer: job.optimizer } : {}) });
  try {
    const fit = net.fit(job.x, job.y, { ...job.options, seed: job.seed, ...(job.validation ? { validation: job.validation } : {}) });
    const { rows, cols, data } = job.predict;
    const predictions = new Float64Array(rows);
    // Row by row, as the sequential walk predicts one decision at a time: a many-row product
    // may round differently from a one-row product on some kernels, and the batched walk must
    // give the sequential walk's numbers. It costs well under a millisecond per row.
    for (let r = 0; r < rows; r++) {
      predictions[r] = net.predict({ rows: 1, cols, data: data.subarray(r * cols, (r + 1) * cols) })[0] as number;
    }
    return {
      predictions,
      history: { loss: [...fit.history.loss], ...(fit.history.valLoss ? { valLoss: [...fit.history.valLoss] } : {}) },
      epochsRun: fit.epochsRun,
      bestEpoch: fit.bestEpoch,
      stoppedEarly: fit.stoppedEarly,
      backend: fit.backend,
      trainer: fit.trainer,
      seconds: fit.seconds,
      ...(job.keepWeights ? { weights: net.weights() } : {}),
    };
  } finally {
    net.dispose();
  }
}
