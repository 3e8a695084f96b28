import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { UserError } from '@backtest/core';
import type { CompareJob, CompareJobResult, CompareOptions, PreparedCompare } from '../compare/compare-job';
import type { RunSettings } from '../settings';

/**
 * A sweep's jobs outside this process: each job is named by a key, the SHA-256 of everything
 * its result depends on (the code version, the data's SHA-256, the settings that shape a walk,
 * the common first month, the configuration and its seed), so that a job run twice (a retry, a
 * worker that died, BullMQ's at-least-once delivery) is the same job with the same result. The
 * sweep is named by the SHA-256 of its job keys and comparison options: shards of one sweep
 * carry the same name.
 */

/** Settings that do not change a walk's numbers (how many threads fit, where the data files are looked for). */
const NOT_IN_KEY = new Set<keyof RunSettings>(['threads', 'dataDirs', 'seed', 'seeds', 'ensemble', 'params', 'saveModels']);

/** JSON with object keys sorted: one text for one value. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The SHA-256 of text or bytes, in hex. */
export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

let version: string | undefined;

/**
 * The code version a job's result depends on: BACKTEST_CODE_VERSION when the deployment stamps
 * its builds, else the SHA-256 of the command's bundle (every package of the tool in one file),
 * or of this package's built entry when run without the bundle.
 */
export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  const stamped = env.BACKTEST_CODE_VERSION;
  if (stamped !== undefined && stamped !== '') return stamped;
  if (version) return version;
  const root = dirname(require.resolve('@backtest/api/package.json'));
  const bundle = join(root, '..', 'cli', 'dist', 'backtest.bundle.js');
  const entry = join(root, 'dist', 'index.js');
  const file = existsSync(bundle) ? bundle : entry;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  version = `${pkg.version}+${sha256(readFileSync(file)).slice(0, 16)}`;
  return version;
}

/** What a job carries: enough to run it anywhere the same code and data are (and to refuse it elsewhere). */
export interface JobPayload {
  readonly key: string;
  readonly sweep: string;
  readonly code: string;
  readonly data: { readonly sha256: string; readonly path: string };
  readonly settings: RunSettings;
  readonly options: CompareOptions;
  readonly job: CompareJob;
}

/** The key of job `job` of a prepared compare. */
function jobKey(p: PreparedCompare, job: CompareJob, code = codeVersion()): string {
  const shaping = Object.fromEntries(Object.entries(p.settings).filter(([k]) => !NOT_IN_KEY.has(k as keyof RunSettings)));
  const config = p.configs[job.config]!;
  return sha256(
    canonicalJson({ code, data: p.data.sha256, settings: shaping, columns: p.columns, testStart: p.testStart, strategy: config.id, params: config.params, spec: job.spec }),
  );
}

/** Every job of the sweep with its key, and the sweep's name. */
export function sweepJobs(p: PreparedCompare, code = codeVersion()): { sweep: string; payloads: JobPayload[] } {
  const keys = p.jobs.map((j) => jobKey(p, j, code));
  const sweep = sha256(canonicalJson({ keys, options: p.options, labels: p.configs.map((c) => c.label), seed: p.settings.seed }));
  const payloads = p.jobs.map((job, i) => ({ key: keys[i]!, sweep, code, data: { sha256: p.data.sha256, path: p.data.path }, settings: p.settings, options: p.options, job }));
  return { sweep, payloads };
}

/** The shard (0-based) a job belongs to among `count`: fixed by its key, so every machine assigns the same. */
export function shardOf(key: string, count: number): number {
  return Number.parseInt(key.slice(0, 12), 16) % count;
}

/**
 * Refuses a job this process cannot run as its sweep did: other code, or other data (the data
 * file's SHA-256 here differs from the sweep's).
 */
export function checkJob(
  payload: Pick<JobPayload, 'key' | 'sweep' | 'code' | 'data'>,
  here: { readonly code: string; readonly data?: { readonly sha256: string; readonly path: string } },
): void {
  if (payload.code !== here.code) {
    throw new UserError(
      `job ${payload.key.slice(0, 12)} of sweep ${payload.sweep.slice(0, 12)} was made by code version ${payload.code}, this process runs ${here.code}: run the same build everywhere`,
    );
  }
  if (here.data && here.data.sha256 !== payload.data.sha256) {
    throw new UserError(
      `job ${payload.key.slice(0, 12)} of sweep ${payload.sweep.slice(0, 12)} needs data of SHA-256 ${payload.data.sha256.slice(0, 16)}... (${payload.data.path}), but here ${here.data.path} has ${here.data.sha256.slice(0, 16)}...: give every worker the same data`,
    );
  }
}

/** A job's result as bytes (V8's serialization: typed arrays and NaN exactly) and back. */
export function encodeResult(result: CompareJobResult): Buffer {
  return serialize(result);
}

export function decodeResult(bytes: Buffer, what: string): CompareJobResult {
  try {
    const r = deserialize(bytes) as CompareJobResult;
    if (r === null || typeof r !== 'object' || !r.run || !Array.isArray(r.warnings)) throw new Error('not a job result');
    return r;
  } catch (e) {
    throw new UserError(`${what} is not a job result of this tool (${e instanceof Error ? e.message : String(e)})`);
  }
}
