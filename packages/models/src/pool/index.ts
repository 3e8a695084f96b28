export { type FitJob, type FitJobResult, fitWork, type PackedRows, runFitJob, weightCount } from './fit-job';
export { type FitPoolOptions, fitNetworks, fitWorkerPath } from './fit-pool';
export { type NnBatchResult, nnForecaster, type NnForecasterOptions } from './nn-forecaster';
