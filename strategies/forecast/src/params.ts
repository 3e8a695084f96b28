import { defineParams } from '@backtest/core';
import { forecastParams } from '@backtest/forecast';

/**
 * Parameters of the composed forecast strategy: the shared forecast parameters, which model
 * and which features, and the network's settings (ignored by `ols`). The network defaults are
 * nn-sma's (the study's network), so `model=nn features=sma` is nn-sma.
 */
export const composedParams = defineParams({
  model: { type: 'enum', values: ['ols', 'nn'], default: 'ols', description: 'the forecast model: least squares or a dense network' },
  features: {
    type: 'string',
    default: 'sma',
    pattern: /^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$/,
    hint: 'a comma-separated list of feature names, e.g. sma,rsi',
    description: 'model inputs besides close, by name',
  },
  ...forecastParams,
  hidden: { type: 'integer-list', default: [10], min: 1, description: 'nn: units of each hidden layer, e.g. 300,100; a fit may use at most 1 GB (weights, gradients, optimizer state, a batch: about 35 million weights with SGD, 22 million with Adam)' },
  activation: { type: 'enum', values: ['relu', 'tanh', 'sigmoid', 'linear'], default: 'relu', description: 'nn: activation of the hidden layers' },
  epochs: { type: 'integer', default: 20, min: 1, max: 10_000, description: 'nn: training epochs per fit (the maximum, with early stopping)' },
  optimizer: { type: 'enum', values: ['sgd', 'adam'], default: 'sgd', description: 'nn: SGD (Keras default learning rate 0.01) or Adam (0.001)' },
  learningRate: { type: 'number', default: 0, min: 0, description: "nn: learning rate; 0 = the optimiser's Keras default" },
  batchSize: { type: 'integer', default: 32, min: 1, description: 'nn: rows per gradient step' },
  patience: { type: 'integer', default: 0, min: 0, description: 'nn: early stopping patience in epochs (0 = train every epoch)' },
  validation: { type: 'number', default: 0, min: 0, max: 0.5, description: 'nn: fraction of the latest training rows held out to monitor early stopping' },
  trainer: {
    type: 'enum',
    values: ['auto', 'fused', 'simd', 'tfjs'],
    default: 'auto',
    description: 'nn: training loop: WebAssembly SIMD kernels (auto), a float64 JavaScript pass (fused), or TensorFlow.js kernels (tfjs); the same numbers to float32 rounding',
  },
});
