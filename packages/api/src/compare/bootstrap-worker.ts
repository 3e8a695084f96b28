/**
 * Worker-thread entry of the bootstrap pool (dist/compare/bootstrap-worker.js, started by path):
 * runs `sharpeDiffTests` on each input it is sent and posts the tests back, or the error.
 */
import { parentPort } from 'node:worker_threads';
import { type SharpeDiffInput, sharpeDiffTests } from './significance';

const port = parentPort;
if (!port) throw new Error('bootstrap-worker.js must be started as a worker thread by BootstrapPool');

port.on('message', (m: { id: number; input: SharpeDiffInput }) => {
  try {
    port.postMessage({ id: m.id, tests: sharpeDiffTests(m.input) });
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
