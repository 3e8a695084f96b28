import { connect } from 'node:net';
import { type ProgressReporter, UserError } from '@backtest/core';
import { workerScript } from '@backtest/core/internal';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { assembleCompare, type CompareJobResult, type CompareOptions, type CompareOutcome, prepareCompare } from '../compare/compare-job';
import type { StrategyRegistry } from '../registry';
import type { RunSettings } from '../settings';
import { decodeResult, type JobPayload, sweepJobs } from './jobs';
import { checkResult } from './result-check';

/** The one queue every sweep's walks go to (jobs are named by their content, so sweeps share it safely). */
const QUEUE_NAME = 'backtest-walks';

/**
 * How long a worker's lock on a job lasts unless renewed, and how often workers look for jobs
 * whose lock lapsed (their worker died): such a job goes back to the queue for another worker.
 * A sandboxed processor runs the walk in a child process, so the worker renews its locks while
 * a long fit runs; a worker that dies stops renewing them.
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

/** BullMQ's connection options for one Redis server. */
interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: Record<string, never>;
  readonly maxRetriesPerRequest: null;
}

/** `redis://[user:password@]host:port[/db]` as BullMQ's connection options, and a label without the password; a UserError naming the flag otherwise. */
function redisConnection(url: string, flag = '--queue'): { connection: RedisServer; label: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${flag} must be a Redis URL such as redis://127.0.0.1:6379, got "${url}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(`${flag} must be a redis:// (or rediss://) URL, got "${url}"`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!u.hostname || !Number.isInteger(port) || !Number.isInteger(db) || db < 0) throw new UserError(`${flag}: no host, port or database number in "${url}"`);
  const connection: RedisServer = {
    host: u.hostname,
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers need commands to wait for a reconnection rather than fail.
    maxRetriesPerRequest: null,
  };
  return { connection, label: `${u.protocol}//${u.hostname}:${port}${db ? `/${db}` : ''}` };
}

/**
 * Fails at once with a clear message when nothing answers at the Redis address (BullMQ's client
 * would retry forever): a TCP connection and a PING, with a limit of 10 s.
 */
function reachable(server: RedisServer, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new UserError(`cannot reach Redis at ${label}: ${why} (is redis-server running there?)`));
    };
    const socket = connect({ host: server.host, port: server.port });
    socket.setTimeout(10_000, () => fail('no answer in 10 s'));
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      // +PONG, or an error such as NOAUTH from a Redis that wants a password: a Redis either way.
      if (/^[+-]/.test(d.toString('latin1'))) resolve();
      else fail('what answers there is not Redis');
    });
  });
}

/**
 * Runs a compare's jobs on the queue's workers (`backtest worker`) and assembles the document
 * from their results: the same document as a local run, whatever the number of workers and
 * whichever of them die. Jobs are added under their key (a job already there, waiting, running
 * or done by an earlier identical sweep, is not added twice), retried when their worker died,
 * and a job that fails for another reason fails the sweep with its message. Loaded by path
 * (library.ts: BullMQ loads only for a sweep on a queue).
 * @public
 */
export async function runOnQueue(
  settings: RunSettings,
  options: CompareOptions,
  url: string,
  registry: StrategyRegistry,
  projectRoot: string,
  progress: ProgressReporter,
): Promise<CompareOutcome> {
  const { connection, label } = redisConnection(url);
  const prepared = prepareCompare(settings, options, registry, projectRoot, progress);
  const { payloads } = sweepJobs(prepared);
  await reachable(connection, label);
  const queue = new Queue<JobPayload, string>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // One listener a job waited for: not a leak.
  queue.setMaxListeners(payloads.length + 10);
  events.setMaxListeners(payloads.length + 10);
  let poll: NodeJS.Timeout | undefined;
  try {
    await events.waitUntilReady();
    // A job an earlier identical sweep left failed (a refusal, a fault since fixed) runs again; a
    // finished one is reused as it is.
    await Promise.all(
      payloads.map(async (p) => {
        if ((await queue.getJobState(p.key)) === 'failed') await queue.remove(p.key);
      }),
    );
    // A job already there under its key (running, or finished by an identical sweep) is not added
    // again: what addBulk returns is that job, waited for like a new one.
    const jobs = await queue.addBulk(
      payloads.map((p) => ({
        name: 'walk',
        data: p,
        // Keyed by content; results kept a day for the sweep (and any identical one) to collect.
        opts: { jobId: p.key, attempts: 1, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } },
      })),
    );
    progress.start(`compare on ${label}: jobs`, payloads.length);
    // Beside the count of jobs done and the ETA: how many of the queue's jobs are running now.
    poll = progress.status
      ? setInterval(() => {
          void queue.getJobCounts('active', 'failed').then(
            (c) => progress.status?.(`(${c.active ?? 0} running${c.failed ? `, ${c.failed} failed in the queue` : ''})`),
            () => {},
          );
        }, 1000).unref()
      : undefined;
    const results: CompareJobResult[] = new Array(payloads.length);
    await Promise.all(
      payloads.map(async (p, i) => {
        let value: string;
        try {
          value = await jobs[i]!.waitUntilFinished(events);
        } catch (e) {
          throw new UserError(
            `job ${p.job.index} (${prepared.configs[p.job.config]!.label}, seed ${p.job.spec.seed}) failed on a worker: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        if (typeof value !== 'string') throw new UserError(`job ${p.key.slice(0, 12)}: its result on the queue is not this tool's`);
        results[p.job.index] = checkResult(decodeResult(Buffer.from(value, 'base64'), `job ${p.key.slice(0, 12)} on ${label}`), prepared, p.job, `job ${p.key.slice(0, 12)}`);
        progress.tick();
      }),
    );
    progress.stop();
    return assembleCompare(prepared, results);
  } finally {
    if (poll) clearInterval(poll);
    progress.stop();
    await events.close();
    await queue.close();
  }
}

/**
 * `backtest worker`: takes walk jobs off the queue, `concurrency` at a time, each in a child
 * process of its own (BullMQ's sandboxed processor: dist/sweep/processor.js), until SIGINT or
 * SIGTERM; `onJob` hears of each job started and finished.
 */
export async function runQueueWorker(
  url: string,
  concurrency: number,
  onJob: (event: 'started' | 'done' | 'failed', job: Job<JobPayload>, detail?: string) => void,
): Promise<Worker> {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UserError(`--concurrency must be an integer from 1 to 64, got ${concurrency}`);
  const { connection, label } = redisConnection(url);
  await reachable(connection, label);
  const worker = new Worker<JobPayload, string>(QUEUE_NAME, workerScript(__dirname, '@backtest/api', 'sweep/processor.js'), {
    connection,
    concurrency,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    // A job is put back at most twice: one whose worker dies a third time fails, rather than being passed on forever.
    maxStalledCount: 2,
  });
  worker.on('active', (job) => onJob('started', job));
  worker.on('completed', (job) => onJob('done', job));
  worker.on('failed', (job, e) => job && onJob('failed', job, e.message));
  await worker.waitUntilReady();
  return worker;
}
