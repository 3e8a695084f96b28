/**
 * The sandboxed processor of `backtest worker` (dist/sweep/processor.js; BullMQ runs it in a
 * child process): runs one walk job and returns its result (base64 of its V8 serialization).
 * The registry, the market and the prepared compare are built once per sweep in each child.
 * A job this process cannot run as its sweep did (other code, other data, another key) is
 * refused with an error BullMQ does not retry.
 */
import { delimiter, resolve } from 'node:path';
import { findProjectRoot } from '@backtest/data';
import { silentProgress } from '@backtest/core';
import { type Job, UnrecoverableError } from 'bullmq';
import { type PreparedCompare, prepareCompare, runCompareJob } from '../compare/compare-job';
import { loadStrategyRegistry } from '../registry';
import { checkJob, codeVersion, encodeResult, type JobPayload, sweepJobs } from './jobs';

// The worker that forked this child can die without a word (SIGKILL, the OOM killer). Its IPC
// channel then closes, and BullMQ's child would run on with no parent to report to: seen here
// spinning at full CPU, its memory growing, long after its job: its result cannot be sent (the
// write fails with EPIPE, while `process.connected` still says true), and its handler of that
// uncaught error reports the error to the parent, which fails again, without end. The loop, in
// promise callbacks, starves the event loop, so 'disconnect' never arrives when the job ended
// first. This child exits instead, in either case; the job's lock expires and another worker
// runs it (a stalled job, put back at most twice).
const orphaned = () => process.exit(1);
process.once('disconnect', orphaned);
process.on('uncaughtException', (err) => {
  const code = (err as NodeJS.ErrnoException).code;
  if (!process.connected || code === 'EPIPE' || code === 'ERR_IPC_CHANNEL_CLOSED') orphaned();
});

/** The sweep this child last prepared, and its job keys (computed once, not once a job). */
const prepared = new Map<string, { compare: PreparedCompare; keys: readonly string[] }>();

/**
 * The job's settings as this machine runs them: a worker's own data directories
 * (BACKTEST_DATA_DIR, path-separated) come before the planner's, since a named dataset may live
 * elsewhere here; the data's SHA-256 decides whether it is the same data.
 */
function localSettings(payload: JobPayload): JobPayload['settings'] {
  const own = (process.env.BACKTEST_DATA_DIR ?? '').split(delimiter).filter((d) => d.trim() !== '');
  return own.length ? { ...payload.settings, dataDirs: [...own.map((d) => resolve(d)), ...payload.settings.dataDirs] } : payload.settings;
}

function compareOf(payload: JobPayload): { compare: PreparedCompare; keys: readonly string[] } {
  let p = prepared.get(payload.sweep);
  if (!p) {
    const projectRoot = findProjectRoot(__dirname);
    const registry = loadStrategyRegistry({ plugins: payload.settings.plugins, projectRoot });
    const compare = prepareCompare(localSettings(payload), payload.options, registry, projectRoot, silentProgress);
    p = { compare, keys: sweepJobs(compare).payloads.map((j) => j.key) };
    prepared.clear(); // one sweep at a time is the common case: keep one market in memory
    prepared.set(payload.sweep, p);
  }
  return p;
}

export default async function processWalk(job: Job<JobPayload>): Promise<string> {
  const payload = job.data;
  let p: PreparedCompare;
  try {
    checkJob(payload, { code: codeVersion() });
    const here = compareOf(payload);
    p = here.compare;
    checkJob(payload, { code: codeVersion(), data: { sha256: p.data.sha256, path: p.data.path } });
    if (here.keys[payload.job.index] !== payload.key)
      throw new Error(`job ${payload.key.slice(0, 12)} is not job ${payload.job.index} of its sweep here (other plugins or settings?)`);
  } catch (e) {
    throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
  }
  return encodeResult(await runCompareJob(p, payload.job, silentProgress, true)).toString('base64');
}
