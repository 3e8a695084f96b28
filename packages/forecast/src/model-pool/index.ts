export { type ModelJob, type ModelJobResult, modelPluginsOf, runModelJob } from './model-job';
export { modelWorkerPath, runModelJobs } from './model-pool';
