import { defineParams } from '@backtest/core';
import { forecastParams } from '@backtest/forecast';

/**
 * Parameters of the composed forecast strategy: which model and features, what the model
 * learns, and the shared forecast parameters. The chosen model's own parameters come after them,
 * flat (`--param model=lstm --param units=32`): see `composedForecastStrategy`.
 */
export const composedParams = defineParams({
  model: { type: 'enum', values: ['ols'], default: 'ols', description: 'the forecast model, by id' },
  features: {
    type: 'string',
    default: 'sma',
    pattern: /^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$/,
    hint: 'a comma-separated list of feature names, e.g. sma,rsi',
    description: 'model inputs besides close, by name',
  },
  target: {
    type: 'enum',
    values: ['price', 'direction'],
    default: 'price',
    description:
      'what the model learns: next close (long when its forecast return beats threshold), or whether next close is above this one (long when the probability beats threshold, default 0.5)',
  },
  ...forecastParams,
  select: {
    type: 'string',
    default: '',
    pattern: /^$|^[^=;|]+=[^;]+(;[^=;|]+=[^;]+)*$/,
    hint: 'model parameters with alternatives, e.g. hidden=5|10|20;epochs=10|20',
    description:
      "nested walk-forward selection (--select): at every refit, fit each combination on the training rows less the latest block (the model's validation fraction, else 0.2, at least 12 rows), score it there, and use the best, refitted on all of them",
  },
});

/**
 * How a universe's assets are allocated (`--universe`): each timed alone at 1/N, or the `top`
 * whose forecasts are highest at 1/top each. Declared only when given (see `withAllocation`).
 */
export const allocationParams = defineParams({
  allocation: {
    type: 'enum',
    values: ['timing', 'rotation'],
    default: 'timing',
    description:
      'on a universe: timing (each asset by its own models, long at 1/N when its forecast beats threshold) or rotation (the top assets by forecast at 1/top each, whatever the sign: sizing and threshold do not apply)',
  },
  top: { type: 'integer', default: 1, min: 1, max: 1000, description: 'allocation=rotation: how many assets to hold' },
});
