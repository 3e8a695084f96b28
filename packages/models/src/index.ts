// TensorFlow.js loads lazily (see tf.ts): nothing exported here imports it at module load, so
// `require('@backtest/models')` for OLS alone stays cheap.
export { type BackendName, type BackendRequest, BACKEND_REQUESTS, currentBackend, initBackend } from './backend';
export type { FeatureMatrix, Features, FitResult, Model, ModelFiles, Parameters, Target, TrainingHistory } from './model';
export { loadModel } from './load-model';
export { type OlsFitOptions, type OlsFitResult, OlsModel, type OlsSummary } from './ols';
export type { EarlyStoppingOptions } from './nn/early-stopping';
export { fileIOHandler } from './nn/layers-format';
export { DEFAULT_SEED, loadNetwork, networkFiles, NO_TF_BACKEND, type NnFitOptions, type NnFitResult, NnModel, type NnOptions, type Trainer } from './nn/nn-model';
export { type LossName, LOSSES } from './nn/loss';
export type { Activation, DenseLayerSpec, NetworkSpec, OptimizerSpec } from './nn/spec';
export type { EpochLog } from './nn/train-loop';
export {
  checkFitSize,
  CROSS_ENTROPY_DIVERGENCE_FACTOR,
  DIVERGENCE_FACTOR,
  divergenceThreshold,
  type DivergenceDetails,
  type FaultDetails,
  faultDetails,
  faultFromDetails,
  type FitSize,
  fitSize,
  MAX_FIT_BYTES,
  NetworkDivergedError,
  NetworkTooLargeError,
} from './nn/fit-faults';
export { type RidgeCoefficients, RidgeModel } from './ridge';
export { type LogisticFitOptions, type LogisticFitResult, LogisticModel, LogisticSeparationError, type LogisticSummary } from './logistic';
// Sequence networks (LSTM, GRU, Conv1D, an author's own tfjs-layers model): tfjs-core and
// tfjs-layers load on the first build or fit, never at import.
export {
  type CustomArchitecture,
  divergedError,
  type SequenceArchitecture,
  type SequenceFitResult,
  sequenceFitWork,
  SequenceNet,
  type SequenceNetInfo,
  type SequenceNetOptions,
  type SequenceOptimizer,
  type SequenceSamples,
  type SequenceTf,
  type SequenceWorkInput,
} from './sequence';
