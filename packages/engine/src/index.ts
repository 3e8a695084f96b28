export type { YieldSeries } from './cash';
export { evaluateWeights } from './evaluate-weights';
export { benchmarkWeights, EQUAL_WEIGHT, type UniverseWalk, walkForward, type WalkForwardResult } from './walk-forward';
export { firstRowAtOrAfter, restrictToRange } from './window';
