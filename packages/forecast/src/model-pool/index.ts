export { type ModelJob, type ModelJobResult, modelPluginsOf, runModelJob } from './model-job';
export { type ModelPoolOptions, modelWorkerPath, runModelJobs } from './model-pool';
