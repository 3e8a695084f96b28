import { defineParams, defineStrategy, strategyModule } from '@backtest/core';
import { closeAndSmaFeatures, createForecastStrategy, forecastParams, sizingFrom, trainingWindowFrom } from '@backtest/forecast';
import { type Activation, type BackendRequest, nnForecaster } from '@backtest/models';

const params = defineParams({
  ...forecastParams,
  hidden: { type: 'integer-list', default: [10], min: 1, description: 'units of each hidden layer, e.g. 300,100' },
  activation: { type: 'enum', values: ['relu', 'tanh', 'sigmoid', 'linear'], default: 'relu', description: 'activation of the hidden layers' },
  epochs: { type: 'integer', default: 20, min: 1, max: 10_000, description: 'training epochs per fit (the maximum, with early stopping)' },
  optimizer: { type: 'enum', values: ['sgd', 'adam'], default: 'sgd', description: 'SGD (Keras default learning rate 0.01) or Adam (0.001)' },
  learningRate: { type: 'number', default: 0, min: 0, description: 'learning rate; 0 = the optimiser\'s Keras default' },
  batchSize: { type: 'integer', default: 32, min: 1, description: 'rows per gradient step' },
  patience: { type: 'integer', default: 0, min: 0, description: 'early stopping patience in epochs (0 = train every epoch)' },
  validation: { type: 'number', default: 0, min: 0, max: 0.5, description: 'fraction of the latest training rows held out to monitor early stopping' },
  trainer: {
    type: 'enum',
    values: ['auto', 'fused', 'tfjs'],
    default: 'auto',
    description: 'training loop: a fused JavaScript pass (small nets), TensorFlow.js kernels, or auto by size; same numbers to float32 rounding',
  },
});

/**
 * Forecast next period's close with a dense TensorFlow.js network on the scaled close and SMA,
 * walk-forward; long when the forecast beats the current close by more than the threshold.
 * Defaults are the study's network: 2 -> 10 (ReLU) -> 1, SGD 0.01, batch 32, 20 epochs.
 */
export const nnSma = defineStrategy({
  id: 'nn-sma',
  description: 'Neural-network forecast of next close from close and SMA; long when it beats the close',
  kind: 'forecast',
  params,
  create: (p, context) => {
    const layers = [...p.hidden.map((units) => ({ units, activation: p.activation as Activation })), { units: 1, activation: 'linear' as const }];
    const nn = nnForecaster({
      network: { inputSize: 2, layers },
      optimizer: (p.learningRate > 0 ? { name: p.optimizer, learningRate: p.learningRate } : { name: p.optimizer }) as { name: 'sgd' | 'adam' },
      epochs: p.epochs,
      batchSize: p.batchSize,
      patience: p.patience,
      validation: p.validation,
      trainer: p.trainer as 'auto' | 'fused' | 'tfjs',
      seed: context.seed,
      threads: context.threads,
      backend: context.backend as BackendRequest,
    });
    return createForecastStrategy({
      id: 'nn-sma',
      features: closeAndSmaFeatures(p.window),
      model: nn.regressor,
      // Every fit is trained before the walk, on context.threads worker threads; each fit's
      // seed is the run's seed plus its index, so the numbers do not depend on the thread count.
      fitBatch: nn.fitBatch,
      refit: p.refit,
      window: trainingWindowFrom(p),
      minTrain: p.minTrain,
      sizing: sizingFrom(p),
      defaultTestStart: '1991-01',
      context,
      setup: nn.setup,
      info: () => ({ model: 'nn', backend: nn.backend(), layers: [2, ...p.hidden, 1].join('-') }),
    });
  },
});

export default strategyModule(nnSma);
