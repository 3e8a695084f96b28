import { ContainerModule, StrategyPlugin } from '@backtest/core';
import { builtInFeatures, FeatureBuilder, ModelPlugin } from '@backtest/forecast';
import { composedForecastStrategy } from './forecast-plugin';
import { builtInModels } from './models';

export { composedForecastStrategy, forecastPreset } from './forecast-plugin';
export { builtInModels, nnModel, olsModel } from './models';
export { composedParams } from './params';

/**
 * Binds the built-in feature builders and models and the `forecast` strategy. The strategy is
 * built when the container is asked for strategies, from every feature builder and model bound
 * by then: the built-in ones here and any that plugin modules loaded into the same container add.
 * Worker threads load this module to build the built-in models (`ModelPlugin.module`).
 */
export default new ContainerModule(({ bind }) => {
  for (const f of builtInFeatures) bind<FeatureBuilder>(FeatureBuilder).toConstantValue(f);
  for (const m of builtInModels) bind<ModelPlugin>(ModelPlugin).toConstantValue(m);
  bind<StrategyPlugin>(StrategyPlugin).toDynamicValue((context) =>
    composedForecastStrategy(context.getAll<FeatureBuilder>(FeatureBuilder), context.getAll<ModelPlugin>(ModelPlugin)),
  );
});
