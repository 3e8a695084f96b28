import { ContainerModule, StrategyPlugin } from '@backtest/core';
import { builtInFeatures, FeatureBuilder } from '@backtest/forecast';
import { composedForecastStrategy } from './forecast-plugin';

export { composedForecastStrategy, forecastPreset } from './forecast-plugin';
export { composedParams } from './params';

/**
 * Binds the built-in feature builders and the `forecast` strategy. The strategy is built when
 * the container is asked for strategies, from every feature builder bound by then: the
 * built-in ones here and any that plugin modules loaded into the same container add.
 */
export default new ContainerModule(({ bind }) => {
  for (const f of builtInFeatures) bind<FeatureBuilder>(FeatureBuilder).toConstantValue(f);
  bind<StrategyPlugin>(StrategyPlugin).toDynamicValue((context) => composedForecastStrategy(context.getAll<FeatureBuilder>(FeatureBuilder)));
});
