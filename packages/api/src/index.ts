// `@public`: the library API that README.md documents and no code here calls (see knip.jsonc).
export {
  /** @public */ type BacktestOptions,
  /** @public */ type BacktestRun,
  /** @public */ compare,
  compareOptions,
  compareOnQueue,
  compareResolved,
  compareShard,
  /** @public */ type CompareRun,
  /** @public */ type CompareRunOptions,
  mergeCompare,
  queueWorker,
  /** @public */ type RunContext,
  /** @public */ runBacktest,
  runResolved,
  /** @public */ settingsFromOptions,
  /** @public */ signal,
  signalResolved,
} from './library';
export { checkStudySeed, saveStudy, studySeed, type StudySeedOptions, /** @public */ type StudySeedRun } from './study';
export { noModelsWarning, saveRun } from './save-run';
export { saveCompare } from './compare/save';
export { parseShard, writeShard } from './sweep/shards';
export { type CompareSummary, /** @public */ runCompare } from './compare/compare-job';
export { /** @public */ configurations, /** @public */ parseGrid } from './compare/grid';
export { /** @public */ significance, /** @public */ verdict } from './compare/significance';
export type { SignalDocument } from './signal-job';
export { loadData, /** @public */ prepareRun, /** @public */ runConfiguration, runJob } from './run-job';
export {
  isPath,
  resolveSettings,
  type RunSettings,
  /** @public */ validateSettings,
} from './settings';
export { loadStrategyRegistry } from './registry';
export { type Placement, type PluginKind, packageFiles } from './plugins/package-layout';
