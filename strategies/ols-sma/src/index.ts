import { strategyModule } from '@backtest/core';
import { smaFeature } from '@backtest/forecast';
import { forecastPreset, olsModel } from '@backtest/strategy-forecast';

/**
 * Forecast next period's close by least squares on the scaled close and SMA, walk-forward;
 * long when the forecast beats the current close by more than the threshold. A preset of the
 * composed `forecast` strategy (`model=ols features=sma`).
 */
export const olsSma = forecastPreset({
  id: 'ols-sma',
  description: 'OLS forecast of next close from close and SMA; long when it beats the close',
  model: olsModel,
  features: [smaFeature],
});

export default strategyModule(olsSma);
