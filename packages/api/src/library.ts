import * as path from 'node:path';
import { type ProgressReporter, silentProgress, UserError } from '@backtest/core';
import { dataDirectories, findProjectRoot } from '@backtest/data';
import type { RunSummary } from '@backtest/report';
import { type CompareOptions, type CompareOutcome, type CompareSummary, runCompare } from './compare/compare-job';
import { loadStrategyRegistry, type StrategyRegistry } from './registry';
import type * as QueueModule from './sweep/queue';
import { mergeShards, readShardSettings, runShard, type ShardFiles } from './sweep/shards';
import { runJob, type RunOutcome } from './run-job';
import { flagName, given, isPath, problemOf, range, resolveSettings, type RunSettings, validateSettings, valibot } from './settings';
import { type SignalDocument, signalJob } from './signal-job';

/**
 * What `runBacktest` and `signal` take: the settings of a config file, by the same names, each
 * optional (config/defaults.json fills the rest). Relative paths are relative to `cwd`.
 */
export type BacktestOptions = Partial<Omit<RunSettings, 'threads'>> & { threads?: number | 'auto' };

/** What `compare` takes: the run options plus the comparison's own. */
export interface CompareRunOptions extends BacktestOptions {
  /** @default ['sma', 'ols-sma', 'nn-sma'] */
  strategies?: readonly string[];
  /** Parameter grids, `"nn-sma:hidden=10|300,100;epochs=20|100"`. @default [] */
  grids?: readonly string[];
  /** Configurations tried before this compare, added to the deflation. @default 0 */
  trials?: number;
  /** Bootstrap resamples. @default 2000 */
  samples?: number;
  /** Expected block length of the stationary bootstrap (default: automatic). */
  block?: number;
}

/** How a call runs: none of it changes the numbers. */
export interface RunContext {
  /** The project whose config/defaults.json, datasets and strategies/ are used (default: the one this package is in). */
  readonly projectRoot?: string;
  /** Where relative paths in the options are resolved (default: process.cwd()). */
  readonly cwd?: string;
  /** Progress of long trainings (default: none). */
  readonly progress?: ProgressReporter;
  /** Strategies to resolve `strategy` in (default: the built-in ones, the project's and `plugins`). */
  readonly registry?: StrategyRegistry;
  /** Environment read for BACKTEST_DATA_DIR (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The comparison's own options (options of no config file): their schema, and their defaults' one place. */
function buildCompareSchema(v: ReturnType<typeof valibot>) {
  const ids = 'a list of strategy ids';
  const specs = 'a list of grid specs';
  return {
    // The list defaults are made afresh for each call: a caller changing one changes no other's.
    strategies: v.optional(v.array(v.string(ids), ids), () => ['sma', 'ols-sma', 'nn-sma']),
    grids: v.optional(v.array(v.string(specs), specs), () => []),
    trials: v.optional(range(v, 0, 1e9, true), 0),
    // Each resample keeps a statistic per configuration: a million is already minutes of work.
    samples: v.optional(range(v, 100, 1e6, true), 2000),
    block: v.optional(range(v, 1, 1e6)),
  };
}
let compareSchema: ReturnType<typeof buildCompareSchema> | undefined;
const COMPARE_KEYS = ['strategies', 'grids', 'trials', 'samples', 'block'] as const;
type CompareKey = (typeof COMPARE_KEYS)[number];

/**
 * The comparison's options, checked and with their defaults. `source` names where a refused
 * value came from: 'flags' gives `--samples must be ...`, else `<source>: setting "samples" must be ...`.
 */
export function compareOptions(given_: Partial<Record<CompareKey, unknown>>, source = 'options'): CompareOptions {
  compareSchema ??= buildCompareSchema(valibot());
  const out: Record<string, unknown> = {};
  for (const key of COMPARE_KEYS) {
    const v = given_[key];
    const problem = problemOf(compareSchema[key], v);
    if (problem)
      throw new UserError(source === 'flags' ? `${flagName(key)} must be ${problem}, got ${given(v)}` : `${source}: setting "${key}" must be ${problem}, got ${JSON.stringify(v)}`);
    out[key] = valibot().parse(compareSchema[key], v);
  }
  return {
    strategies: out.strategies as string[],
    grids: out.grids as string[],
    priorTrials: out.trials as number,
    samples: out.samples as number,
    ...(out.block !== undefined ? { blockLength: out.block as number } : {}),
  };
}

/**
 * Run settings from library options: checked by the settings schema (messages name `options`),
 * over config/defaults.json.
 */
export function settingsFromOptions(options: BacktestOptions, context: RunContext = {}): RunSettings {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new UserError('options: expected an object of settings');
  const projectRoot = context.projectRoot ?? findProjectRoot(__dirname);
  const cwd = context.cwd ?? process.cwd();
  const { saveModels, ...rest } = options;
  if (saveModels !== undefined && typeof saveModels !== 'boolean') throw new UserError(`options: setting "saveModels" must be true or false, got ${JSON.stringify(saveModels)}`);
  const checked = validateSettings(rest, 'options');
  const abs = (p: string) => path.resolve(cwd, p);
  const flags: Partial<RunSettings> = {
    ...checked,
    ...(checked.data !== undefined ? { data: abs(checked.data) } : {}),
    ...(checked.dataDirs !== undefined ? { dataDirs: checked.dataDirs.map(abs) } : {}),
    ...(typeof checked.cashRate === 'string' && isPath(checked.cashRate) ? { cashRate: abs(checked.cashRate) } : {}),
    ...(checked.plugins !== undefined ? { plugins: checked.plugins.map((p) => (p.startsWith('.') || p.startsWith('/') ? abs(p) : p)) } : {}),
    ...(saveModels ? { saveModels: true } : {}),
  };
  const settings = resolveSettings(projectRoot, undefined, flags);
  // As for the command: BACKTEST_DATA_DIR comes first, before the given or configured directories.
  const env = (context.env ?? process.env).BACKTEST_DATA_DIR;
  settings.dataDirs = dataDirectories({ ...(env !== undefined ? { env } : {}), projectRoot, defaults: settings.dataDirs });
  return settings;
}

function withContext(settings: RunSettings, context: RunContext) {
  const projectRoot = context.projectRoot ?? findProjectRoot(__dirname);
  const registry = context.registry ?? loadStrategyRegistry({ plugins: settings.plugins, projectRoot, ...(context.cwd ? { cwd: context.cwd } : {}) });
  return { projectRoot, settings, registry, progress: context.progress ?? silentProgress };
}

/** A run: the document `backtest --json` prints, and what saveRun needs to write its folder. */
export interface BacktestRun {
  readonly document: RunSummary;
  readonly outcome: RunOutcome;
  readonly settings: RunSettings;
}

/** Backtest one strategy walk-forward against buy-and-hold (`backtest`). */
export async function runBacktest(options: BacktestOptions = {}, context: RunContext = {}): Promise<BacktestRun> {
  return runResolved(settingsFromOptions(options, context), context);
}

/**
 * `runBacktest` of settings already checked and complete (from resolveSettings or
 * settingsFromOptions: the CLI's), so that they are not checked twice.
 */
export async function runResolved(resolved: RunSettings, context: RunContext = {}): Promise<BacktestRun> {
  const { projectRoot, settings, registry, progress } = withContext(resolved, context);
  const outcome = await runJob(settings, registry, projectRoot, progress);
  return { document: outcome.summary, outcome, settings };
}

/** A comparison: the document `backtest compare --json` prints, and what saveCompare needs. */
export interface CompareRun {
  readonly document: CompareSummary;
  readonly outcome: CompareOutcome;
  readonly settings: RunSettings;
  readonly options: CompareOptions;
}

/** Every strategy and grid point over the same months, with significance against buy-and-hold (`backtest compare`). */
export async function compare(options: CompareRunOptions = {}, context: RunContext = {}): Promise<CompareRun> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new UserError('options: expected an object of settings');
  const { strategies, grids, trials, samples, block, ...run } = options;
  const compareOpts = compareOptions({ strategies, grids, trials, samples, block });
  return compareResolved(settingsFromOptions(run, context), compareOpts, context);
}

/** `compare` of settings and comparison options already checked (the CLI's). */
export async function compareResolved(resolved: RunSettings, options: CompareOptions, context: RunContext = {}): Promise<CompareRun> {
  const { projectRoot, settings, registry, progress } = withContext(resolved, context);
  const outcome = await runCompare(settings, options, registry, projectRoot, progress);
  return { document: outcome.summary, outcome, settings, options };
}

/** `compare` with its walk-forwards run by queue workers (`backtest worker --queue URL`): the same document. */
export async function compareOnQueue(resolved: RunSettings, options: CompareOptions, url: string, context: RunContext = {}): Promise<CompareRun> {
  const { projectRoot, settings, registry, progress } = withContext(resolved, context);
  const outcome = await queueModule().runOnQueue(settings, options, url, registry, projectRoot, progress);
  return { document: outcome.summary, outcome, settings, options };
}

/** BullMQ (and its Redis client) load only for a sweep on a queue: every other command starts without them. */
function queueModule(): typeof QueueModule {
  return require('./sweep/queue') as typeof QueueModule;
}

/** `backtest worker`: takes the walk-forwards of `compareOnQueue` sweeps off the queue until closed (see runQueueWorker in sweep/queue.ts). */
export function queueWorker(...args: Parameters<typeof QueueModule.runQueueWorker>): ReturnType<typeof QueueModule.runQueueWorker> {
  return queueModule().runQueueWorker(...args);
}

/** Shard `shard` (1-based index of count) of a compare: its jobs run, as a shard folder's files (`writeShard`). */
export async function compareShard(resolved: RunSettings, options: CompareOptions, shard: { index: number; count: number }, context: RunContext = {}): Promise<ShardFiles> {
  const { projectRoot, settings, registry, progress } = withContext(resolved, context);
  return runShard(settings, options, shard, registry, projectRoot, progress);
}

/** The compare the shard folders of one sweep make together (`backtest merge`): the document a local run gives. */
export function mergeCompare(dirs: readonly string[], context: RunContext = {}): CompareRun {
  const first = readShardSettings(dirs);
  const { projectRoot, registry, progress } = withContext(first, context);
  const { outcome, settings, options } = mergeShards(dirs, registry, projectRoot, progress);
  return { document: outcome.summary, outcome, settings, options };
}

/** The position to hold from the last complete period of the data on, and why (`backtest signal`). */
export async function signal(options: BacktestOptions = {}, context: RunContext = {}): Promise<SignalDocument> {
  return signalResolved(settingsFromOptions(options, context), context);
}

/** `signal` of settings already checked and complete (the CLI's). */
export async function signalResolved(resolved: RunSettings, context: RunContext = {}): Promise<SignalDocument> {
  const { projectRoot, settings, registry, progress } = withContext(resolved, context);
  return signalJob(settings, registry, projectRoot, progress);
}
