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
export { createForecastStrategy, type ForecastStrategyOptions, type Regressor } from './forecast-strategy';
export { type ForecastParamValues, forecastParams, sizingFrom, trainingWindowFrom } from './params';
export { trailingMeanSd } from './rolling';
export { parseTrainingWindow, type TrainingWindow, trainingRows } from './schedule';
export { type Sizing, weightFromForecast } from './sizing';
