export { type FitJob, type FitJobResult, type PackedRows, runFitJob } from './fit-job';
export { type FitPoolOptions, fitNetworks, fitWorkerPath } from './fit-pool';
export { nnForecaster, type NnForecasterOptions } from './nn-forecaster';
