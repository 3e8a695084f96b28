import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UserError } from '@backtest/core';
import { loadLayers, type SequenceTf, sequenceTf, withDefaultNames } from './layers-tf';
import type { WeightToInit } from './initializers';

/** An author's own network: any tfjs-layers model taking [steps, inputs] and giving one value per sample. */
export interface CustomArchitecture {
  /**
   * Builds the (untrained) model, e.g.
   * `(tf, { steps, inputs }) => tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [steps, inputs] }), tf.layers.dense({ units: 1 })] })`.
   * The input must be [steps, inputs] and the output [batch, 1] (end in a sigmoid for target
   * 'direction'). Initializer arguments are ignored: the framework sets every weight from the
   * seed by the role its name gives (see initializers.ts `initialWeights`), so the network
   * trains reproducibly. Unnamed layers get Keras-style names counted within the build (lstm,
   * dense, dense_1), so model.json is the same on every run too. Layers that draw random numbers while training (Dropout and its kin,
   * RNN dropout) are refused for the same reason. Called once per fit.
   */
  readonly build: (tf: SequenceTf, input: { readonly steps: number; readonly inputs: number }) => LayersModel;
  /** A label for reports and the saved metadata. @default 'custom' */
  readonly name?: string;
}

export type SequenceArchitecture = 'lstm' | 'gru' | 'conv1d' | CustomArchitecture;
export const BUILT_IN_ARCHITECTURES = ['lstm', 'gru', 'conv1d'] as const;

export interface NetworkShape {
  readonly architecture: SequenceArchitecture;
  readonly steps: number;
  readonly inputs: number;
  /** LSTM/GRU units, Conv1D filters (ignored by a custom network). */
  readonly units: number;
  readonly kernelSize: number;
  readonly target: 'price' | 'direction';
}

/**
 * The model for `shape`. Built-in networks, Keras' defaults written out:
 * - lstm: LSTM(units, tanh, recurrent sigmoid, unit_forget_bias) -> Dense(1);
 * - gru: GRU(units, tanh, recurrent sigmoid) -> Dense(1), in tfjs' only convention,
 *   reset_after = false (the reset gate multiplies the state before its matrix product; Keras
 *   2.3+ defaults to reset_after = true, which tfjs-layers refuses);
 * - conv1d: Conv1D(units filters, kernelSize, relu, 'valid') -> Flatten -> Dense(1). Flatten
 *   rather than global average pooling: pooling averages each filter over the window and so
 *   forgets where a pattern occurred, but for a forecast the latest steps matter more than the
 *   earliest; Flatten lets the output layer weight every position on its own, at the cost of
 *   (steps - kernelSize + 1) * filters output weights instead of filters.
 * The output is linear for target 'price' and sigmoid for 'direction'. Layers get fixed names,
 * so model.json does not depend on how many models the process built before. The LSTM's
 * `unitForgetBias` is left unset: tfjs-layers 4.22's initializer for it leaks four tensors per
 * build, and the framework sets the forget-gate bias to 1 itself (`weightsToInit`).
 */
export function buildModel(shape: NetworkShape): LayersModel {
  const { architecture, steps, inputs, units, kernelSize } = shape;
  if (typeof architecture === 'object') return buildCustom(architecture, shape);
  const tf = loadLayers();
  const zeros = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const inputShape = [steps, inputs];
  const output = tf.layers.dense({ units: 1, activation: shape.target === 'direction' ? 'sigmoid' : 'linear', name: 'dense', ...zeros });
  const body =
    architecture === 'lstm'
      ? [tf.layers.lstm({ units, activation: 'tanh', recurrentActivation: 'sigmoid', recurrentInitializer: 'zeros', inputShape, name: 'lstm', ...zeros })]
      : architecture === 'gru'
        ? [tf.layers.gru({ units, activation: 'tanh', recurrentActivation: 'sigmoid', recurrentInitializer: 'zeros', inputShape, name: 'gru', ...zeros })]
        : [tf.layers.conv1d({ filters: units, kernelSize, activation: 'relu', padding: 'valid', inputShape, name: 'conv1d', ...zeros }), tf.layers.flatten({ name: 'flatten' })];
  return tf.sequential({ layers: [...body, output], name: 'sequential' });
}

function buildCustom(architecture: CustomArchitecture, shape: NetworkShape): LayersModel {
  const model = withDefaultNames(() => architecture.build(sequenceTf(), { steps: shape.steps, inputs: shape.inputs }));
  const bad = (why: string): never => {
    model.dispose();
    throw new UserError(`architecture ${architecture.name ?? 'custom'}: ${why}`);
  };
  if (!model || typeof (model as Partial<LayersModel>).predict !== 'function')
    throw new UserError(`architecture ${architecture.name ?? 'custom'}: build() must return a tfjs-layers model (tf.sequential() or tf.model())`);
  const input = model.inputs.length === 1 ? model.inputs[0]?.shape : undefined;
  if (input?.length !== 3 || input[1] !== shape.steps || input[2] !== shape.inputs) {
    bad(`the model must take one input of shape [steps, inputs] = [${shape.steps}, ${shape.inputs}], got ${JSON.stringify(model.inputs.map((i) => i.shape.slice(1)))}`);
  }
  const output = model.outputs.length === 1 ? model.outputs[0]?.shape : undefined;
  if (output?.length !== 2 || output[1] !== 1) {
    bad(`the model must output one value per sample (shape [batch, 1]), got ${JSON.stringify(model.outputs.map((o) => o.shape))}`);
  }
  for (const layer of allLayers(model)) {
    const why = randomness(layer);
    if (why) bad(`layer ${layer.name} ${why}, so fits would not be reproducible; remove it`);
  }
  return model;
}

type AnyLayer = LayersModel['layers'][number];

/** The layers of `model` and every layer inside them (nested models, wrappers, RNN cells). */
function allLayers(model: LayersModel): AnyLayer[] {
  const out: AnyLayer[] = [];
  const visit = (layer: AnyLayer | undefined): void => {
    if (!layer || out.includes(layer)) return;
    out.push(layer);
    const inner = layer as unknown as { layers?: AnyLayer[]; cell?: AnyLayer & { cells?: AnyLayer[] }; forwardLayer?: AnyLayer; backwardLayer?: AnyLayer; layer?: AnyLayer };
    for (const l of inner.layers ?? []) visit(l);
    visit(inner.cell);
    for (const c of inner.cell?.cells ?? []) visit(c);
    visit(inner.forwardLayer);
    visit(inner.backwardLayer);
    visit(inner.layer);
  };
  for (const l of model.layers) visit(l);
  return out;
}

const RANDOM_LAYERS = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** Why `layer` draws from TensorFlow.js' unseeded generator while training, if it does. */
function randomness(layer: AnyLayer): string | undefined {
  const cls = layer.getClassName();
  if (RANDOM_LAYERS.has(cls) || /^Random/.test(cls)) return `(${cls}) draws random numbers while training`;
  const cell = layer as unknown as { dropout?: number; recurrentDropout?: number };
  if ((cell.dropout ?? 0) > 0 || (cell.recurrentDropout ?? 0) > 0) return `(${cls}) has dropout, which draws random numbers while training`;
  return undefined;
}

/**
 * `model.weights` described for initialisation: names, shapes, and which are LSTM biases that
 * get Keras' unit_forget_bias. That applies to every LSTM cell whose `unitForgetBias` is not
 * explicitly false: Keras defaults it to true (tfjs to false; the framework follows Keras, as
 * everywhere else).
 */
export function weightsToInit(model: LayersModel): WeightToInit[] {
  const forget = new Map<unknown, number>();
  for (const layer of allLayers(model)) {
    const cell = layer as unknown as { bias?: unknown; units?: number; unitForgetBias?: boolean };
    if (layer.getClassName() === 'LSTMCell' && cell.bias && cell.unitForgetBias !== false) forget.set(cell.bias, cell.units as number);
  }
  return model.weights.map((w) => {
    const units = forget.get(w);
    return { name: w.originalName, shape: w.shape as number[], ...(units === undefined ? {} : { lstmForgetBiasUnits: units }) };
  });
}

/**
 * The layers as one label: a Dense layer is its unit count, any other layer its class in lower
 * case with its units or filters (and kernel size): 'lstm(32)-1', 'conv1d(16x3)-flatten-1'.
 */
export function describeLayers(model: LayersModel): string {
  return model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => {
      const c = l.getConfig() as { units?: number; filters?: number; kernelSize?: number | number[]; layer?: unknown };
      const cls = l.getClassName();
      if (cls === 'Dense') return String(c.units);
      const kernel = Array.isArray(c.kernelSize) ? c.kernelSize.join('x') : c.kernelSize;
      const size = c.units ?? c.filters;
      return `${cls.toLowerCase()}${size === undefined ? '' : `(${size}${kernel === undefined ? '' : `x${kernel}`})`}`;
    })
    .join('-');
}
