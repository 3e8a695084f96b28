/**
 * Worker-thread entry of the bootstrap pool (dist/compare/bootstrap-worker.js, started by path):
 * runs each task it is sent (`runTask`: a configuration's bootstraps, or the PBO) and posts the
 * result back, or the error.
 */
import { parentPort } from 'node:worker_threads';
import { type BootstrapTask, runTask } from './bootstrap-task';

const port = parentPort;
if (!port) throw new Error('bootstrap-worker.js must be started as a worker thread by BootstrapPool');

port.on('message', (m: { id: number; task: BootstrapTask }) => {
  try {
    port.postMessage({ id: m.id, result: runTask(m.task) });
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
