import { defineStrategy, strategyModule } from '@backtest/core';
import { closeAndSmaFeatures, createForecastStrategy, forecastParams, sizingFrom, trainingWindowFrom } from '@backtest/forecast';
import { OlsModel } from '@backtest/models';

/**
 * Forecast next period's close by least squares on the scaled close and SMA, walk-forward;
 * long when the forecast beats the current close by more than the threshold.
 */
export const olsSma = defineStrategy({
  id: 'ols-sma',
  description: 'OLS forecast of next close from close and SMA; long when it beats the close',
  kind: 'forecast',
  params: forecastParams,
  create: (p, context) => {
    let last: OlsModel | undefined;
    return createForecastStrategy({
      id: 'ols-sma',
      features: closeAndSmaFeatures(p.window),
      model: () => (last = new OlsModel()),
      refit: p.refit,
      window: trainingWindowFrom(p),
      minTrain: p.minTrain,
      sizing: sizingFrom(p),
      defaultTestStart: '1991-01',
      context,
      info: () => ({ model: 'ols', lastCoefficients: last?.parameters() }),
    });
  },
});

export default strategyModule(olsSma);
