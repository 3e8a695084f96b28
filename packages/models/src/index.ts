// TensorFlow.js loads lazily (see tf.ts): nothing exported here imports it at module load, so
// `require('@backtest/models')` for OLS alone stays cheap. `@public`: what README.md documents
// and no code here calls (see knip.jsonc).
export { type BackendRequest, initBackend } from './backend';
export { loadModel } from './load-model';
export { OlsModel } from './ols';
export { /** @public */ fileIOHandler } from './nn/layers-format';
export {
  DEFAULT_SEED,
  loadNetwork,
  /** @public */ networkFiles,
  /** @public */ NO_TF_BACKEND,
  lockstepKey,
  type NnFitOptions,
  type NnFitRequest,
  type NnFitResult,
  NnModel,
  type Trainer,
} from './nn/nn-model';
export { LANES } from './nn/simd/lockstep';
export type { Activation, NetworkSpec, OptimizerSpec } from './nn/spec';
export { NetworkDivergedError, NetworkTooLargeError } from './nn/fit-faults';
export { RidgeModel } from './ridge';
export { LogisticModel, /** @public */ LogisticSeparationError } from './logistic';
// Sequence networks (LSTM, GRU, Conv1D, an author's own tfjs-layers model): tfjs-core and
// tfjs-layers load on the first build or fit, never at import.
export { type CustomArchitecture, SequenceNet, type SequenceTf } from './sequence';
