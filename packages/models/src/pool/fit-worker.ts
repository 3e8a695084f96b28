/**
 * Worker-thread entry of the fit pool (dist/pool/fit-worker.js; the pool starts it by path, so
 * a bundle of the CLI need not contain it). It initialises the requested TensorFlow.js backend
 * once, then runs jobs one at a time with the same `runFitJob` the in-process pool uses.
 */
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backend';
import { runFitJob } from './fit-job';
import { errorMessage, type FromWorker, type ToWorker } from './messages';

const port = parentPort;
if (!port) throw new Error('fit-worker.js must be started as a worker thread by fitNetworks');

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    initBackend(message.backend).then(
      (backend) => send({ type: 'ready', backend }),
      (err: unknown) => send(errorMessage(err)),
    );
    return;
  }
  try {
    const result = runFitJob(message.job);
    // The forecasts' (and weights') buffers are moved, not copied; the history is small.
    const moved = [result.predictions, ...(result.weights ?? [])].map((a) => a.buffer as ArrayBuffer);
    send({ type: 'result', index: message.index, result }, moved);
  } catch (err) {
    send(errorMessage(err, message.index));
  }
});
