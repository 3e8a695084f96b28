// The plugin author's API: what a strategy, a feature or a model plugin imports. The
// framework's own plumbing (file writing and reading, terminal text, CSV, registry helpers) is
// under '@backtest/core/internal'.
export { didYouMean } from './did-you-mean';
export { InputError, type InputLocation, LookAheadError, UserError } from './errors';
export { createMarketView, createUniverseView, type MarketView } from './market-view';
export {
  defineParams,
  describeParams,
  type ParamSpec,
  type ParamSpecs,
  type ParamValues,
  type RawParamValue,
  resolveParams,
} from './params';
export {
  type AssetWeights,
  defineStrategy,
  type FitRecord,
  type ForecastRecord,
  type Indicator,
  type ModelFiles,
  type ModelInfo,
  type ProgressReporter,
  type SavedModel,
  type SelectionRecord,
  silentProgress,
  type Strategy,
  type StrategyContext,
  type StrategyOutput,
  StrategyPlugin,
  type TrainingRecord,
  /** @public (the context of `createUniverse`, for plugin authors) */ type UniverseContext,
} from './plugin';
export { type Frequency, isUniverse, PERIODS_PER_YEAR, type PriceSeries, type Universe, type UniverseAsset } from './series';
export { SharedWork } from './shared-work';
export { assetSeed, eachAsset, overAssets } from './universe';
export { Container, ContainerModule, strategyModule } from './container';
