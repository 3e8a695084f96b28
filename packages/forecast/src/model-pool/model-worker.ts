/**
 * Worker-thread entry of the model pool (dist/model-pool/model-worker.js; the pool starts it by
 * path, so a bundle of the CLI need not contain it). It builds each job's model from the module
 * that binds its plugin (loaded once per module) and runs it with the same `runModelJob` the
 * main thread uses.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { ModelPlugin } from '../model-plugin';
import { modelPluginsOf, runModelJob } from './model-job';
import { errorMessage, type FromWorker, type ToWorker } from './messages';

const port = parentPort;
if (!port) throw new Error('model-worker.js must be started as a worker thread by runModelJobs');

const modules = new Map<string, Map<string, ModelPlugin>>();

function pluginFor(id: string, module: string | undefined): ModelPlugin {
  if (!module) throw new Error(`model "${id}" names no module to build it from on a worker thread`);
  let plugins = modules.get(module);
  if (!plugins) {
    // Node's own require: a plugin's module is outside this program, as the main thread loaded it.
    plugins = modelPluginsOf(createRequire(module)(module));
    modules.set(module, plugins);
  }
  const plugin = plugins.get(id);
  if (!plugin) throw new Error(`${module} binds no model "${id}" (it binds: ${[...plugins.keys()].join(', ') || 'none'})`);
  return plugin;
}

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (message: ToWorker) => {
  const { index, job } = message;
  Promise.resolve()
    .then(() => runModelJob(job, pluginFor(job.model.id, job.model.module)))
    .then(
      // The forecasts' buffer is moved, not copied; the history is small.
      (result) => send({ type: 'result', index, result }, [result.predictions.buffer as ArrayBuffer]),
      (err: unknown) => send(errorMessage(err, index)),
    );
});
