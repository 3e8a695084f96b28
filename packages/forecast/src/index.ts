// The plugin author's API: features, the forecast building block, model plugins (the framework's
// own helpers are under '@backtest/forecast/internal').
export {
  builtInFeatures,
  emaFeature,
  macdFeature,
  momentumFeature,
  rsiFeature,
  smaFeature,
  volatilityFeature,
} from './builtin-features';
export { alignTail, FeatureBuilder, periods, trailingZScore } from './feature-builder';
export { featureModule } from './feature-module';
export { closeAndSmaFeatures, composeFeatures, type FeatureRows, type FeatureSet } from './features';
export { createForecastStrategy, type ForecastStrategy, type ForecastStrategyOptions } from './forecast-strategy';
export {
  defineModel,
  fitSeed,
  type ForecastModel,
  type ForecastTarget,
  type ModelFitOutcome,
  modelModule,
  ModelPlugin,
  type ModelSettings,
  type Samples,
} from './model-plugin';
export { type ForecastParamValues, forecastParams, sizingFrom, trainingWindowFrom } from './params';
export { parseTrainingWindow, type TrainingWindow, trainingRows } from './schedule';
export { type Sizing, weightFromForecast } from './sizing';
export { defineNetworkModel, trainingParams } from './network-model';
