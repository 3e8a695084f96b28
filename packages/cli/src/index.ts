export { main } from './cli';
export { loadStrategyRegistry, StrategyRegistry } from './registry';
export { runJob, type RunOutcome } from './run-job';
export { resolveSettings, type RunSettings, validateSettings } from './settings';
