import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork, NnModel, type NnFitResult } from '@backtest/models';
import { BATCH_SIZE, DEEP_NETWORK, OPTIMIZER, SINGLE_NEURON, SMALL_NETWORK } from './networks';
import { type Coefficients, rmse, type XY } from './regression';

/** Root mean squared error by epoch (epoch 1 first): the square root of Keras' per-epoch MSE. */
export interface Curves {
  readonly train: number[];
  readonly valid?: number[];
}

export interface EarlyStopped extends Curves {
  readonly valid: number[];
  /** Epochs run before the rule stopped training (the article's "stopped at"). */
  readonly stoppedAt: number;
  readonly stoppedEarly: boolean;
  /** Epoch whose weights were restored: the lowest validation loss. */
  readonly bestEpoch: number;
  /** Validation RMSE of the restored (best) weights, evaluated afresh after training. */
  readonly restoredValidRmse: number;
}

export interface CheckpointCheck {
  /** The checkpoint's files (model.json, weights.bin) as saved during training. */
  readonly files: Record<string, Buffer>;
  /** Validation RMSE of the model reloaded from disk. */
  readonly reloadedValidRmse: number;
  /** Rows (all usable months) on which the in-memory best and the reloaded model were compared. */
  readonly comparedRows: number;
  /** Largest absolute difference between their predictions: 0 means identical. */
  readonly maxAbsDifference: number;
  readonly identical: boolean;
}

export interface NeuronRun extends Curves {
  /** Bias and weights after each epoch, epoch 1 first. */
  readonly coefficientsByEpoch: Coefficients[];
  readonly coefficients: Coefficients;
}

export interface ExperimentData {
  readonly train: XY;
  readonly valid: XY;
  /** Every usable row, for comparing predictions of the reloaded checkpoint. */
  readonly all: XY;
  readonly seed: number;
}

const toRmse = (mse: readonly number[]): number[] => mse.map((v) => Math.sqrt(v));

function curves(fit: NnFitResult): Curves {
  return { train: toRmse(fit.history.loss), ...(fit.history.valLoss ? { valid: toRmse(fit.history.valLoss) } : {}) };
}

/** Experiments 1 and 2: the small network for 20 epochs, without and with validation each epoch. */
export function smallNetworkCurves(d: ExperimentData, withValidation: boolean): Curves {
  const model = new NnModel({ network: SMALL_NETWORK.spec, optimizer: OPTIMIZER });
  try {
    const fit = model.fit(d.train.x, d.train.y, {
      epochs: 20,
      batchSize: BATCH_SIZE,
      seed: d.seed,
      ...(withValidation ? { validation: { x: d.valid.x, y: d.valid.y } } : {}),
    });
    return curves(fit);
  } finally {
    model.dispose();
  }
}

function earlyStopped(model: NnModel, fit: NnFitResult, d: ExperimentData): EarlyStopped {
  const c = curves(fit);
  return {
    train: c.train,
    valid: c.valid ?? [],
    stoppedAt: fit.epochsRun,
    stoppedEarly: fit.stoppedEarly,
    bestEpoch: fit.bestEpoch,
    restoredValidRmse: rmse(model.predict(d.valid.x), d.valid.y),
  };
}

/**
 * Experiment 3: up to 100 epochs, early stopping on validation loss (patience 2, best weights
 * restored) and a checkpoint written to disk at every new best; the checkpoint is then loaded
 * back from disk and its predictions compared with the restored in-memory model's.
 */
export function checkpointedNetwork(d: ExperimentData): EarlyStopped & { checkpoint: CheckpointCheck } {
  const dir = mkdtempSync(join(tmpdir(), 'study-checkpoint-'));
  const model = new NnModel({ network: SMALL_NETWORK.spec, optimizer: OPTIMIZER });
  let reloaded: NnModel | undefined;
  try {
    const fit = model.fit(d.train.x, d.train.y, {
      epochs: 100,
      batchSize: BATCH_SIZE,
      seed: d.seed,
      validation: { x: d.valid.x, y: d.valid.y },
      earlyStopping: { patience: 2, restoreBestWeights: true },
      checkpoint: { dir },
    });
    const result = earlyStopped(model, fit, d);
    reloaded = loadNetwork(dir);
    const inMemory = model.predict(d.all.x);
    const fromDisk = reloaded.predict(d.all.x);
    let maxAbsDifference = 0;
    for (let i = 0; i < inMemory.length; i++) maxAbsDifference = Math.max(maxAbsDifference, Math.abs(inMemory[i]! - fromDisk[i]!));
    const files = Object.fromEntries(
      readdirSync(dir)
        .sort()
        .map((name) => [name, readFileSync(join(dir, name))]),
    );
    return {
      ...result,
      checkpoint: {
        files,
        reloadedValidRmse: rmse(reloaded.predict(d.valid.x), d.valid.y),
        comparedRows: inMemory.length,
        maxAbsDifference,
        identical: inMemory.length === fromDisk.length && inMemory.every((v, i) => Object.is(v, fromDisk[i])),
      },
    };
  } finally {
    model.dispose();
    reloaded?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function neuronCoefficients(model: NnModel): Coefficients {
  const p = model.parameters();
  const kernel = p['dense_1/kernel'] as number[][];
  const bias = p['dense_1/bias'] as number[];
  return { intercept: bias[0]!, close: kernel[0]![0]!, sma: kernel[1]![0]! };
}

/** Experiment 4: a single linear neuron by SGD for 8 epochs, its bias and weights read after every epoch. */
export function singleNeuron(d: ExperimentData): NeuronRun {
  const model = new NnModel({ network: SINGLE_NEURON.spec, optimizer: OPTIMIZER });
  const coefficientsByEpoch: Coefficients[] = [];
  try {
    const fit = model.fit(d.train.x, d.train.y, {
      epochs: 8,
      batchSize: BATCH_SIZE,
      seed: d.seed,
      onEpochEnd: () => coefficientsByEpoch.push(neuronCoefficients(model)),
    });
    return { train: curves(fit).train, coefficientsByEpoch, coefficients: neuronCoefficients(model) };
  } finally {
    model.dispose();
  }
}

/**
 * Experiment 5: the deep network, up to 100 epochs with early stopping (patience 2). The article
 * reuses experiment 3's callback, so the best weights are restored here too; the curves are the
 * same either way.
 */
export function deepNetwork(d: ExperimentData): EarlyStopped {
  const model = new NnModel({ network: DEEP_NETWORK.spec, optimizer: OPTIMIZER });
  try {
    const fit = model.fit(d.train.x, d.train.y, {
      epochs: 100,
      batchSize: BATCH_SIZE,
      seed: d.seed,
      validation: { x: d.valid.x, y: d.valid.y },
      earlyStopping: { patience: 2, restoreBestWeights: true },
    });
    return earlyStopped(model, fit, d);
  } finally {
    model.dispose();
  }
}
