import { defineParams, type ParamSpecs, type ParamValues, UserError } from '@backtest/core';
import { type BackendRequest, type CustomArchitecture, initBackend, SequenceNet, type SequenceTf } from '@backtest/models';
import { defineModel, type ForecastModel, type ModelPlugin, type ModelSettings } from './model-plugin';

/** What every TensorFlow.js network over a lookback window shares: the window and the training settings (Keras' defaults). */
export const trainingParams = defineParams({
  lookback: { type: 'integer', default: 12, min: 1, max: 240, description: 'months (periods) of features each forecast sees, the decision month last' },
  epochs: { type: 'integer', default: 20, min: 1, max: 10_000, description: 'training epochs per fit (the maximum, with early stopping)' },
  optimizer: { type: 'enum', values: ['sgd', 'adam'], default: 'sgd', description: 'SGD (Keras default learning rate 0.01) or Adam (0.001)' },
  learningRate: { type: 'number', default: 0, min: 0, description: "learning rate; 0 = the optimiser's Keras default" },
  batchSize: { type: 'integer', default: 32, min: 1, description: 'samples per gradient step' },
  patience: { type: 'integer', default: 0, min: 0, description: 'early stopping patience in epochs (0 = train every epoch)' },
  validation: { type: 'number', default: 0, min: 0, max: 0.5, description: 'fraction of the latest training samples held out to monitor early stopping' },
});

type Training = ParamValues<typeof trainingParams>;

/**
 * One fit of a TensorFlow.js network on the run's backend (initialised before the first fit of
 * a thread), seeded from the fit's seed: every weight set by its role, every epoch's shuffle
 * drawn from the seed (see `SequenceNet`).
 */
export function sequenceFit(
  architecture: 'lstm' | 'gru' | 'conv1d' | CustomArchitecture,
  p: Training & { units?: number; kernelSize?: number; trainer?: string },
  settings: ModelSettings,
): ForecastModel {
  const net = new SequenceNet({
    ...(p.trainer !== undefined ? { trainer: p.trainer as 'auto' | 'simd' | 'tfjs' } : {}),
    architecture,
    steps: settings.steps,
    inputs: settings.inputs,
    ...(p.units !== undefined ? { units: p.units } : {}),
    ...(p.kernelSize !== undefined ? { kernelSize: p.kernelSize } : {}),
    target: settings.target,
    epochs: p.epochs,
    batchSize: p.batchSize,
    optimizer: p.optimizer as 'sgd' | 'adam',
    learningRate: p.learningRate,
    patience: p.patience,
    validation: p.validation,
    seed: settings.seed,
  });
  return {
    async fit(x, y) {
      // The SIMD kernels need no TensorFlow.js backend (nor TensorFlow.js).
      if (net.options.trainer === 'tfjs') await initBackend(settings.backend as BackendRequest);
      try {
        return net.fit(x, y);
      } catch (e) {
        // A layer of an author's network whose kernel the backend lacks (the wasm backend has no
        // UnsortedSegmentSum, an Embedding's gradient): say how to run it.
        const missing = e instanceof Error ? /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(e.message) : null;
        if (!missing) throw e;
        throw new UserError(`the network needs TensorFlow.js's ${missing[1]} kernel, which the ${missing[2]} backend does not have: run with --backend cpu`);
      }
    },
    predict: (x) => net.predict(x),
    info: () => net.info(),
    files: () => net.files({ seed: settings.seed }),
    dispose: () => net.dispose(),
  };
}

/**
 * A model plugin whose network is the author's own: `build(tf, { steps, inputs })` returns any
 * TensorFlow.js `LayersModel` taking [steps, inputs] and giving one value per sample (a sigmoid
 * output when `target` is 'direction'). The framework trains and predicts it with the run's seed (every
 * weight set from the fit's seed by its role, every epoch's shuffle seeded), Keras-style epochs,
 * early stopping and validation (`trainingParams`), on the run's TensorFlow.js backend, and on
 * worker threads like the built-in models. Its own parameters, if any, come beside the training
 * parameters and reach `build` as its third argument.
 *
 * ```ts
 * export const tinyLstm = defineNetworkModel({
 *   id: 'tiny-lstm',
 *   description: 'an LSTM(8) and a dense output',
 *   build: (tf, { steps, inputs }) =>
 *     tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [steps, inputs] }), tf.layers.dense({ units: 1 })] }),
 *   // (for target=direction, end in tf.layers.dense({ units: 1, activation: 'sigmoid' }))
 * });
 * export default modelModule(tinyLstm);
 * ```
 */
export function defineNetworkModel<S extends ParamSpecs = Record<never, never>>(o: {
  readonly id: string;
  readonly description: string;
  readonly params?: S;
  readonly targets?: readonly ('price' | 'direction')[];
  readonly build: (
    tf: SequenceTf,
    input: { readonly steps: number; readonly inputs: number; readonly target: 'price' | 'direction' },
    params: ParamValues<S>,
  ) => ReturnType<CustomArchitecture['build']>;
}): ModelPlugin {
  const own = (o.params ?? {}) as S;
  for (const name of Object.keys(own)) {
    if (Object.hasOwn(trainingParams, name)) throw new Error(`model "${o.id}": parameter "${name}" is one of the training parameters every network model has; rename it`);
  }
  return defineModel({
    id: o.id,
    description: o.description,
    input: 'sequence',
    targets: o.targets ?? ['price', 'direction'],
    params: { ...trainingParams, ...own },
    create: (p, settings) =>
      sequenceFit({ name: o.id, build: (tf, input) => o.build(tf, { ...input, target: settings.target }, p as unknown as ParamValues<S>) }, p as unknown as Training, settings),
  }) as unknown as ModelPlugin;
}
