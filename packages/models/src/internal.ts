// The framework's own plumbing: fit-fault checks that cross thread boundaries and the work
// estimates that schedule fits (not the model API, '@backtest/models').
export { checkFitSize, type FaultDetails, faultDetails, faultFromDetails } from './nn/fit-faults';
export { sequenceFitWork } from './sequence';
