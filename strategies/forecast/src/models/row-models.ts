import { defineParams } from '@backtest/core';
import { defineModel } from '@backtest/forecast';
import { LogisticModel, OlsModel, RidgeModel } from '@backtest/models';
import { BUILT_IN_MODULE, closedFormWork, rowsOf } from './shared';

/**
 * Least squares with an intercept on the decision month's features. On the direction target it
 * is logistic regression (maximum likelihood, the GLM counterpart of least squares), not a
 * linear probability model: its forecasts are probabilities in (0, 1) by construction.
 */
export const olsModel = defineModel({
  id: 'ols',
  description: 'least squares with an intercept (logistic regression on target=direction)',
  input: 'row',
  targets: ['price', 'direction'],
  deterministic: true,
  params: defineParams({}),
  ...(BUILT_IN_MODULE ? { module: BUILT_IN_MODULE } : {}),
  work: closedFormWork,
  create(_p, settings) {
    const model = settings.target === 'direction' ? new LogisticModel() : new OlsModel();
    return {
      fit: (x, y) => model.fit(rowsOf(x), y),
      predict: (x) => model.predict(rowsOf(x)),
      files: () => model.files(),
    };
  },
});

/** Ridge regression in closed form, the intercept unpenalised. */
export const ridgeModel = defineModel({
  id: 'ridge',
  description: 'ridge regression (least squares + alpha x squared coefficients), closed form',
  input: 'row',
  deterministic: true,
  params: defineParams({
    alpha: { type: 'number', default: 1, min: 0, description: 'ridge: penalty on the squared coefficients (0 = least squares)' },
  }),
  ...(BUILT_IN_MODULE ? { module: BUILT_IN_MODULE } : {}),
  work: closedFormWork,
  create(p) {
    const model = new RidgeModel({ alpha: p.alpha });
    return {
      fit: (x, y) => model.fit(rowsOf(x), y),
      predict: (x) => model.predict(rowsOf(x)),
      files: () => model.files(),
    };
  },
});
