export { periodReturn, walkForward, type WalkForwardOptions, type WalkForwardResult } from './walk-forward';
export { firstRowAtOrAfter, restrictToRange } from './window';
