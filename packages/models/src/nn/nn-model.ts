import type { Tensor2D } from '@tensorflow/tfjs-core';
import { UserError } from '@backtest/core';
import { toFeatureMatrix, toTarget } from '../features';
import type { FeatureMatrix, Features, FitResult, Model, ModelFiles, Parameters, Target } from '../model';
import { loadTf, type Tf } from '../tf';
import { DenseNetwork, weightName, weightShapes } from './dense-network';
import { EarlyStoppingRule, type EarlyStoppingOptions } from './early-stopping';
import { checkFitSize, NetworkDivergedError } from './fit-faults';
import { layersModelFiles, readLayersModel, writeLayersModel } from './layers-format';
import { glorotUniform, STREAM, uniform } from './seeded-random';
import {
  isPositiveInteger,
  type NetworkSpec,
  type OptimizerSpec,
  type ResolvedNetwork,
  type ResolvedOptimizer,
  resolveNetwork,
  resolveOptimizer,
} from './spec';
import { FusedRunner } from './fused-runner';
import { simdAvailable } from './simd/kernels';
import { SimdRunner } from './simd/simd-runner';
import { meanSquaredError, TfjsRunner } from './tfjs-runner';
import { type EpochLog, type EpochRunner, type LoopResult, type LoopSettings, TrainingDiverged, trainLoop } from './train-loop';

export interface NnOptions {
  readonly network: NetworkSpec;
  /** @default 'sgd' (learning rate 0.01) */
  readonly optimizer?: OptimizerSpec | 'sgd' | 'adam';
}

export interface NnFitOptions {
  /** @default 1 (Keras) */
  readonly epochs?: number;
  /** @default 32 (Keras) */
  readonly batchSize?: number;
  /** Reshuffle the rows before every epoch. @default true (Keras) */
  readonly shuffle?: boolean;
  /** Seeds the initial weights and every shuffle: one seed, one result. @default 42 */
  readonly seed?: number;
  /** Evaluated after every epoch; when given, early stopping and checkpoints monitor its loss. */
  readonly validation?: { readonly x: Features; readonly y: Target };
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Save the best model so far (lowest monitored loss) to `dir` whenever it improves. */
  readonly checkpoint?: { readonly dir: string };
  readonly onEpochEnd?: (log: EpochLog) => void;
  /**
   * How batches are computed. 'simd': our WebAssembly SIMD kernels (float32, like TensorFlow.js),
   * the fastest at every size measured. 'fused': one JavaScript pass per epoch with float64
   * sums. 'tfjs': TensorFlow.js kernels on the active backend. 'auto' takes 'simd' (or 'fused'
   * where WebAssembly SIMD is missing). All three agree to float32 rounding. @default 'auto'
   */
  readonly trainer?: 'auto' | Trainer;
}

export type Trainer = 'tfjs' | 'fused' | 'simd';
export const TRAINERS: readonly Trainer[] = ['fused', 'simd', 'tfjs'];

export interface NnFitResult extends FitResult {
  readonly epochsRun: number;
  /** Epoch (1-based) with the lowest monitored loss. */
  readonly bestEpoch: number;
  readonly monitor: 'loss' | 'val_loss';
  readonly stoppedEarly: boolean;
  readonly restoredBestWeights: boolean;
  readonly trainer: Trainer;
  /** TensorFlow.js backend in use: it trained the network when trainer is 'tfjs', and it predicts. */
  readonly backend: string;
  readonly seconds: number;
}

export const DEFAULT_SEED = 42;

/** A dense network trained with TensorFlow.js, mirroring Keras' Dense/SGD/Adam/MSE defaults. */
export class NnModel implements Model<NnFitResult, NnFitOptions> {
  readonly kind = 'nn';
  readonly network: ResolvedNetwork;
  readonly optimizer: ResolvedOptimizer;
  /** No learning rate was given: the optimizer's default is in use (divergence messages say so). */
  readonly #defaultLearningRate: boolean;
  #net: DenseNetwork | undefined;
  #inTraining: (() => Float32Array[]) | undefined;

  constructor(options: NnOptions) {
    this.network = resolveNetwork(options.network);
    this.optimizer = resolveOptimizer(options.optimizer);
    this.#defaultLearningRate = options.optimizer === undefined || typeof options.optimizer === 'string' || options.optimizer.learningRate === undefined;
  }

  fit(x: Features, y: Target, options: NnFitOptions = {}): NnFitResult {
    const started = performance.now();
    const epochs = options.epochs ?? 1;
    const batchSize = options.batchSize ?? 32;
    const seed = options.seed ?? DEFAULT_SEED;
    if (!isPositiveInteger(epochs)) throw new UserError(`epochs must be a positive integer, got ${epochs}`);
    if (!isPositiveInteger(batchSize)) throw new UserError(`batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(seed)) throw new UserError(`seed must be an integer, got ${seed}`);
    const trainX = this.checkedFeatures(x, 'training features');
    if (trainX.rows === 0) throw new UserError('nn: no training rows');
    const trainY = toTarget(y, trainX.rows, 'training target');
    const validation = options.validation && {
      x: this.checkedFeatures(options.validation.x, 'validation features'),
      y: options.validation.y,
    };
    const valY = validation && toTarget(validation.y, validation.x.rows, 'validation target');
    if (validation?.x.rows === 0) throw new UserError('nn: validation data has no rows');
    const rule = options.earlyStopping && new EarlyStoppingRule(options.earlyStopping);
    // Before anything is allocated: a network too big for memory is the user's to shrink.
    checkFitSize(this.network, { optimizer: this.optimizer.name, batchRows: Math.min(batchSize, trainX.rows), earlyStopping: rule !== undefined });
    let targetMeanSquare = 0;
    for (let i = 0; i < trainY.length; i++) targetMeanSquare += (trainY[i] as number) ** 2;
    targetMeanSquare /= trainY.length;

    const tf = loadTf();
    this.#net?.dispose();
    this.#net = undefined;
    const draw = uniform(seed, STREAM.initialWeights);
    const initial = weightShapes(this.network).map((shape, i) =>
      i % 2 === 0 ? glorotUniform(shape[0] as number, shape[1] as number, draw) : new Float32Array(shape[0] as number),
    );
    const trainer = chooseTrainer(options.trainer ?? 'auto');
    const monitor = validation ? 'val_loss' : 'loss';
    const settings = {
      rows: trainX.rows,
      epochs,
      shuffle: options.shuffle ?? true,
      seed,
      hasValidation: validation !== undefined,
      targetMeanSquare,
      ...(rule && options.earlyStopping ? { earlyStopping: { rule, restoreBestWeights: options.earlyStopping.restoreBestWeights } } : {}),
      ...(options.checkpoint ? { onNewBest: this.checkpointWriter(options.checkpoint.dir, seed, monitor) } : {}),
      ...(options.onEpochEnd ? { onEpochEnd: options.onEpochEnd } : {}),
    };
    let result: LoopResult;
    if (trainer === 'fused' || trainer === 'simd') {
      const data = (m: FeatureMatrix, t: Float64Array) => ({ rows: m.rows, x: Float32Array.from(m.data), y: Float32Array.from(t) });
      const args = [this.network, initial, this.optimizer, data(trainX, trainY), validation && valY && data(validation.x, valY), batchSize] as const;
      const runner: EpochRunner<unknown> & { readonly weights: Float32Array[] } = trainer === 'fused' ? new FusedRunner(...args) : new SimdRunner(...args);
      result = this.diverging(() => this.trainWithoutTf(runner, settings));
      this.#net = new DenseNetwork(tf, this.network, runner.currentWeights());
    } else {
      const net = new DenseNetwork(tf, this.network, initial);
      this.#net = net;
      const tensors = [toTensor(tf, trainX), column(tf, trainY)];
      const valTensors = validation && valY ? [toTensor(tf, validation.x), column(tf, valY)] : [];
      const runner = new TfjsRunner(tf, net, this.optimizer, { x: tensors[0] as Tensor2D, y: tensors[1] as Tensor2D },
        valTensors.length ? { x: valTensors[0] as Tensor2D, y: valTensors[1] as Tensor2D } : undefined, batchSize);
      try {
        result = this.diverging(() => trainLoop(runner, settings));
      } finally {
        runner.dispose();
        tf.dispose([...tensors, ...valTensors]);
      }
    }
    const net = this.#net;
    const trainTensors = [toTensor(tf, trainX), column(tf, trainY)] as const;
    const trainMse = meanSquaredError(tf, net, trainTensors[0], trainTensors[1]);
    tf.dispose([...trainTensors]);
    // Every epoch's loss was finite, but the last update may still have made the weights NaN.
    if (!Number.isFinite(trainMse)) throw this.diverged(new TrainingDiverged(result.epochsRun, 'training loss', trainMse, Number.NaN));
    return {
      history: { loss: result.loss, ...(result.valLoss ? { valLoss: result.valLoss } : {}) },
      trainMse,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      monitor,
      stoppedEarly: result.stoppedEarly,
      restoredBestWeights: result.restoredBestWeights,
      trainer,
      backend: tf.getBackend(),
      seconds: (performance.now() - started) / 1000,
    };
  }

  predict(x: Features): Float64Array {
    const net = this.fitted();
    const m = this.checkedFeatures(x, 'features');
    const tf = loadTf();
    const out = tf.tidy(() => net.forward(toTensor(tf, m)));
    const values = Float64Array.from(out.dataSync());
    out.dispose();
    return values;
  }

  /** 'dense_1/kernel' as fanIn rows of units, 'dense_1/bias' as a vector, and so on. */
  parameters(): Parameters {
    const shapes = weightShapes(this.network);
    return Object.fromEntries(
      this.weights().map((w, i) => {
        const shape = shapes[i] as number[];
        const values = Array.from(w);
        if (shape.length === 1) return [weightName(i), values];
        const cols = shape[1] as number;
        return [weightName(i), Array.from({ length: shape[0] as number }, (_, r) => values.slice(r * cols, (r + 1) * cols))];
      }),
    );
  }

  /** The raw float32 weights (kernel, bias per layer): what bit-identity checks compare. */
  weights(): Float32Array[] {
    if (this.#inTraining) return this.#inTraining();
    return this.fitted().readWeights();
  }

  /** model.json + weights.bin in the TensorFlow.js layers format. */
  save(dir: string): void {
    writeLayersModel(dir, { spec: this.network, weights: this.weights(), metadata: this.metadata() });
  }

  /**
   * The files `save` writes (weights.bin, model.json), in memory. `notes` go into model.json's
   * `userDefinedMetadata.backtest` beside the optimizer (e.g. the fit's seed).
   */
  files(notes: Record<string, unknown> = {}): ModelFiles {
    return networkFiles(this.network, this.optimizer, this.weights(), notes);
  }

  dispose(): void {
    this.#net?.dispose();
    this.#net = undefined;
  }

  /** Loads a network saved by `save` or a checkpoint (or any tfjs-layers Sequential of Dense layers). */
  static load(dir: string): NnModel {
    const saved = readLayersModel(dir);
    const notes = (saved.metadata['backtest'] ?? {}) as { optimizer?: OptimizerSpec };
    const model = new NnModel({ network: saved.spec, ...(notes.optimizer ? { optimizer: notes.optimizer } : {}) });
    model.#net = new DenseNetwork(loadTf(), model.network, saved.weights);
    return model;
  }

  /** `train()`, with a divergence turned into the error that says which setting to change. */
  private diverging(train: () => LoopResult): LoopResult {
    try {
      return train();
    } catch (e) {
      if (e instanceof TrainingDiverged) throw this.diverged(e);
      throw e;
    }
  }

  private diverged(d: TrainingDiverged): NetworkDivergedError {
    this.#net?.dispose();
    this.#net = undefined;
    return new NetworkDivergedError({
      epoch: d.epoch,
      monitor: d.monitor,
      value: d.value,
      ...(Number.isFinite(d.before) ? { before: d.before } : {}),
      optimizer: this.optimizer.name,
      learningRate: this.optimizer.learningRate,
      defaultLearningRate: this.#defaultLearningRate,
    });
  }

  /** Trains with a runner that makes no TensorFlow.js calls and holds its weights as float32 arrays. */
  private trainWithoutTf(runner: EpochRunner<unknown> & { readonly weights: Float32Array[] }, settings: LoopSettings): LoopResult {
    // Callbacks during the fit (onEpochEnd reading parameters()) see the runner's weights.
    this.#inTraining = () => runner.weights.map((w) => Float32Array.from(w));
    try {
      return trainLoop(runner, settings);
    } finally {
      this.#inTraining = undefined;
    }
  }

  private checkpointWriter(dir: string, seed: number, monitor: string): (epoch: number, value: number, weights: () => Float32Array[]) => void {
    return (epoch, value, weights) => {
      writeLayersModel(dir, { spec: this.network, weights: weights(), metadata: this.metadata({ seed, epoch, monitor, value }) });
    };
  }

  private metadata(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return nnMetadata(this.optimizer, extra);
  }

  private checkedFeatures(x: Features, what: string): FeatureMatrix {
    const m = toFeatureMatrix(x, what);
    if (m.cols !== this.network.inputSize) {
      throw new UserError(`${what}: the network takes ${this.network.inputSize} inputs but got ${m.cols} columns`);
    }
    return m;
  }

  private fitted(): DenseNetwork {
    if (!this.#net) throw new UserError('network is not fitted: call fit() or loadNetwork() first');
    return this.#net;
  }
}

/** model.json's `userDefinedMetadata`: our format, the optimizer, and any notes (seed, epoch...). */
function nnMetadata(optimizer: ResolvedOptimizer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { backtest: { format: 'backtest-nn', version: 1, optimizer, ...extra } };
}

/**
 * The files `NnModel.save` writes for a network of `weights` (kernel, bias per layer, as
 * `NnModel.weights()` returns them), without a TensorFlow.js model: for weights that come back
 * from a worker thread. `notes` as in `NnModel.files`.
 */
export function networkFiles(network: ResolvedNetwork, optimizer: ResolvedOptimizer, weights: readonly Float32Array[], notes: Record<string, unknown> = {}): ModelFiles {
  return layersModelFiles({ spec: network, weights, metadata: nnMetadata(optimizer, notes) });
}

/** Loads a network saved by `NnModel.save` or written as a checkpoint; predictions are identical. */
export function loadNetwork(dir: string): NnModel {
  return NnModel.load(dir);
}

/**
 * 'auto': the SIMD kernels, on every backend: they make no TensorFlow.js call while training and
 * beat both the fused JavaScript pass and TensorFlow.js' wasm and cpu kernels at every size
 * measured here, 2-4-1 to 2-300-100-1 (bench/cases/nn-trainers.js). The native backend could
 * not be measured here; `trainer: 'tfjs'` forces TensorFlow.js kernels.
 */
export function chooseTrainer(requested: 'auto' | Trainer): Trainer {
  if (TRAINERS.includes(requested as Trainer)) return requested as Trainer;
  if (requested !== 'auto') throw new UserError(`trainer must be auto, ${TRAINERS.join(', ')}, got "${String(requested)}"`);
  return simdAvailable() ? 'simd' : 'fused';
}

function toTensor(tf: Tf, m: FeatureMatrix): Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

function column(tf: Tf, y: Float64Array): Tensor2D {
  return tf.tensor2d(Float32Array.from(y), [y.length, 1], 'float32');
}
