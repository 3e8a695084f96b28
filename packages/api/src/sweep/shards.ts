import { join } from 'node:path';
import { type ProgressReporter, UserError } from '@backtest/core';
import { readRegularFile } from '@backtest/core/internal';
import { type FolderClaim, type FolderFiles, writeFolderAtomically } from '@backtest/report';
import { assembleCompare, type CompareJobResult, type CompareOptions, type CompareOutcome, prepareCompare, runCompareJob } from '../compare/compare-job';
import type { StrategyRegistry } from '../registry';
import type { RunSettings } from '../settings';
import { checkJob, codeVersion, decodeResult, encodeResult, sha256, shardOf, sweepJobs } from './jobs';
import { checkResult } from './result-check';

/** The manifest of a shard folder (`shard.json`), beside one result file a job (`jobs/<key>.bin`). */
interface ShardManifest {
  readonly format: 'backtest-compare-shard';
  readonly version: 1;
  readonly sweep: string;
  /** 1-based, of `of`. */
  readonly shard: number;
  readonly of: number;
  readonly code: string;
  readonly data: { readonly sha256: string; readonly path: string };
  readonly settings: RunSettings;
  readonly options: CompareOptions;
  /** Every job of the sweep this shard ran: its index, key, and its result file's SHA-256. */
  readonly jobs: readonly { readonly index: number; readonly key: string; readonly sha256: string }[];
}

const MANIFEST = 'shard.json';

/** Parses `--shard i/N`: 1 <= i <= N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count || count > 100_000) {
    throw new UserError(`--shard must be i/N with 1 <= i <= N (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** A shard's files, ready to be written: its manifest and one result file a job. */
export interface ShardFiles {
  readonly manifest: ShardManifest;
  readonly files: FolderFiles;
}

/**
 * Runs shard `index` of `count` of a compare: the jobs whose key falls to it (`shardOf`, the
 * same on every machine), and returns them with the sweep's description as the shard folder's
 * files (`writeShard` writes them atomically: a shard folder is complete or absent).
 */
export async function runShard(
  settings: RunSettings,
  options: CompareOptions,
  shard: { index: number; count: number },
  registry: StrategyRegistry,
  projectRoot: string,
  progress: ProgressReporter,
): Promise<ShardFiles> {
  const prepared = prepareCompare(settings, options, registry, projectRoot, progress);
  const { sweep, payloads } = sweepJobs(prepared);
  const mine = payloads.filter((p) => shardOf(p.key, shard.count) === shard.index - 1);
  const files: [string, Uint8Array | string][] = [];
  const jobs: ShardManifest['jobs'][number][] = [];
  for (const p of mine) {
    const bytes = encodeResult(await runCompareJob(prepared, p.job, progress, true));
    progress.stop();
    files.push([`jobs/${p.key}.bin`, bytes]);
    jobs.push({ index: p.job.index, key: p.key, sha256: sha256(bytes) });
  }
  const manifest: ShardManifest = {
    format: 'backtest-compare-shard',
    version: 1,
    sweep,
    shard: shard.index,
    of: shard.count,
    code: codeVersion(),
    data: { sha256: prepared.data.sha256, path: prepared.data.path },
    settings,
    options,
    jobs,
  };
  files.unshift([MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`]);
  return { manifest, files };
}

/** Writes a shard folder (all of it, or nothing); returns where. */
export function writeShard(folder: string | FolderClaim, shard: ShardFiles): string {
  return writeFolderAtomically(folder, shard.files, 'shard folder').dir;
}

function readManifest(dir: string): ShardManifest {
  const file = join(dir, MANIFEST);
  let m: ShardManifest;
  try {
    m = JSON.parse(readRegularFile(file, { what: 'a shard manifest', maxBytes: 1 << 26 }).toString('utf8')) as ShardManifest;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file} is not a shard manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ok =
    m !== null &&
    typeof m === 'object' &&
    m.format === 'backtest-compare-shard' &&
    m.version === 1 &&
    typeof m.sweep === 'string' &&
    Number.isSafeInteger(m.shard) &&
    Number.isSafeInteger(m.of) &&
    m.shard >= 1 &&
    m.shard <= m.of &&
    typeof m.code === 'string' &&
    Array.isArray(m.jobs) &&
    m.jobs.every(
      (j) => j !== null && typeof j === 'object' && Number.isSafeInteger(j.index) && typeof j.key === 'string' && /^[0-9a-f]{64}$/.test(j.key) && typeof j.sha256 === 'string',
    ) &&
    m.settings !== null &&
    typeof m.settings === 'object' &&
    m.options !== null &&
    typeof m.options === 'object';
  if (!ok) throw new UserError(`${file} is not a shard manifest of this tool (format backtest-compare-shard, version 1)`);
  return m;
}

/** The settings the first shard folder records (the sweep's: the registry is built from its plugins). */
export function readShardSettings(dirs: readonly string[]): RunSettings {
  if (dirs.length === 0) throw new UserError('merge: name the shard folders to merge');
  return readManifest(dirs[0]!).settings;
}

/**
 * Merges the shard folders of one sweep into the compare a local run makes: checks that they are
 * of one sweep (its name, the code version, the shard count), that each shard 1..N is there
 * once and holds exactly the jobs that fall to it, and that every result file is the one the
 * manifest names; then assembles the document from the results (the same code as a local run).
 */
export function mergeShards(
  dirs: readonly string[],
  registry: StrategyRegistry,
  projectRoot: string,
  progress: ProgressReporter,
): { outcome: CompareOutcome; settings: RunSettings; options: CompareOptions } {
  if (dirs.length === 0) throw new UserError('merge: name the shard folders to merge');
  const manifests = dirs.map(readManifest);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    if (m.sweep !== first.sweep)
      throw new UserError(
        `merge: ${dirs[i]} is shard ${m.shard}/${m.of} of sweep ${m.sweep.slice(0, 12)}, but ${dirs[0]} is of sweep ${first.sweep.slice(0, 12)}: shards of one sweep only`,
      );
    if (m.of !== first.of) throw new UserError(`merge: ${dirs[i]} is shard ${m.shard} of ${m.of}, but ${dirs[0]} is of ${first.of}`);
  });
  const byShard = new Map<number, string>();
  manifests.forEach((m, i) => {
    const seen = byShard.get(m.shard);
    if (seen !== undefined) throw new UserError(`merge: shard ${m.shard}/${m.of} is given twice (${seen} and ${dirs[i]})`);
    byShard.set(m.shard, dirs[i]!);
  });
  const missing = Array.from({ length: first.of }, (_, k) => k + 1).filter((k) => !byShard.has(k));
  if (missing.length) throw new UserError(`merge: the sweep has ${first.of} shards; missing: ${missing.map((k) => `${k}/${first.of}`).join(', ')}`);
  const code = codeVersion();
  const prepared = prepareCompare(first.settings, first.options, registry, projectRoot, progress);
  const { sweep, payloads } = sweepJobs(prepared, code);
  checkJob({ key: payloads[0]!.key, sweep: first.sweep, code: first.code, data: first.data }, { code, data: { sha256: prepared.data.sha256, path: prepared.data.path } });
  if (sweep !== first.sweep)
    throw new UserError(`merge: the shards are of sweep ${first.sweep.slice(0, 12)}, but their settings here make sweep ${sweep.slice(0, 12)} (other plugins or data?)`);
  const results: CompareJobResult[] = new Array(payloads.length);
  manifests.forEach((m, i) => {
    const expected = payloads.filter((p) => shardOf(p.key, first.of) === m.shard - 1);
    const listed = new Map(m.jobs.map((j) => [j.key, j]));
    const absent = expected.filter((p) => !listed.has(p.key));
    if (absent.length || listed.size !== expected.length || m.jobs.length !== expected.length) {
      throw new UserError(
        `merge: ${dirs[i]} (shard ${m.shard}/${m.of}) should hold ${expected.length} jobs and holds ${m.jobs.length}${absent.length ? `; ${absent.length} of its jobs are missing` : ''}`,
      );
    }
    for (const p of expected) {
      const file = join(dirs[i]!, 'jobs', `${p.key}.bin`);
      const bytes = readRegularFile(file, { what: 'a job result', maxBytes: 1 << 30 });
      if (sha256(bytes) !== listed.get(p.key)!.sha256) throw new UserError(`merge: ${file} is not the result its shard's manifest names (its SHA-256 differs)`);
      results[p.job.index] = checkResult(decodeResult(bytes, file), prepared, p.job, file);
    }
  });
  return { outcome: assembleCompare(prepared, results), settings: first.settings, options: first.options };
}
