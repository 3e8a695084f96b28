export type { YieldSeries } from './cash';
export { evaluateWeights } from './evaluate-weights';
export { EQUAL_WEIGHT, walkForward, type WalkForwardResult } from './walk-forward';
export { firstRowAtOrAfter, restrictToRange } from './window';
