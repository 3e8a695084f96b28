export { cashFromYields, type YieldSeries } from './cash';
export { evaluateWeights, type WeightEvaluation } from './evaluate-weights';
export { accountingTerms, periodReturn, walkForward, type WalkForwardOptions, type WalkForwardResult } from './walk-forward';
export { firstRowAtOrAfter, restrictToRange } from './window';
