import { strategyModule } from '@backtest/core';
import { smaFeature } from '@backtest/forecast';
import { forecastPreset, nnModel } from '@backtest/strategy-forecast';

/**
 * Forecast next period's close with a dense network (the SIMD kernels) on the scaled close and SMA,
 * walk-forward; long when the forecast beats the current close by more than the threshold.
 * A preset of the composed `forecast` strategy (`model=nn features=sma`). Defaults are the
 * study's network: 2 -> 10 (ReLU) -> 1, SGD 0.01, batch 32, 20 epochs.
 */
export const nnSma = forecastPreset({
  id: 'nn-sma',
  description: 'Neural-network forecast of next close from close and SMA; long when it beats the close',
  model: nnModel,
  features: [smaFeature],
});

export default strategyModule(nnSma);
