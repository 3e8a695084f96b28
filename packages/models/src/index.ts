// TensorFlow.js loads lazily (see tf.ts): nothing exported here imports it at module load, so
// `require('@backtest/models')` for OLS alone stays cheap.
export { type BackendName, type BackendRequest, BACKEND_REQUESTS, currentBackend, initBackend } from './backend';
export type { FeatureMatrix, Features, FitResult, Model, ModelFiles, Parameters, Target, TrainingHistory } from './model';
export { loadModel } from './load-model';
export { type OlsFitOptions, type OlsFitResult, OlsModel, type OlsSummary } from './ols';
export type { EarlyStoppingOptions } from './nn/early-stopping';
export { fileIOHandler } from './nn/layers-format';
export { DEFAULT_SEED, loadNetwork, networkFiles, type NnFitOptions, type NnFitResult, NnModel, type NnOptions, type Trainer } from './nn/nn-model';
export type { Activation, DenseLayerSpec, NetworkSpec, OptimizerSpec } from './nn/spec';
export type { EpochLog } from './nn/train-loop';
export { checkFitSize, DIVERGENCE_FACTOR, type DivergenceDetails, type FitSize, fitSize, MAX_FIT_BYTES, NetworkDivergedError, NetworkTooLargeError } from './nn/fit-faults';
// The fit pool loads TensorFlow.js only when a job runs (in this thread or a worker).
export { type FitJob, type FitJobResult, type FitPoolOptions, fitNetworks, fitWorkerPath, type NnBatchResult, nnForecaster, type NnForecasterOptions, type PackedRows, runFitJob } from './pool';
