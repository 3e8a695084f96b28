export {
  type BacktestOptions,
  type BacktestRun,
  compare,
  compareOptions,
  compareResolved,
  type CompareRun,
  type CompareRunOptions,
  type RunContext,
  runBacktest,
  runResolved,
  settingsFromOptions,
  signal,
  signalResolved,
} from './library';
export { checkStudySeed, saveStudy, studySeed, type StudySeedOptions, type StudySeedRun } from './study';
export { noModelsWarning, packageVersion, saveRun } from './save-run';
export { saveCompare } from './compare/save';
export { type CompareOptions, type CompareOutcome, type CompareResult, type CompareSummary, runCompare } from './compare/compare-job';
export { type Configuration, configurationLabel, configurations, parseGrid } from './compare/grid';
export { type Significance, significance, verdict } from './compare/significance';
export { type SignalDocument, signalJob } from './signal-job';
export { BENCHMARK_ID, type ConfigurationRun, loadData, prepareRun, runConfiguration, runJob, type RunOutcome } from './run-job';
export { cashRateProblem, flagName, isPath, readDefaults, readSettingsFile, resolveSettings, type RunSettings, SETTING_KEYS, settingSchema, validateSettings } from './settings';
export { builtInStrategyModules, loadStrategyRegistry, type RegistryOptions, StrategyRegistry } from './registry';
export { PLUGIN_KEYWORD } from './plugins/plugin-source';
export { type Placement, type PluginKind, packageFiles } from './plugins/package-layout';
