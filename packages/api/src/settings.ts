import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { didYouMean, type RawParamValue, UserError } from '@backtest/core';
import { findProjectRoot } from '@backtest/data';
import type * as Valibot from 'valibot';
import { assetName } from './universe';

/** Every run setting, after defaults, the config file and flags are merged (flags win). */
export interface RunSettings {
  strategy: string;
  dataset: string;
  /** A CSV file to use instead of a named dataset. */
  data?: string;
  /**
   * Several assets (datasets or CSV files), traded together and aligned on the rows they all
   * have (`--universe sp500,ndx,gold`); instead of `dataset` and `data`. One entry is the same
   * run as `dataset` (or `data`) naming it.
   */
  universe?: string[];
  /** A universe's benchmark: `equal-weight` (default) or one of its assets. */
  benchmark?: string;
  /** The bound on the sum of |weights| of a strategy that declares leverage (default 1). */
  maxLeverage?: number;
  dataDirs: string[];
  /** Column mapping for a file in no known layout: `date=Day,close=Last`. */
  columns?: string;
  /** Reinvest dividends where the data has them (Shiller). */
  totalReturn: boolean;
  /** Served frequency; undefined: the dataset's own (month-end for a CSV file). */
  frequency?: 'monthly' | 'daily';
  onMissing: 'drop' | 'error';
  from?: string;
  to?: string;
  testStart?: string;
  costBps: number;
  /**
   * Cash: a constant annual rate as a fraction (0.02 = 2%), or a yield series in percent a year,
   * named as a dataset (`tnx`, a fetched `tb3ms`) or a CSV file (a path: it contains a slash or
   * ends in .csv).
   */
  cashRate: number | string;
  seed: number;
  /**
   * Run a stochastic strategy under the seeds seed, seed+1, ..., seed+seeds-1 and report their
   * distribution; the headline figures are the median seed's. 1: one run. A deterministic strategy ignores it.
   */
  seeds: number;
  /** With seeds > 1: also average the seeds' forecasts into one strategy (an ensemble), reported beside the distribution. */
  ensemble: boolean;
  /** Worker threads for independent model fits; `auto` in a config file means one per core. */
  threads: number;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  params: Record<string, RawParamValue>;
  plugins: string[];
  /** Keep every fit's model for the run folder (`--save-models`). */
  saveModels?: boolean;
}

const MAX_CONFIG_BYTES = 1 << 20;

/** More assets than this in one universe is a mistake (every asset's data is held in memory). */
const MAX_UNIVERSE = 500;

/** More worker threads than this only costs memory (each holds its own kernels). */
const MAX_THREADS = 256;

/** Every setting a config file (or the library's options) may hold, in the order messages list them. */
export const SETTING_KEYS = [
  'strategy',
  'dataset',
  'data',
  'universe',
  'benchmark',
  'maxLeverage',
  'dataDirs',
  'columns',
  'totalReturn',
  'frequency',
  'onMissing',
  'from',
  'to',
  'testStart',
  'costBps',
  'cashRate',
  'seed',
  'seeds',
  'ensemble',
  'threads',
  'backend',
  'params',
  'plugins',
] as const satisfies readonly Exclude<keyof RunSettings, 'saveModels'>[];
type SettingKey = (typeof SETTING_KEYS)[number];

/** `YYYY-MM` or `YYYY-MM-DD` naming a real month (01-12) and day (2020-02-30 is no date). */
function isRealLabel(v: string): boolean {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/**
 * The one schema of every setting, whether it comes from a config file, a flag or the library's
 * options. It holds no defaults (those are config/defaults.json's). Each message completes
 * "must be ...": problemOf turns valibot's first issue into it, and the caller says where the value
 * came from. Built on first use: valibot is loaded only when there is a value to check, so a run
 * without a config file or checked flags does not pay for it at start.
 */
function buildSettingsSchema(v: typeof Valibot) {
  const LABEL = 'a real month like "2020-01" (or a day like "2020-01-31")';
  const label = v.pipe(v.string(LABEL), v.check(isRealLabel, LABEL));
  const text = v.string('a string');
  const oneOf = <T extends readonly [string, ...string[]]>(...values: T) => v.picklist(values, `one of ${values.join(', ')}`);
  const stringList = v.array(v.string('a list of strings'), 'a list of strings');
  const PARAMS = 'an object of parameter values';
  // A bare number must be finite: valibot's number() refuses only NaN.
  const finite = v.pipe(v.number(PARAMS), v.finite(PARAMS));
  const paramValue = v.union([v.string(PARAMS), finite, v.boolean(PARAMS), v.array(finite, PARAMS)], PARAMS);
  // Not v.record: it would take an array, a Map or a class instance, and skip the keys
  // "constructor" and "prototype" (and symbol keys) unchecked. A plain object's every own
  // enumerable key but "__proto__" is a string naming a parameter value.
  const params = v.custom<Record<string, RawParamValue>>(
    (input) =>
      isPlainObject(input) &&
      Reflect.ownKeys(input).every(
        (key) => key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, key) || (typeof key === 'string' && v.is(paramValue, input[key])),
      ),
    PARAMS,
  );
  const cash = (issue: { input?: unknown }) => cashRateProblem(issue.input) ?? 'a number (an annual rate as a fraction) or the name of a yield series';
  const THREADS = `an integer from 1 to ${MAX_THREADS}, or "auto"`;
  const ASSETS = 'a list of dataset names or CSV files';
  return {
    strategy: text,
    dataset: text,
    data: text,
    universe: v.pipe(
      v.array(v.unknown(), ASSETS),
      // A list too long is refused as such before its entries are read.
      v.maxLength(MAX_UNIVERSE, `a list of at most ${MAX_UNIVERSE} assets`),
      v.array(v.pipe(v.string(ASSETS), v.trim(), v.minLength(1, `${ASSETS}, none empty`)), ASSETS),
      v.minLength(1, 'a list of at least one dataset name or CSV file'),
    ),
    benchmark: v.pipe(v.string('"equal-weight" or an asset of the universe'), v.trim(), v.minLength(1, '"equal-weight" or an asset of the universe')),
    maxLeverage: range(v, 1, 100, false, ' (the bound on the sum of |weights|: 1 is no leverage)'),
    dataDirs: stringList,
    columns: text,
    totalReturn: v.boolean('true or false'),
    frequency: oneOf('monthly', 'daily'),
    onMissing: oneOf('drop', 'error'),
    from: label,
    to: label,
    testStart: label,
    costBps: range(v, 0, 10_000, false, ' (basis points of the traded weight: 10000 is the whole position)'),
    // The message is the input's: a number out of range says which bound it passed.
    cashRate: v.union(
      [
        v.pipe(v.string(cash), v.trim(), v.minLength(1, cash)),
        v.pipe(
          v.number(cash),
          v.check((rate) => cashRateProblem(rate) === undefined, cash),
        ),
      ],
      cash,
    ),
    // Seeds are 32-bit: a larger one would be used modulo 2^32 while the record showed it as given.
    seed: range(v, 0, 2 ** 32 - 1, true),
    seeds: range(v, 1, 1000, true),
    ensemble: v.boolean('true or false'),
    threads: v.union([v.literal('auto', THREADS), v.pipe(v.number(THREADS), v.integer(THREADS), v.minValue(1, THREADS), v.maxValue(MAX_THREADS, THREADS))], THREADS),
    backend: oneOf('auto', 'tensorflow', 'wasm', 'cpu'),
    params,
    plugins: stringList,
  } satisfies Record<SettingKey, Valibot.GenericSchema>;
}

/** An object made by `{}`, `Object.create(null)` or JSON.parse: not an array, a Date, a Map or a class instance. */
function isPlainObject(o: unknown): o is Record<PropertyKey, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const ctor: unknown = (o as { constructor?: unknown }).constructor;
  // No constructor, or a key "constructor" holding a value: still a plain object.
  if (typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return typeof proto === 'object' && proto !== null && !Array.isArray(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

/** A number in [min, max] (an integer if asked), every failure worded as the range. The bounds also refuse ±Infinity. */
export function range(v: typeof Valibot, min: number, max: number, integer = false, why = '') {
  const m = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}${why}`;
  return integer ? v.pipe(v.number(m), v.minValue(min, m), v.maxValue(max, m), v.integer(m)) : v.pipe(v.number(m), v.minValue(min, m), v.maxValue(max, m));
}

let loaded: typeof Valibot | undefined;
/** valibot, loaded on first use (see buildSettingsSchema). */
export function valibot(): typeof Valibot {
  loaded ??= require('valibot') as typeof Valibot;
  return loaded;
}

let settingsSchema: ReturnType<typeof buildSettingsSchema> | undefined;
/** The schema of one setting. */
function settingSchema(key: SettingKey): Valibot.GenericSchema {
  settingsSchema ??= buildSettingsSchema(valibot());
  return settingsSchema[key];
}

/** What a value of `key` must be, completing "must be ..." (undefined: accepted). The one place valibot's issues become our messages. */
export function problemOf(schema: Valibot.GenericSchema, value: unknown): string | undefined {
  const parsed = valibot().safeParse(schema, value);
  return parsed.success ? undefined : parsed.issues[0].message;
}

/** The flag of a setting: the kebab-case of its key (`costBps`: `--cost-bps`). */
export const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** How a refused value is quoted: as JSON, except a flag's NaN (yargs' reading of "abc" as a number). */
export const given = (v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'something that is not a number' : JSON.stringify(v));

/** A cash series given as a file rather than a dataset name: it has a path separator or ends in .csv. */
export function isPath(name: string): boolean {
  return /[\\/]/.test(name) || name.toLowerCase().endsWith('.csv');
}

/** Why a constant cash rate is refused (undefined: accepted). Above 1 is 100% a year: most likely a percent meant as a fraction. */
function cashRateProblem(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'a number (an annual rate as a fraction) or the name of a yield series';
  if (v < -0.99) return 'an annual rate above -0.99 (a fraction: 0.02 is 2% a year)';
  if (v > 1) {
    const meant = v <= 100 ? `: for ${v}% a year write ${v / 100}` : '';
    return `an annual rate as a fraction, at most 1 (100% a year)${meant}, or the name of a yield series in percent (a dataset or CSV file)`;
  }
  return undefined;
}

/** Check a settings object read from JSON: unknown keys get a hint, bad values say what was expected. */
export function validateSettings(raw: unknown, file: string): Partial<RunSettings> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${file}: expected a JSON object of settings`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$')) continue;
    // Own keys only: "__proto__" or "toString" names no setting.
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw new UserError(`${file}: unknown setting "${key}"${didYouMean(key, [...SETTING_KEYS])}; known settings: ${SETTING_KEYS.join(', ')}`);
    }
    if (value === null) continue;
    const problem = problemOf(settingSchema(key as SettingKey), value);
    if (problem) throw new UserError(`${file}: setting "${key}" must be ${problem}, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out as Partial<RunSettings>;
}

function readSettingsFile(file: string): Partial<RunSettings> {
  let text: string;
  try {
    // A regular file of sensible size: /dev/zero or a FIFO would never end.
    const stat = statSync(file);
    if (!stat.isFile()) throw new UserError(`config file ${file} is not a regular file`);
    if (stat.size > MAX_CONFIG_BYTES) throw new UserError(`config file ${file} has ${stat.size} bytes; a settings file has at most ${MAX_CONFIG_BYTES}`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return validateSettings(json, file);
}

/**
 * config/defaults.json, the one place of the defaults. It is the project's own file, checked
 * against the schema by settings.test.ts, so reading it needs no schema (nor valibot) at run time.
 */
export function readDefaults(projectRoot: string): Partial<RunSettings> {
  const file = path.join(projectRoot, 'config', 'defaults.json');
  // Another project's defaults (context.projectRoot) are checked like any settings file.
  if (!isOwnProject(projectRoot)) return readSettingsFile(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`the defaults ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UserError(`${file}: expected a JSON object of settings`);
  return Object.fromEntries(Object.entries(json).filter(([key]) => !key.startsWith('$'))) as Partial<RunSettings>;
}

/** The project this package belongs to, whose config/defaults.json settings.test.ts checks (found on first use). */
let ownProjectRoot: string | undefined;
function isOwnProject(projectRoot: string): boolean {
  if (ownProjectRoot === undefined) {
    try {
      ownProjectRoot = findProjectRoot(__dirname);
    } catch {
      ownProjectRoot = '';
    }
  }
  return path.resolve(projectRoot) === ownProjectRoot;
}

/** Flags checked by the settings schema as they are given (params and plugins have checks of their own). */
const FLAG_CHECKED = new Set(['from', 'to', 'testStart', 'costBps', 'cashRate', 'seed', 'seeds', 'threads', 'universe', 'benchmark', 'maxLeverage']);

/**
 * A universe replaces --dataset and --data (given alongside it, they are refused); a universe of
 * one is that dataset or file alone, the very run `--dataset NAME` (or `--data FILE`) makes.
 */
function normaliseUniverse(merged: RunSettings, given: Partial<RunSettings>): void {
  const universe = merged.universe;
  if (universe === undefined) {
    if (merged.benchmark !== undefined) throw new UserError('--benchmark names the benchmark of a universe: it needs --universe');
    return;
  }
  const also = [given.dataset !== undefined ? '--dataset' : '', given.data !== undefined ? '--data' : ''].filter(Boolean);
  if (also.length) throw new UserError(`--universe names the run's assets: give it or ${also.join(' and ')}, not both`);
  if (universe.length === 1) {
    const only = universe[0]!;
    const name = assetName(only, isPath(only));
    if (merged.benchmark !== undefined && merged.benchmark !== name && merged.benchmark !== 'equal-weight') {
      throw new UserError(`--benchmark ${merged.benchmark} is not an asset of the universe (${name})`);
    }
    if (isPath(only)) merged.data = only;
    else merged.dataset = only;
    delete merged.universe;
    delete merged.benchmark;
  }
}

/** Defaults from config/defaults.json, then the user's config file, then flags. */
export function resolveSettings(projectRoot: string, configFile: string | undefined, flags: Partial<RunSettings>): RunSettings {
  const defaults = readDefaults(projectRoot);
  const user = configFile ? readSettingsFile(configFile) : {};
  const merged = { ...defaults, ...user } as RunSettings;
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined) continue;
    const problem = FLAG_CHECKED.has(k) ? problemOf(settingSchema(k as SettingKey), v) : undefined;
    if (problem) throw new UserError(`${flagName(k)} must be ${problem}, got ${given(v)}`);
    (merged as unknown as Record<string, unknown>)[k] = v;
  }
  if ((merged.threads as unknown) === 'auto') merged.threads = availableParallelism();
  normaliseUniverse(merged, { ...user, ...flags });
  const cashProblem = typeof merged.cashRate === 'string' ? undefined : cashRateProblem(merged.cashRate);
  if (cashProblem) throw new UserError(`--cash-rate must be ${cashProblem}, got ${String(merged.cashRate)}`);
  merged.params = { ...(defaults.params ?? {}), ...(user.params ?? {}), ...(flags.params ?? {}) };
  merged.plugins = [...(user.plugins ?? defaults.plugins ?? []), ...(flags.plugins ?? [])];
  if (configFile && flags.cashRate === undefined && typeof user.cashRate === 'string' && isPath(user.cashRate)) {
    // A cash file named in a config file is relative to that file, as its data directories are.
    merged.cashRate = path.resolve(path.dirname(configFile), user.cashRate);
  }
  if (configFile && user.dataDirs) {
    // Relative data directories in a user's config file are relative to that file.
    merged.dataDirs = user.dataDirs.map((d) => path.resolve(path.dirname(configFile), d));
  } else {
    merged.dataDirs = merged.dataDirs.map((d) => path.resolve(projectRoot, d));
  }
  return merged;
}
