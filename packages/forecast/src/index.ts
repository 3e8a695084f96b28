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
export { createForecastStrategy, type ForecastStrategyOptions, threadsFor, WORKER_MIN_WORK } from './forecast-strategy';
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
export { type ModelJob, type ModelJobResult, modelPluginsOf, modelWorkerPath, runModelJob, runModelJobs } from './model-pool';
export { type ForecastParamValues, forecastParams, sizingFrom, trainingWindowFrom } from './params';
export { parseTrainingWindow, type TrainingWindow, trainingRows } from './schedule';
export { type Sizing, weightFromForecast } from './sizing';
export { defineNetworkModel, sequenceFit, trainingParams } from './network-model';
