export { type ModelJob, type ModelJobResult, modelPluginsOf, runModelJob } from './model-job';
export { runModelJobs } from './model-pool';
