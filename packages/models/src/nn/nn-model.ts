import type { Tensor2D } from '@tensorflow/tfjs-core';
import { UserError } from '@backtest/core';
import { toFeatureMatrix, toTarget } from '../features';
import type { FeatureMatrix, Features, FitResult, Model, ModelFiles, Parameters, Target } from '../model';
import { loadTf, type Tf } from '../tf';
import { DenseNetwork, weightName, weightShapes } from './dense-network';
import { EarlyStoppingRule, type EarlyStoppingOptions } from './early-stopping';
import { checkFitSize, NetworkDivergedError } from './fit-faults';
import type { DenseData } from './dense-data';
import { FusedRunner } from './fused-runner';
import { layersModelFiles, readLayersModel, writeLayersModel } from './layers-format';
import { bceRow, checkTargets, type LossName, resolveLoss } from './loss';
import { glorotUniform, STREAM, uniform } from './seeded-random';
import { isPositiveInteger, type NetworkSpec, type OptimizerSpec, type ResolvedNetwork, type ResolvedOptimizer, resolveNetwork, resolveOptimizer } from './spec';
import { simdAvailable } from './simd/kernels';
import { LANES, LockstepGroup, trainLockstep } from './simd/lockstep';
import { SimdPredictor } from './simd/simd-predictor';
import { SimdRunner } from './simd/simd-runner';
import { meanSquaredError, networkLoss, TfjsRunner } from './tfjs-runner';
import { type EpochLog, type EpochRunner, type LoopResult, type LoopSettings, TrainingDiverged, trainLoop } from './train-loop';

/** One fit of `NnModel.fitTogether`: the model, its data and its options, as `model.fit(x, y, options)` takes them. */
export interface NnFitRequest {
  readonly model: NnModel;
  readonly x: Features;
  readonly y: Target;
  readonly options?: NnFitOptions;
}

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
   * What training minimises (and `history` records). 'mse': mean squared error, for a numeric
   * target. 'binaryCrossentropy': Keras' `binary_crossentropy` (output clipped to
   * [1e-7, 1 - 1e-7]), for targets in [0, 1] such as a 0/1 direction; the last layer must then
   * be a sigmoid, and the network forecasts a probability. @default 'mse'
   */
  readonly loss?: LossName;
  /**
   * How batches are computed. 'simd': our WebAssembly SIMD kernels (float32, like TensorFlow.js),
   * which train and then predict without loading TensorFlow.js at all. 'tfjs': TensorFlow.js
   * kernels on the active backend, which then also predict: a check of the kernels, and the
   * trainer for a TensorFlow.js backend of one's own. Both agree to float32 rounding.
   * 'auto' takes 'simd', or 'tfjs' on a runtime without WebAssembly SIMD. @default 'auto'
   */
  readonly trainer?: 'auto' | Trainer;
}

export type Trainer = 'simd' | 'tfjs';
const TRAINERS: readonly Trainer[] = ['simd', 'tfjs'];

/** `NnFitResult.backend` when no TensorFlow.js backend took part: the SIMD kernels trained and predict. */
export const NO_TF_BACKEND = 'none';

export interface NnFitResult extends FitResult {
  readonly epochsRun: number;
  /** Epoch (1-based) with the lowest monitored loss. */
  readonly bestEpoch: number;
  readonly monitor: 'loss' | 'val_loss';
  readonly stoppedEarly: boolean;
  readonly restoredBestWeights: boolean;
  readonly trainer: Trainer;
  /**
   * The TensorFlow.js backend that trained the network and predicts, when trainer is 'tfjs'
   * ('wasm', 'cpu', 'tensorflow'); 'none' (NO_TF_BACKEND) when the SIMD kernels did both: they
   * are our own WebAssembly, and their numbers do not depend on any TensorFlow.js backend.
   */
  readonly backend: string;
  /** The loss trained on (`history` holds it per epoch). */
  readonly loss: LossName;
  /** Mean `loss` on the training rows at the parameters the model ends with (`trainMse` for 'mse'). */
  readonly trainLoss: number;
  readonly seconds: number;
}

export const DEFAULT_SEED = 42;

/** The float64 oracle's fit (`fitWithOracle`): an NnFitResult whose trainer is the fused pass. */
export type OracleFitResult = Omit<NnFitResult, 'trainer'> & { readonly trainer: 'fused' };

/** Where a fitted network's forward pass runs: the SIMD kernels, or the TensorFlow.js network that trained it. */
type Fitted = { readonly by: 'kernels'; readonly predictor: SimdPredictor } | { readonly by: 'tfjs'; readonly net: DenseNetwork };

type RunnerArgs = readonly [ResolvedNetwork, Float32Array[], ResolvedOptimizer, DenseData, DenseData | undefined, number, LossName];

/** A fit prepared by `NnModel.#plan`: what training and its result need. */
interface FitPlan {
  readonly started: number;
  readonly network: ResolvedNetwork;
  readonly optimizer: ResolvedOptimizer;
  readonly batchSize: number;
  readonly loss: LossName;
  readonly trainer: Trainer | 'fused';
  readonly monitor: 'loss' | 'val_loss';
  readonly settings: LoopSettings;
  readonly initial: Float32Array[];
  readonly trainX: FeatureMatrix;
  readonly trainY: Float64Array;
  readonly validation: { readonly x: FeatureMatrix; readonly y: Float64Array } | undefined;
  /** The float32 runners' arguments (undefined for 'tfjs'). */
  readonly runnerArgs: RunnerArgs;
}

/**
 * Which networks train in lockstep groups. Measured here (four fits of ~400 rows, 20 epochs,
 * together against one by one): one hidden layer of any width trains 2.3 to 2.6 times as fast
 * (2-10-1, 2-64-1, 2-512-1); a product between two hidden layers is where the single-fit
 * kernel's register tiles, which reuse each weight across rows, win: 2-6-4-1 2.3 times as fast,
 * 2-32-16-1 1.1, 2-32-32-1 even, 2-300-100-1 0.86. So a hidden layer after the first may have at
 * most LOCKSTEP_MAX_INNER weights, and a group at most LOCKSTEP_MAX_WEIGHTS a fit (a group holds
 * four fits' weights, gradients and moments).
 */
const LOCKSTEP_MAX_INNER = 256;
const LOCKSTEP_MAX_WEIGHTS = 1_000_000;

/** Whether fits of this network train in lockstep groups (`NnModel.fitTogether`), given the SIMD trainer and squared error. */
export function trainsInLockstep(network: NetworkSpec): boolean {
  let fanIn = network.inputSize;
  let weights = 0;
  for (const [l, layer] of network.layers.entries()) {
    const inner = l > 0 && l < network.layers.length - 1;
    if (inner && fanIn * layer.units > LOCKSTEP_MAX_INNER) return false;
    weights += (fanIn + 1) * layer.units;
    fanIn = layer.units;
  }
  return weights <= LOCKSTEP_MAX_WEIGHTS;
}

/**
 * Fits of one key may train in one lockstep group (`NnModel.fitTogether`, and the model pool's
 * units of the nn plugin): one network, optimizer and batch size, on the SIMD kernels and squared
 * error, of a network the lanes speed up. Undefined: the fit trains alone.
 */
export function lockstepKey(fit: {
  readonly trainer: string;
  readonly loss: LossName;
  readonly network: NetworkSpec;
  readonly optimizer: OptimizerSpec;
  readonly batchSize: number;
}): string | undefined {
  if (fit.trainer !== 'simd' || fit.loss !== 'mse') return undefined;
  const network = resolveNetwork(fit.network);
  if (!trainsInLockstep(network)) return undefined;
  return JSON.stringify([network, resolveOptimizer(fit.optimizer), fit.batchSize]);
}

/** Set in NnModel's static block: `#fit` with the oracle runner, for `fitWithOracle`. */
let oracleFit: (model: NnModel, x: Features, y: Target, options: NnFitOptions) => OracleFitResult;

/**
 * A dense network mirroring Keras' Dense/SGD/Adam defaults and its MSE and binary cross-entropy
 * losses. By default our SIMD kernels train it and predict with it, and TensorFlow.js is never
 * loaded; with `trainer: 'tfjs'` TensorFlow.js kernels do both. Saved in the TensorFlow.js
 * layers format either way.
 */
export class NnModel implements Model<NnFitResult, NnFitOptions> {
  readonly kind = 'nn';
  readonly network: ResolvedNetwork;
  readonly optimizer: ResolvedOptimizer;
  /** No learning rate was given: the optimizer's default is in use (divergence messages say so). */
  readonly #defaultLearningRate: boolean;
  #fitted: Fitted | undefined;
  /** The loss of the last fit (or the one a loaded model's metadata names), noted in saved files. */
  #loss: LossName = 'mse';
  #inTraining: (() => Float32Array[]) | undefined;

  static {
    oracleFit = (model, x, y, options) => model.#fit(x, y, options, true) as OracleFitResult;
  }

  constructor(options: NnOptions) {
    this.network = resolveNetwork(options.network);
    this.optimizer = resolveOptimizer(options.optimizer);
    this.#defaultLearningRate = options.optimizer === undefined || typeof options.optimizer === 'string' || options.optimizer.learningRate === undefined;
  }

  fit(x: Features, y: Target, options: NnFitOptions = {}): NnFitResult {
    return this.#fit(x, y, options, false) as NnFitResult;
  }

  #fit(x: Features, y: Target, options: NnFitOptions, oracle: boolean): NnFitResult | OracleFitResult {
    return this.#fitPlanned(this.#plan(x, y, options, oracle));
  }

  /**
   * Fits several networks, each on its own data and options, and returns each fit's result or
   * error: the same as calling `fit` on each in turn (the weights, history and forecasts are the
   * same bits: nn/simd/lockstep.test.ts), but fits of one network shape, optimizer and batch
   * size on the SIMD trainer with squared error train four at a time in the lanes of one kernel
   * call (lockstep: simd/lockstep.ts), which for small networks is about twice as fast. Others
   * (cross-entropy, the 'tfjs' trainer, a network the group would not speed up) fit one by one.
   */
  static fitTogether(requests: readonly NnFitRequest[]): PromiseSettledResult<NnFitResult>[] {
    const outcomes: PromiseSettledResult<NnFitResult>[] = new Array(requests.length);
    const settle = (i: number, fit: () => NnFitResult): void => {
      try {
        outcomes[i] = { status: 'fulfilled', value: fit() };
      } catch (reason) {
        outcomes[i] = { status: 'rejected', reason };
      }
    };
    const groups = new Map<string, { index: number; plan: FitPlan }[]>();
    const run = (group: { index: number; plan: FitPlan }[]): void => {
      if (group.length === 1) {
        const { index, plan } = group[0]!;
        settle(index, () => requests[index]!.model.#fitPlanned(plan) as NnFitResult);
        return;
      }
      const first = group[0]!.plan;
      const lockstep = new LockstepGroup(
        first.network,
        first.optimizer,
        first.batchSize,
        group.map(({ plan }) => ({ train: plan.runnerArgs[3], ...(plan.runnerArgs[4] ? { validation: plan.runnerArgs[4] } : {}), initial: plan.runnerArgs[1] })),
      );
      const models = group.map(({ index }) => requests[index]!.model);
      const lanes = models.map((model, j) => model.#training(() => lockstep.lane(j).currentWeights()));
      let results: ReturnType<typeof trainLockstep>;
      try {
        results = trainLockstep(
          lockstep,
          group.map(({ plan }) => plan.settings),
        );
      } finally {
        for (const end of lanes) end();
      }
      group.forEach(({ index, plan }, j) => {
        const lane = results[j]!;
        settle(index, () => {
          const model = models[j]!;
          if ('error' in lane) throw lane.error instanceof TrainingDiverged ? model.diverged(lane.error) : lane.error;
          return model.#fittedOnKernels(plan, lane.result, lockstep.lane(j).currentWeights()) as NnFitResult;
        });
      });
    };
    requests.forEach((r, index) => {
      let plan: FitPlan;
      try {
        plan = r.model.#plan(r.x, r.y, r.options ?? {}, false);
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
        return;
      }
      const key = lockstepKey(plan);
      if (key === undefined) {
        run([{ index, plan }]);
        return;
      }
      const open = groups.get(key) ?? [];
      open.push({ index, plan });
      groups.set(key, open);
      if (open.length === LANES) {
        groups.delete(key);
        run(open);
      }
    });
    for (const open of groups.values()) run(open);
    return outcomes;
  }

  /** A planned fit, alone. */
  #fitPlanned(plan: FitPlan): NnFitResult | OracleFitResult {
    if (plan.trainer === 'tfjs') return this.#fitTfjs(plan);
    const runner = plan.trainer === 'fused' ? new FusedRunner(...plan.runnerArgs) : new SimdRunner(...plan.runnerArgs);
    const result = this.diverging(() => this.trainWithoutTf(runner, plan.settings));
    return this.#fittedOnKernels(plan, result, runner.currentWeights());
  }

  /** Everything a fit does before its first epoch: the checks, the loop's settings, the initial weights, the data as float32. */
  #plan(x: Features, y: Target, options: NnFitOptions, oracle: boolean): FitPlan {
    const started = performance.now();
    const epochs = options.epochs ?? 1;
    const batchSize = options.batchSize ?? 32;
    const seed = options.seed ?? DEFAULT_SEED;
    if (!isPositiveInteger(epochs)) throw new UserError(`epochs must be a positive integer, got ${epochs}`);
    if (!isPositiveInteger(batchSize)) throw new UserError(`batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(seed)) throw new UserError(`seed must be an integer, got ${seed}`);
    const loss = resolveLoss(options.loss, this.network);
    const trainX = this.checkedFeatures(x, 'training features');
    if (trainX.rows === 0) throw new UserError('nn: no training rows');
    const trainY = toTarget(y, trainX.rows, 'training target');
    checkTargets(loss, trainY, 'training target');
    const validation = options.validation && {
      x: this.checkedFeatures(options.validation.x, 'validation features'),
      y: options.validation.y,
    };
    const valY = validation && toTarget(validation.y, validation.x.rows, 'validation target');
    if (validation?.x.rows === 0) throw new UserError('nn: validation data has no rows');
    if (valY) checkTargets(loss, valY, 'validation target');
    const rule = options.earlyStopping && new EarlyStoppingRule(options.earlyStopping);
    // Before anything is allocated: a network too big for memory is the user's to shrink.
    checkFitSize(this.network, { optimizer: this.optimizer.name, batchRows: Math.min(batchSize, trainX.rows), earlyStopping: rule !== undefined });
    const trainer = oracle ? 'fused' : chooseTrainer(options.trainer ?? 'auto');
    let targetMeanSquare = 0;
    for (let i = 0; i < trainY.length; i++) targetMeanSquare += (trainY[i] as number) ** 2;
    targetMeanSquare /= trainY.length;

    this.dispose();
    this.#loss = loss;
    const initial = initialWeights(this.network, seed);
    const monitor = validation ? 'val_loss' : 'loss';
    const settings: LoopSettings = {
      rows: trainX.rows,
      epochs,
      shuffle: options.shuffle ?? true,
      seed,
      hasValidation: validation !== undefined,
      targetMeanSquare,
      loss,
      ...(rule && options.earlyStopping ? { earlyStopping: { rule, restoreBestWeights: options.earlyStopping.restoreBestWeights } } : {}),
      ...(options.checkpoint ? { onNewBest: this.checkpointWriter(options.checkpoint.dir, seed, monitor) } : {}),
      ...(options.onEpochEnd ? { onEpochEnd: options.onEpochEnd } : {}),
    };
    // The kernels (or the oracle) train on float32 copies; no TensorFlow.js call anywhere.
    const data = (m: FeatureMatrix, t: Float64Array): DenseData => ({ rows: m.rows, x: Float32Array.from(m.data), y: Float32Array.from(t) });
    const runnerArgs =
      trainer === 'tfjs'
        ? undefined
        : ([this.network, initial, this.optimizer, data(trainX, trainY), validation && valY ? data(validation.x, valY) : undefined, batchSize, loss] as const);
    return {
      started,
      network: this.network,
      optimizer: this.optimizer,
      batchSize,
      loss,
      trainer,
      monitor,
      settings,
      initial,
      trainX,
      trainY,
      validation: validation && valY ? { x: validation.x, y: valY } : undefined,
      runnerArgs: runnerArgs as RunnerArgs,
    };
  }

  /** The kernels' fit, after training: the predictor of the final weights and the training loss it gives. */
  #fittedOnKernels(plan: FitPlan, result: LoopResult, weights: Float32Array[]): NnFitResult | OracleFitResult {
    const { loss } = plan;
    const predictor = new SimdPredictor(this.network, weights);
    this.#fitted = { by: 'kernels', predictor };
    // The kernels' forward pass, as predict() runs it, against the float32 targets trained on;
    // sums in float64.
    const trainYf = plan.runnerArgs[3].y;
    const out = predictor.predict(plan.trainX);
    let sse = 0;
    let sum = 0;
    for (let r = 0; r < out.length; r++) {
      sse += ((out[r] as number) - (trainYf[r] as number)) ** 2;
      if (loss !== 'mse') sum += bceRow(out[r] as number, trainYf[r] as number);
    }
    const trainMse = sse / out.length;
    return this.#fitResult(plan, result, trainMse, loss === 'mse' ? trainMse : sum / out.length, NO_TF_BACKEND);
  }

  #fitTfjs(plan: FitPlan): NnFitResult | OracleFitResult {
    const { loss, trainX, trainY } = plan;
    const tf = loadTf();
    const backend = tf.getBackend();
    const net = new DenseNetwork(tf, this.network, plan.initial);
    this.#fitted = { by: 'tfjs', net };
    const tensors = [toTensor(tf, trainX), column(tf, trainY)] as const;
    const valTensors = plan.validation ? [toTensor(tf, plan.validation.x), column(tf, plan.validation.y)] : [];
    const runner = new TfjsRunner(
      tf,
      net,
      this.optimizer,
      { x: tensors[0], y: tensors[1] },
      valTensors.length ? { x: valTensors[0] as Tensor2D, y: valTensors[1] as Tensor2D } : undefined,
      plan.batchSize,
      loss,
    );
    try {
      const result = this.diverging(() => trainLoop(runner, plan.settings));
      const trainMse = meanSquaredError(tf, net, tensors[0], tensors[1]);
      const trainLoss = loss === 'mse' ? trainMse : networkLoss(tf, net, tensors[0], tensors[1], loss);
      return this.#fitResult(plan, result, trainMse, trainLoss, backend);
    } finally {
      runner.dispose();
      tf.dispose([...tensors, ...valTensors]);
    }
  }

  #fitResult(plan: FitPlan, result: LoopResult, trainMse: number, trainLoss: number, backend: string): NnFitResult | OracleFitResult {
    // Every epoch's loss was finite, but the last update may still have made the weights NaN.
    if (!Number.isFinite(trainMse) || !Number.isFinite(trainLoss)) throw this.diverged(new TrainingDiverged(result.epochsRun, 'training loss', trainLoss, Number.NaN));
    return {
      history: { loss: result.loss, ...(result.valLoss ? { valLoss: result.valLoss } : {}) },
      trainMse,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      monitor: plan.monitor,
      stoppedEarly: result.stoppedEarly,
      restoredBestWeights: result.restoredBestWeights,
      trainer: plan.trainer as Trainer,
      backend,
      loss: plan.loss,
      trainLoss,
      seconds: (performance.now() - plan.started) / 1000,
    } as NnFitResult;
  }

  predict(x: Features): Float64Array {
    const fitted = this.fitted();
    const m = this.checkedFeatures(x, 'features');
    if (fitted.by === 'kernels') return fitted.predictor.predict(m);
    const tf = loadTf();
    const out = tf.tidy(() => fitted.net.forward(toTensor(tf, m)));
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
    const fitted = this.fitted();
    return fitted.by === 'kernels' ? fitted.predictor.weights() : fitted.net.readWeights();
  }

  /** model.json + weights.bin in the TensorFlow.js layers format, written without TensorFlow.js (layers-format.ts). */
  save(dir: string): void {
    writeLayersModel(dir, { spec: this.network, weights: this.weights(), metadata: this.metadata() });
  }

  /**
   * The files `save` writes (weights.bin, model.json), in memory. `notes` go into model.json's
   * `userDefinedMetadata.backtest` beside the optimizer (e.g. the fit's seed).
   */
  files(notes: Record<string, unknown> = {}): ModelFiles {
    return networkFiles(this.network, this.optimizer, this.weights(), { ...this.lossNote(), ...notes });
  }

  /** Frees the TensorFlow.js variables of a network the 'tfjs' trainer fitted; the model is unfitted after. */
  dispose(): void {
    if (this.#fitted?.by === 'tfjs') this.#fitted.net.dispose();
    this.#fitted = undefined;
  }

  /**
   * Loads a network saved by `save` or a checkpoint (or any tfjs-layers Sequential of Dense
   * layers). It predicts with the SIMD kernels, so loading and predicting need no TensorFlow.js;
   * only on a runtime without WebAssembly SIMD does TensorFlow.js predict instead.
   */
  static load(dir: string): NnModel {
    const saved = readLayersModel(dir);
    const notes = (saved.metadata.backtest ?? {}) as { optimizer?: OptimizerSpec; loss?: LossName };
    const model = new NnModel({ network: saved.spec, ...(notes.optimizer ? { optimizer: notes.optimizer } : {}) });
    if (notes.loss === 'binaryCrossentropy') model.#loss = notes.loss;
    model.#fitted = simdAvailable()
      ? { by: 'kernels', predictor: new SimdPredictor(model.network, saved.weights) }
      : { by: 'tfjs', net: new DenseNetwork(loadTf(), model.network, saved.weights) };
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
    this.dispose();
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
    const end = this.#training(() => runner.weights.map((w) => Float32Array.from(w)));
    try {
      return trainLoop(runner, settings);
    } finally {
      end();
    }
  }

  /** Callbacks during a fit (onEpochEnd reading parameters()) see the weights in training: until the returned function is called. */
  #training(weights: () => Float32Array[]): () => void {
    this.#inTraining = weights;
    return () => {
      this.#inTraining = undefined;
    };
  }

  private checkpointWriter(dir: string, seed: number, monitor: string): (epoch: number, value: number, weights: () => Float32Array[]) => void {
    return (epoch, value, weights) => {
      writeLayersModel(dir, { spec: this.network, weights: weights(), metadata: this.metadata({ seed, epoch, monitor, value }) });
    };
  }

  /** The loss in the metadata when it is not the default, so files of MSE fits stay as they were. */
  private lossNote(): Record<string, unknown> {
    return this.#loss === 'mse' ? {} : { loss: this.#loss };
  }

  private metadata(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return nnMetadata(this.optimizer, { ...this.lossNote(), ...extra });
  }

  private checkedFeatures(x: Features, what: string): FeatureMatrix {
    const m = toFeatureMatrix(x, what);
    if (m.cols !== this.network.inputSize) {
      throw new UserError(`${what}: the network takes ${this.network.inputSize} inputs but got ${m.cols} columns`);
    }
    return m;
  }

  private fitted(): Fitted {
    if (!this.#fitted) throw new UserError('network is not fitted: call fit() or loadNetwork() first');
    return this.#fitted;
  }
}

/**
 * Tests only (exported from this file, not from the package index): `model.fit` with the fused
 * float64 pass (fused-runner.ts) as the runner, through the same checks, initial weights, epoch
 * driver and divergence rule, so the float32 trainers can be held against it. The fitted model
 * predicts with the SIMD kernels. `options.trainer` is ignored.
 */
export function fitWithOracle(model: NnModel, x: Features, y: Target, options: NnFitOptions = {}): OracleFitResult {
  return oracleFit(model, x, y, options);
}

/** A fit's initial weights for `seed`: Glorot-uniform kernels and zero biases, kernel, bias per layer (Keras' defaults). */
export function initialWeights(network: ResolvedNetwork, seed: number): Float32Array[] {
  const draw = uniform(seed, STREAM.initialWeights);
  return weightShapes(network).map((shape, i) => (i % 2 === 0 ? glorotUniform(shape[0] as number, shape[1] as number, draw) : new Float32Array(shape[0] as number)));
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
 * 'auto': the SIMD kernels, on every backend: they make no TensorFlow.js call while training or
 * predicting, and beat TensorFlow.js' wasm and cpu kernels at every size measured here, 2-4-1 to
 * 2-300-100-1 (bench/cases/nn-trainers.js). The native backend could not be measured here;
 * `trainer: 'tfjs'` forces TensorFlow.js kernels.
 *
 * Where WebAssembly SIMD is missing (Node before 16.4; never on the Node 20 this package needs),
 * 'auto' falls back to 'tfjs', which gives the same numbers to float32 rounding, only slower;
 * asking for 'simd' there is a UserError, not a silent change of trainer.
 */
export function chooseTrainer(requested: 'auto' | Trainer): Trainer {
  if (requested === 'tfjs') return 'tfjs';
  if (requested === 'simd') {
    if (!simdAvailable()) throw new UserError('trainer simd needs WebAssembly SIMD, which this JavaScript runtime lacks (Node 16.4 or later has it); use trainer auto or tfjs');
    return 'simd';
  }
  if (requested === 'auto') return simdAvailable() ? 'simd' : 'tfjs';
  if ((requested as string) === 'fused') {
    throw new UserError(
      'trainer "fused" is no longer offered (the float64 pass is now only the tests\' reference): use auto, simd or tfjs, which give its numbers to float32 rounding',
    );
  }
  throw new UserError(`trainer must be auto, ${TRAINERS.join(', ')}, got "${String(requested)}"`);
}

function toTensor(tf: Tf, m: FeatureMatrix): Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

function column(tf: Tf, y: Float64Array): Tensor2D {
  return tf.tensor2d(Float32Array.from(y), [y.length, 1], 'float32');
}
