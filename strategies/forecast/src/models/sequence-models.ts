import { defineParams, type ParamSpecs, UserError } from '@backtest/core';
import { defineModel, type ModelPlugin, trainingParams } from '@backtest/forecast';
import { sequenceFit } from '@backtest/forecast/internal';
import { sequenceFitWork } from '@backtest/models/internal';
import { BUILT_IN_MODULE } from './shared';

const recurrentParams = defineParams({
  units: { type: 'integer', default: 32, min: 1, max: 4096, description: 'units of the recurrent layer' },
  ...trainingParams,
  trainer: {
    type: 'enum',
    values: ['auto', 'simd', 'tfjs'],
    default: 'auto',
    description:
      'lstm, gru: training loop: WebAssembly SIMD kernels (auto, for target=price; direction trains on TensorFlow.js), or TensorFlow.js layers (tfjs, a check); the same numbers to float32 rounding',
  },
});

const convParams = defineParams({
  units: { type: 'integer', default: 32, min: 1, max: 4096, description: 'filters of the 1-D convolution' },
  kernelSize: { type: 'integer', default: 3, min: 1, max: 240, description: 'conv1d: kernel length in periods (at most lookback)' },
  ...trainingParams,
});

function recurrent(id: 'lstm' | 'gru', description: string): ModelPlugin {
  return defineModel({
    id,
    description,
    input: 'sequence',
    targets: ['price', 'direction'],
    params: recurrentParams,
    ...(BUILT_IN_MODULE ? { module: BUILT_IN_MODULE } : {}),
    work: (p, settings, rows) => sequenceFitWork({ architecture: id, units: p.units, steps: settings.steps, inputs: settings.inputs, rows, epochs: p.epochs }),
    create: (p, settings) => sequenceFit(id, p, settings),
  }) as unknown as ModelPlugin;
}

export const lstmModel = recurrent(
  'lstm',
  'an LSTM layer over the lookback window, then one dense output (Keras defaults, orthogonal recurrent weights; trained on our SIMD kernels for target=price, else TensorFlow.js)',
);
export const gruModel = recurrent(
  'gru',
  "a GRU layer (TensorFlow.js' reset_after=false) over the lookback window, then one dense output (Keras defaults, orthogonal recurrent weights; SIMD kernels for target=price, else TensorFlow.js)",
);

export const conv1dModel = defineModel({
  id: 'conv1d',
  description: 'a 1-D convolution (ReLU) over the lookback window, flattened, then one dense output (TensorFlow.js, Keras defaults)',
  input: 'sequence',
  targets: ['price', 'direction'],
  params: convParams,
  ...(BUILT_IN_MODULE ? { module: BUILT_IN_MODULE } : {}),
  check(p) {
    if (p.kernelSize > p.lookback) throw new UserError(`parameter "kernelSize" (${p.kernelSize}) must be at most "lookback" (${p.lookback})`);
  },
  work: (p, settings, rows) =>
    sequenceFitWork({ architecture: 'conv1d', units: p.units, kernelSize: p.kernelSize, steps: settings.steps, inputs: settings.inputs, rows, epochs: p.epochs }),
  create: (p, settings) => sequenceFit('conv1d', p, settings),
}) as unknown as ModelPlugin<ParamSpecs>;
