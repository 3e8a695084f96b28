import { defineParams, type ParamValues } from '@backtest/core';
import { defineModel, type ForecastModel, type ModelSettings, type Samples, trainingParams } from '@backtest/forecast';
import {
  type Activation,
  type BackendRequest,
  initBackend,
  LANES,
  type NetworkSpec,
  NetworkTooLargeError,
  type NnFitOptions,
  type NnFitRequest,
  type NnFitResult,
  NnModel,
  type OptimizerSpec,
  type Trainer,
  lockstepKey,
} from '@backtest/models';
import { checkFitSize } from '@backtest/models/internal';
import { BUILT_IN_MODULE, rowsOf } from './shared';

// The training parameters every network shares; a dense network sees one row, so no lookback.
const { lookback: _lookback, ...denseTraining } = trainingParams;

/** The dense network's parameters; the defaults are the study's network (2 -> 10 ReLU -> 1, SGD 0.01, batch 32, 20 epochs). */
const nnParams = defineParams({
  hidden: {
    type: 'integer-list',
    default: [10],
    min: 1,
    description:
      'nn: units of each hidden layer, e.g. 300,100; a fit may use at most 1 GB (weights, gradients, optimizer state, a batch: about 35 million weights with SGD, 22 million with Adam)',
  },
  activation: { type: 'enum', values: ['relu', 'tanh', 'sigmoid', 'linear'], default: 'relu', description: 'nn: activation of the hidden layers' },
  ...denseTraining,
  trainer: {
    type: 'enum',
    values: ['auto', 'simd', 'tfjs'],
    default: 'auto',
    description: 'nn: training loop: WebAssembly SIMD kernels (auto), or TensorFlow.js kernels (tfjs, a check); the same numbers to float32 rounding',
  },
});

type NnParams = ParamValues<typeof nnParams>;

function networkOf(p: NnParams, settings: ModelSettings): NetworkSpec {
  const output: Activation = settings.target === 'direction' ? 'sigmoid' : 'linear';
  return {
    inputSize: settings.inputs * settings.steps,
    layers: [...p.hidden.map((units) => ({ units, activation: p.activation as Activation })), { units: 1, activation: output }],
  };
}

const optimizerOf = (p: NnParams): OptimizerSpec => (p.learningRate > 0 ? { name: p.optimizer as 'sgd', learningRate: p.learningRate } : { name: p.optimizer as 'sgd' });

/** A network too big for a fit, said in the model's parameters: `hidden` (and `batchSize` when the batch is the bulk). */
function tooLarge(e: unknown, p: NnParams): unknown {
  if (!(e instanceof NetworkTooLargeError)) return e;
  const batch = e.size.batchBytes > e.size.bytes / 2;
  const named = batch ? `parameters "hidden" (${p.hidden.join(',')}) and "batchSize" (${p.batchSize})` : `parameter "hidden" (${p.hidden.join(',')})`;
  // Still a NetworkTooLargeError, so that it crosses from a worker thread as itself.
  const said = new NetworkTooLargeError(e.size);
  said.message = `${named}: ${e.message}`;
  return said;
}

/** Refuses a fit of `network` with `batchRows` rows that would need more memory than a fit may use (before anything is allocated). */
function sizeCheck(p: NnParams, network: NetworkSpec): (batchRows: number) => void {
  return (batchRows) => {
    try {
      checkFitSize(network, { optimizer: p.optimizer as 'sgd' | 'adam', batchRows, earlyStopping: p.patience > 0 });
    } catch (e) {
      throw tooLarge(e, p);
    }
  };
}

/** Kernel and bias weights of the dense stack. */
function weightCount(network: NetworkSpec): number {
  let fanIn = network.inputSize;
  let total = 0;
  for (const layer of network.layers) {
    total += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  return total;
}

/**
 * The dense network (`NnModel`): Keras' Dense/SGD/Adam defaults, trained and predicted by the
 * SIMD kernels. The latest `validation` fraction of a fit's samples is held out to monitor early
 * stopping, as Keras' validation_split does. A network too big for one fit's memory is refused
 * when the model is created, naming `hidden`.
 */
export const nnModel = defineModel({
  id: 'nn',
  description: 'a dense network (Keras defaults), trained by the SIMD kernels',
  input: 'row',
  targets: ['price', 'direction'],
  params: nnParams,
  ...(BUILT_IN_MODULE ? { module: BUILT_IN_MODULE } : {}),
  // Forward and backward passes: about three multiply-adds per weight and sample, every epoch.
  work: (p, settings, rows) => 3 * weightCount(networkOf(p, settings)) * rows * p.epochs,
  check: (p, settings) => sizeCheck(p, networkOf(p, settings))(0),
  // A walk's refits of one network (and an ensemble's members, a selection's candidates of one
  // shape) train four at a time in the lanes of the SIMD kernels (NnModel.fitTogether): the same
  // numbers as one by one.
  lockstep: {
    size: LANES,
    key: (p, settings) =>
      lockstepKey({
        trainer: p.trainer === 'tfjs' ? 'tfjs' : 'simd',
        loss: settings.target === 'direction' ? 'binaryCrossentropy' : 'mse',
        network: networkOf(p, settings),
        optimizer: optimizerOf(p),
        batchSize: p.batchSize,
      }),
    fit(models, samples) {
      const fits = models.map((m, i) => {
        const prepare = pending.get(m);
        if (!prepare) throw new Error('nn lockstep: a model this plugin did not create');
        return prepare(samples[i]!.x, samples[i]!.y);
      });
      // A fit refused before training (its size check) fails alone; the others train together.
      const outcomes = NnModel.fitTogether(fits.flatMap((f) => ('request' in f ? [f.request] : [])));
      let k = 0;
      return fits.map((f): PromiseSettledResult<NnFitResult> => {
        if ('error' in f) return { status: 'rejected', reason: f.error };
        const o = outcomes[k++]!;
        return o.status === 'fulfilled' ? { status: 'fulfilled', value: f.done(o.value) } : o;
      });
    },
  },
  create(p, settings) {
    const network = networkOf(p, settings);
    const optimizer = optimizerOf(p);
    const earlyStopping = p.patience > 0;
    const sizeOf = sizeCheck(p, network);
    const net = new NnModel({ network, optimizer });
    let backend = '';
    let trainer = '';
    /** The fit's request to the network (after the size check), and what it keeps of the result. */
    const prepare: Prepare = (x, y) => {
      const rows = rowsOf(x);
      const nVal = Math.floor(y.length * p.validation);
      const nTrain = y.length - nVal;
      try {
        sizeOf(Math.min(p.batchSize, nTrain));
      } catch (error) {
        return { error };
      }
      const options: NnFitOptions = {
        epochs: p.epochs,
        batchSize: p.batchSize,
        seed: settings.seed,
        ...(p.trainer !== 'auto' ? { trainer: p.trainer as Trainer } : {}),
        ...(earlyStopping ? { earlyStopping: { patience: p.patience, restoreBestWeights: true } } : {}),
        ...(nVal > 0 ? { validation: { x: { rows: nVal, cols: rows.cols, data: rows.data.subarray(nTrain * rows.cols) }, y: y.subarray(nTrain) } } : {}),
        ...(settings.target === 'direction' ? { loss: 'binaryCrossentropy' as const } : {}),
      };
      return {
        request: { model: net, x: { rows: nTrain, cols: rows.cols, data: rows.data.subarray(0, nTrain * rows.cols) }, y: y.subarray(0, nTrain), options },
        done: (r) => {
          backend = r.backend;
          trainer = r.trainer;
          return r;
        },
      };
    };
    const model: ForecastModel = {
      async fit(x, y) {
        // TensorFlow.js only for its own trainer (a check); the SIMD kernels need no backend.
        if (p.trainer === 'tfjs') await initBackend(settings.backend as BackendRequest);
        const fit = prepare(x, y);
        if ('error' in fit) throw fit.error;
        return fit.done(net.fit(fit.request.x, fit.request.y, fit.request.options));
      },
      predict: (x) => net.predict(rowsOf(x)),
      info: () => ({ backend, trainer, layers: [network.inputSize, ...p.hidden, 1].join('-') }),
      files: () => net.files({ seed: settings.seed }),
      dispose: () => net.dispose(),
    };
    pending.set(model, prepare);
    return model;
  },
});

/** Each model `create` made, and how its fit is prepared: for `lockstep.fit`. */
const pending = new WeakMap<ForecastModel, Prepare>();

/** A fit's request to its network, and what the model keeps of the result; or why it cannot train. */
type Prepare = (x: Samples, y: Float64Array) => { request: NnFitRequest; done: (r: NnFitResult) => NnFitResult } | { error: unknown };
