export { type CsvCell, formatCsv } from './csv-format';
export { makeDirectory, pathExists, temporaryName, writeFileAtomic } from './atomic-write';
export { didYouMean } from './did-you-mean';
export { DEFAULT_MAX_FILE_MB, fileText, maxFileBytes, megabytes, readRegularFile } from './read-file';
export { formatLocation, InputError, type InputLocation, LookAheadError, UserError } from './errors';
export { groupDigits, MESSAGE_CHARACTERS, printable, quoted, quotedList, terminalSafe } from './terminal-text';
export { createMarketView, type MarketView } from './market-view';
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
  defineStrategy,
  type FitRecord,
  type ForecastRecord,
  type Indicator,
  type ModelFiles,
  type ModelInfo,
  type ProgressReporter,
  type SavedModel,
  silentProgress,
  type Strategy,
  type StrategyContext,
  type StrategyOutput,
  StrategyPlugin,
  strategyParams,
  type TrainingRecord,
} from './plugin';
export { assetReturns, type Frequency, PERIODS_PER_YEAR, periodLabel, type PriceSeries, sliceSeries } from './series';
export { Container, ContainerModule, strategyModule, strategyPlugins } from './container';
