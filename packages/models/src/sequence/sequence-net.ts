import type { Optimizer, Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UserError } from '@backtest/core';
import type { ModelFiles } from '../model';
import { EarlyStoppingRule } from '../nn/early-stopping';
import { NetworkDivergedError } from '../nn/fit-faults';
import { DEFAULT_SEED, NO_TF_BACKEND } from '../nn/nn-model';
import { type EpochRunner, type LoopResult, type LoopSettings, TrainingDiverged, trainLoop } from '../nn/train-loop';
import { loadTf, type Tf } from '../tf';
import { BUILT_IN_ARCHITECTURES, buildModel, describeLayers, type SequenceArchitecture, weightsToInit } from './architecture';
import { initialWeights, type WeightToInit } from './initializers';
import { loadLayers } from './layers-tf';
import { type LossName, SequenceRunner } from './runner';
import { ensureWasmConvGradient } from './wasm-kernels';
import { checkSamples, checkTargets, type SequenceSamples, sliceSamples, splitAt } from './samples';
import { SimdRecurrentPredictor, SimdRecurrentRunner } from './simd-recurrent';
import { simdAvailable } from '../nn/simd/kernels';

export interface SequenceNetOptions {
  /** 'lstm' | 'gru' | 'conv1d', or `{ build }`: an author's own tfjs-layers network (architecture.ts). */
  readonly architecture: SequenceArchitecture;
  /** Time steps per sample. */
  readonly steps: number;
  /** Features per step. */
  readonly inputs: number;
  /** LSTM/GRU units, Conv1D filters; required for the built-in architectures, ignored by a custom one. */
  readonly units?: number;
  /** Conv1D kernel size. @default 3 */
  readonly kernelSize?: number;
  /** 'price': linear output, MSE; 'direction': sigmoid output (P(up)), binary cross-entropy. @default 'price' */
  readonly target?: 'price' | 'direction';
  /** @default 1 (Keras) */
  readonly epochs?: number;
  /** @default 32 (Keras) */
  readonly batchSize?: number;
  /** @default 'sgd' (as the dense networks of this package) */
  readonly optimizer?: 'sgd' | 'adam';
  /** 0 or undefined: Keras' default, 0.01 for SGD and 0.001 for Adam. */
  readonly learningRate?: number;
  /** Early stopping: epochs without improvement before stopping, best weights restored; 0 = off. @default 0 */
  readonly patience?: number;
  /** Fraction of the latest samples held out to monitor (Keras validation_split); 0 = none. @default 0 */
  readonly validation?: number;
  /** Seeds the initial weights and every epoch's shuffle: one seed, one result. @default 42 */
  readonly seed?: number;
  /**
   * `auto`: an LSTM or a GRU learning a price trains on our SIMD kernels (simd-recurrent.ts),
   * with no TensorFlow.js, and every other network on TensorFlow.js; `simd` insists on the kernels;
   * `tfjs`: TensorFlow.js' layers whatever the network (a check of the kernels). @default 'auto'
   */
  readonly trainer?: 'auto' | 'simd' | 'tfjs';
}

export interface SequenceFitResult {
  readonly history: { readonly loss: number[]; readonly valLoss?: number[] };
  /** The loss ('mse' or 'binary_crossentropy') on the training samples at the final weights. */
  readonly trainLoss: number;
  /** Mean squared error of the final predictions on the training samples (for 'direction', the Brier score). */
  readonly trainMse: number;
  readonly loss: LossName;
  readonly epochsRun: number;
  /** Epoch (1-based) with the lowest monitored loss. */
  readonly bestEpoch: number;
  readonly monitor: 'loss' | 'val_loss';
  readonly stoppedEarly: boolean;
  readonly restoredBestWeights: boolean;
  readonly backend: string;
  readonly seconds: number;
}

export interface SequenceNetInfo {
  /** TensorFlow.js backend in use (it trains and predicts), or `none` on the SIMD kernels. */
  readonly backend: string;
  readonly trainer: 'tfjs' | 'simd';
  /** 'lstm(32)-1', 'gru(8)-1', 'conv1d(16x3)-flatten-1', a custom network's layers likewise. */
  readonly layers: string;
}

/** Keras' optimizer settings (Adam: beta1 0.9, beta2 0.999, epsilon 1e-7). */
type SequenceOptimizer =
  | { readonly name: 'sgd'; readonly learningRate: number }
  | { readonly name: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number };

interface Resolved {
  readonly architecture: SequenceArchitecture;
  readonly architectureName: string;
  readonly steps: number;
  readonly inputs: number;
  readonly units: number;
  readonly kernelSize: number;
  readonly target: 'price' | 'direction';
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: SequenceOptimizer;
  readonly defaultLearningRate: boolean;
  readonly patience: number;
  readonly validation: number;
  readonly seed: number;
  readonly trainer: 'simd' | 'tfjs';
}

/**
 * A sequence model (LSTM, GRU, 1-D convolution, or an author's own tfjs-layers network) trained
 * reproducibly on the active TensorFlow.js backend: the framework sets every initial weight from
 * the seed (Keras' defaults by role, initializers.ts) and runs its own epochs (runner.ts, driven
 * by nn/train-loop.ts: seeded shuffle, Keras' early stopping and loss bookkeeping), so one seed
 * gives bit-identical weights and predictions on every run on one backend. `fit` is
 * synchronous and starts from scratch each time. The caller chooses the backend beforehand
 * (`await initBackend(...)`); nothing here touches it.
 */
export class SequenceNet {
  readonly kind = 'sequence';
  readonly options: Resolved;
  #model: LayersModel | undefined;
  /** A fit on the SIMD kernels: its weights (TensorFlow.js' order) and its predictor; #model is then built only when files are asked for. */
  #simd: { readonly weights: Float32Array[]; readonly predictor: SimdRecurrentPredictor } | undefined;
  #history: { loss: number[]; valLoss?: number[] } | undefined;
  #lastFit: LoopResult | undefined;

  constructor(options: SequenceNetOptions) {
    this.options = resolveOptions(options);
  }

  /** Loss history of the last fit (empty before any). */
  get history(): { readonly loss: readonly number[]; readonly valLoss?: readonly number[] } {
    return this.#history ?? { loss: [] };
  }

  fit(x: SequenceSamples, y: Float64Array): SequenceFitResult {
    const started = performance.now();
    const o = this.options;
    checkSamples(x, o.steps, o.inputs, 'training samples');
    if (x.rows === 0) throw new UserError('sequence: no training samples');
    checkTargets(y, x.rows, o.target, 'training targets');
    const at = splitAt(x.rows, o.validation);
    const hasValidation = at < x.rows;
    const rule = o.patience > 0 ? new EarlyStoppingRule({ patience: o.patience, restoreBestWeights: true }) : undefined;
    const lossName: LossName = o.target === 'direction' ? 'binary_crossentropy' : 'mse';
    let targetMeanSquare = 0;
    if (lossName === 'mse') {
      for (let i = 0; i < at; i++) targetMeanSquare += (y[i] as number) ** 2;
      targetMeanSquare /= at;
    }

    this.dispose();
    this.#history = undefined;
    this.#lastFit = undefined;
    const settings: LoopSettings = {
      rows: at,
      epochs: o.epochs,
      shuffle: true,
      seed: o.seed,
      hasValidation,
      targetMeanSquare,
      ...(rule ? { earlyStopping: { rule, restoreBestWeights: true } } : {}),
    };
    if (o.trainer === 'simd') return this.fitSimd(x, y, settings, started);
    const tf = loadTf();
    ensureWasmConvGradient(tf);
    const model = this.build();
    const toX = (from: number, to: number): Tensor3D => tf.tensor3d(sliceSamples(x, from, to), [to - from, o.steps, o.inputs], 'float32');
    const toY = (from: number, to: number): Tensor2D => tf.tensor2d(Float32Array.from(y.subarray(from, to)), [to - from, 1], 'float32');
    const train = { x: toX(0, at), y: toY(0, at) };
    const validation = hasValidation ? { x: toX(at, x.rows), y: toY(at, x.rows) } : undefined;
    const runner = new SequenceRunner(tf, model, makeOptimizer(tf, o.optimizer), lossName, train, validation, o.batchSize);
    try {
      const result = this.trainOn(runner, settings);
      const trainLoss = this.finite(runner.lossOn(train.x, train.y), result, runner);
      const predicted = this.predictTensor(train.x);
      let sse = 0;
      for (let i = 0; i < at; i++) sse += ((predicted[i] as number) - (y[i] as number)) ** 2;
      return this.fitResult(result, { trainLoss, trainMse: sse / at, loss: lossName, backend: tf.getBackend(), started });
    } finally {
      runner.dispose();
      tf.dispose([train.x, train.y, ...(validation ? [validation.x, validation.y] : [])]);
    }
  }

  /** `fit` on the SIMD kernels: an LSTM or a GRU learning a price, its initial weights set by role from the seed as for TensorFlow.js. */
  private fitSimd(x: SequenceSamples, y: Float64Array, settings: LoopSettings, started: number): SequenceFitResult {
    const o = this.options;
    const cell = o.architecture === 'gru' ? 'gru' : 'lstm';
    const shape = { cell, steps: o.steps, inputs: o.inputs, units: o.units } as const;
    const at = settings.rows;
    const hasValidation = settings.hasValidation;
    const data = (from: number, to: number) => ({ rows: to - from, x: sliceSamples(x, from, to), y: Float32Array.from(y.subarray(from, to)) });
    const train = data(0, at);
    const runner = new SimdRecurrentRunner(
      shape,
      initialWeights(recurrentWeightsToInit(cell, o.inputs, o.units), o.seed),
      o.optimizer,
      train,
      hasValidation ? data(at, x.rows) : undefined,
      o.batchSize,
    );
    const result = this.trainOn(runner, settings);
    const weights = runner.currentWeights();
    const predictor = new SimdRecurrentPredictor(shape, weights);
    const predicted = predictor.predict(train);
    let sse = 0;
    for (let i = 0; i < at; i++) sse += ((predicted[i] as number) - (train.y[i] as number)) ** 2;
    const trainLoss = this.finite(sse / at, result, runner);
    this.#simd = { weights, predictor };
    return this.fitResult(result, { trainLoss, trainMse: trainLoss, loss: 'mse', backend: NO_TF_BACKEND, started });
  }

  /** The epochs, a divergence said as the NetworkDivergedError the dense networks throw. */
  private trainOn<S>(runner: EpochRunner<S>, settings: LoopSettings): LoopResult {
    try {
      return trainLoop(runner, settings);
    } catch (e) {
      if (e instanceof TrainingDiverged) throw this.diverged(e);
      throw e;
    }
  }

  /** The final training loss, checked: every epoch's loss was finite, but the last update may still have made the weights NaN. */
  private finite(trainLoss: number, result: LoopResult, runner: EpochRunner<unknown>): number {
    if (!Number.isFinite(trainLoss)) throw this.diverged(new TrainingDiverged(result.epochsRun, 'training loss', trainLoss, runner.initialLoss()));
    return trainLoss;
  }

  /** What a fit reports (and keeps: its history, for `files`), either trainer. */
  private fitResult(result: LoopResult, r: { trainLoss: number; trainMse: number; loss: LossName; backend: string; started: number }): SequenceFitResult {
    this.#history = { loss: result.loss, ...(result.valLoss ? { valLoss: result.valLoss } : {}) };
    this.#lastFit = result;
    return {
      history: this.#history,
      trainLoss: r.trainLoss,
      trainMse: r.trainMse,
      loss: r.loss,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      monitor: result.valLoss ? 'val_loss' : 'loss',
      stoppedEarly: result.stoppedEarly,
      restoredBestWeights: result.restoredBestWeights,
      backend: r.backend,
      seconds: (performance.now() - r.started) / 1000,
    };
  }

  /** One value per sample: the forecast for 'price', P(up) for 'direction'. */
  predict(x: SequenceSamples): Float64Array {
    const o = this.options;
    if (this.#simd) {
      checkSamples(x, o.steps, o.inputs, 'samples');
      return this.#simd.predictor.predict({ rows: x.rows, x: sliceSamples(x, 0, x.rows) });
    }
    this.fitted();
    checkSamples(x, o.steps, o.inputs, 'samples');
    if (x.rows === 0) return new Float64Array(0);
    const tf = loadTf();
    const input = tf.tensor3d(sliceSamples(x, 0, x.rows), [x.rows, o.steps, o.inputs], 'float32');
    try {
      return this.predictTensor(input);
    } finally {
      input.dispose();
    }
  }

  /**
   * Builds the model (if there is none) with the seeded initial weights, without training:
   * what `fit` starts from. For inspection and tests.
   */
  build(): LayersModel {
    if (this.#model) return this.#model;
    loadLayers();
    const o = this.options;
    const model = buildModel({ architecture: o.architecture, steps: o.steps, inputs: o.inputs, units: o.units, kernelSize: o.kernelSize, target: o.target });
    this.#model = model;
    this.setWeights(initialWeights(weightsToInit(model), o.seed));
    return model;
  }

  /** The weights in `model.weights` order (kernel, recurrent kernel, bias, ... as tfjs-layers lists them), float32 copies. */
  weights(): Float32Array[] {
    if (this.#simd) return this.#simd.weights.map((w) => w.slice());
    return this.fitted().weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  }

  /** Weight names in `weights()` order ('lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', ...). */
  weightNames(): string[] {
    return this.fitted().weights.map((w) => w.originalName);
  }

  /** Replaces every weight (building the model first if needed), in `weights()` order. */
  setWeights(values: readonly Float32Array[]): void {
    this.#simd = undefined;
    const tf = loadTf();
    const model = this.#model ?? this.build();
    const vars = model.weights;
    if (values.length !== vars.length) throw new Error(`expected ${vars.length} weight arrays, got ${values.length}`);
    vars.forEach((w, i) => {
      const v = values[i] as Float32Array;
      const shape = w.shape as number[];
      if (v.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`weight ${w.originalName}: ${v.length} values for shape [${shape}]`);
      const t = tf.tensor(v, shape, 'float32');
      (w.read() as Variable).assign(t);
      t.dispose();
    });
  }

  info(): SequenceNetInfo {
    if (this.#simd) return { backend: NO_TF_BACKEND, trainer: 'simd', layers: `${this.options.architectureName}(${this.options.units})-1` };
    return { backend: loadTf().getBackend(), trainer: 'tfjs', layers: describeLayers(this.fitted()) };
  }

  /**
   * model.json + weights.bin in the TensorFlow.js layers format, in memory (weights.bin first,
   * the order to write them in), built synchronously: the same artifacts `model.save` hands an
   * `io.withSaveHandler` (topology from `toJSON`, float32 weights under their original names),
   * so `tf.loadLayersModel` reads them back with identical predictions. `userDefinedMetadata`
   * holds `backtest: { format: 'backtest-sequence', version, seed, architecture, ... }`.
   */
  files(notes: Record<string, unknown> = {}): ModelFiles {
    const values = this.weights();
    // A SIMD fit has no TensorFlow.js model: one is built for its topology and given the weights.
    if (this.#simd) {
      const simd = this.#simd;
      this.setWeights(values);
      this.#simd = simd;
    }
    const model = this.fitted();
    const o = this.options;
    const total = values.reduce((s, w) => s + w.length, 0);
    const all = new Float32Array(total);
    let offset = 0;
    for (const w of values) {
      all.set(w, offset);
      offset += w.length;
    }
    const { version_layers: version } = loadLayers();
    const fit = this.#lastFit;
    const modelJson = {
      modelTopology: model.toJSON(null, false),
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${version} (@backtest/models SequenceNet)`,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: model.weights.map((w) => ({ name: w.originalName, shape: w.shape, dtype: 'float32' })) }],
      userDefinedMetadata: {
        backtest: {
          format: 'backtest-sequence',
          version: 1,
          seed: o.seed,
          architecture: o.architectureName,
          ...(typeof o.architecture === 'string' ? { units: o.units, ...(o.architecture === 'conv1d' ? { kernelSize: o.kernelSize } : {}) } : {}),
          steps: o.steps,
          inputs: o.inputs,
          target: o.target,
          layers: describeLayers(model),
          optimizer: o.optimizer,
          epochs: o.epochs,
          batchSize: o.batchSize,
          patience: o.patience,
          validation: o.validation,
          ...(fit ? { epochsRun: fit.epochsRun, bestEpoch: fit.bestEpoch } : {}),
          ...notes,
        },
      },
    };
    // Float32Array bytes are little-endian on every platform Node runs on, as weights.bin requires.
    return { 'weights.bin': new Uint8Array(all.buffer), 'model.json': `${JSON.stringify(modelJson)}\n` };
  }

  /** Frees the model's tensors; predict() then needs a new fit(). */
  dispose(): void {
    this.#model?.dispose();
    this.#model = undefined;
    this.#simd = undefined;
  }

  private predictTensor(x: Tensor3D): Float64Array {
    const tf = loadTf();
    const model = this.fitted();
    const out = tf.tidy(() => model.apply(x, { training: false }) as Tensor);
    try {
      return Float64Array.from(out.dataSync());
    } finally {
      out.dispose();
    }
  }

  private diverged(d: TrainingDiverged): NetworkDivergedError {
    this.dispose();
    return divergedError(d, this.options.optimizer, this.options.defaultLearningRate);
  }

  private fitted(): LayersModel {
    if (!this.#model) throw new UserError('sequence network is not fitted: call fit() first');
    return this.#model;
  }
}

/**
 * TrainingDiverged as the NetworkDivergedError the dense networks throw (the same class, the
 * same message naming the learning rate to lower). nn/nn-model.ts does this conversion in a
 * private method, so this is the sequence networks' own few lines of it.
 */
function divergedError(d: TrainingDiverged, optimizer: SequenceOptimizer, defaultLearningRate: boolean): NetworkDivergedError {
  return new NetworkDivergedError({
    epoch: d.epoch,
    monitor: d.monitor,
    value: d.value,
    ...(Number.isFinite(d.before) ? { before: d.before } : {}),
    optimizer: optimizer.name,
    learningRate: optimizer.learningRate,
    defaultLearningRate,
  });
}

function makeOptimizer(tf: Tf, o: SequenceOptimizer): Optimizer {
  return o.name === 'sgd' ? tf.train.sgd(o.learningRate) : tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
}

function resolveOptions(o: SequenceNetOptions): Resolved {
  const positiveInteger = (what: string, v: number): number => {
    if (!(Number.isInteger(v) && v > 0)) throw new UserError(`sequence: ${what} must be a positive integer, got ${v}`);
    return v;
  };
  const a = o.architecture;
  const builtIn = typeof a === 'string';
  if (builtIn && !BUILT_IN_ARCHITECTURES.includes(a)) {
    throw new UserError(`sequence: architecture must be ${BUILT_IN_ARCHITECTURES.join(', ')} or { build }, got "${String(a)}"`);
  }
  if (!builtIn && (typeof a !== 'object' || a === null || typeof a.build !== 'function')) {
    throw new UserError('sequence: a custom architecture is an object with a build(tf, { steps, inputs }) function');
  }
  const steps = positiveInteger('steps', o.steps);
  const inputs = positiveInteger('inputs', o.inputs);
  if (builtIn && o.units === undefined) throw new UserError(`sequence: architecture ${a} needs units`);
  const units = builtIn ? positiveInteger('units', o.units as number) : (o.units ?? 0);
  const kernelSize = positiveInteger('kernelSize', o.kernelSize ?? 3);
  if (a === 'conv1d' && kernelSize > steps) throw new UserError(`sequence: conv1d kernelSize ${kernelSize} is longer than the ${steps} steps`);
  const target = o.target ?? 'price';
  if (target !== 'price' && target !== 'direction') throw new UserError(`sequence: target must be price or direction, got "${String(target)}"`);
  const name = o.optimizer ?? 'sgd';
  if (name !== 'sgd' && name !== 'adam') throw new UserError(`sequence: optimizer must be sgd or adam, got "${String(name)}"`);
  const lr = o.learningRate ?? 0;
  if (!(Number.isFinite(lr) && lr >= 0)) throw new UserError(`sequence: learningRate must be a number >= 0 (0: the optimizer's default), got ${lr}`);
  const defaultLearningRate = lr === 0;
  const learningRate = defaultLearningRate ? (name === 'sgd' ? 0.01 : 0.001) : lr;
  const optimizer: SequenceOptimizer = name === 'sgd' ? { name, learningRate } : { name, learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const patience = o.patience ?? 0;
  if (!(Number.isInteger(patience) && patience >= 0)) throw new UserError(`sequence: patience must be a whole number >= 0, got ${patience}`);
  const validation = o.validation ?? 0;
  if (!(validation >= 0 && validation < 1)) throw new UserError(`sequence: validation must be a fraction in [0, 1), got ${validation}`);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new UserError(`sequence: seed must be an integer, got ${seed}`);
  const requested = o.trainer ?? 'auto';
  if (requested !== 'auto' && requested !== 'simd' && requested !== 'tfjs') throw new UserError(`sequence: trainer must be auto, simd or tfjs, got "${String(requested)}"`);
  // The kernels have the LSTM and the GRU on squared error; every other network trains on TensorFlow.js.
  const kernelsCan = (a === 'lstm' || a === 'gru') && target === 'price';
  if (requested === 'simd' && !kernelsCan) throw new UserError('sequence: trainer simd trains an LSTM or a GRU learning a price; use trainer auto or tfjs for this network');
  if (requested === 'simd' && !simdAvailable()) throw new UserError('sequence: trainer simd needs WebAssembly SIMD, which this JavaScript runtime lacks; use trainer auto or tfjs');
  const trainer = requested === 'tfjs' || !kernelsCan || !simdAvailable() ? 'tfjs' : 'simd';
  return {
    trainer,
    architecture: a,
    architectureName: builtIn ? a : (a.name ?? 'custom'),
    steps,
    inputs,
    units,
    kernelSize,
    target,
    epochs: positiveInteger('epochs', o.epochs ?? 1),
    batchSize: positiveInteger('batchSize', o.batchSize ?? 32),
    optimizer,
    defaultLearningRate,
    patience,
    validation,
    seed,
  };
}

/** The built-in LSTM's or GRU's weights described for initialisation, as `weightsToInit` describes its TensorFlow.js model (simd-recurrent.test.ts checks they agree). */
export function recurrentWeightsToInit(cell: 'lstm' | 'gru', inputs: number, units: number): WeightToInit[] {
  const g = (cell === 'lstm' ? 4 : 3) * units;
  return [
    { name: `${cell}/kernel`, shape: [inputs, g] },
    { name: `${cell}/recurrent_kernel`, shape: [units, g] },
    { name: `${cell}/bias`, shape: [g], ...(cell === 'lstm' ? { lstmForgetBiasUnits: units } : {}) },
    { name: 'dense/kernel', shape: [units, 1] },
    { name: 'dense/bias', shape: [1] },
  ];
}
