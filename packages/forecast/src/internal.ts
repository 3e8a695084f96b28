// The framework's own plumbing, shared with the built-in models (not the plugin API,
// '@backtest/forecast'): one fit of a TensorFlow.js network over a lookback window.
export { sequenceFit } from './network-model';
// The model pool (the tests of a model's lockstep run jobs through it).
export { type ModelJob, runModelJobs } from './model-pool';
