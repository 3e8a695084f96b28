/**
 * Worker-thread entry of the model pool (dist/model-pool/model-worker.js; the pool starts it by
 * path, so a bundle of the CLI need not contain it). It builds each job's model from the module
 * that binds its plugin (loaded once per module) and runs each unit of jobs with the same
 * `runModelUnit` the main thread uses.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { ModelPlugin } from '../model-plugin';
import { modelPluginsOf, runModelUnit } from './model-job';
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
  const { indices, jobs } = message;
  Promise.resolve()
    .then(() => runModelUnit(jobs, pluginFor(jobs[0]!.model.id, jobs[0]!.model.module)))
    .then(
      (outcomes) =>
        outcomes.forEach((o, k) =>
          // The forecasts' buffer is moved, not copied; the history is small.
          o.status === 'fulfilled'
            ? send({ type: 'result', index: indices[k]!, result: o.value }, [o.value.predictions.buffer as ArrayBuffer])
            : send(errorMessage(o.reason, indices[k]!)),
        ),
      (err: unknown) => indices.forEach((index) => send(errorMessage(err, index))),
    );
});
