import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { didYouMean, type RawParamValue, UserError } from '@backtest/core';

/** Every run setting, after defaults, the config file and flags are merged (flags win). */
export interface RunSettings {
  strategy: string;
  dataset: string;
  /** A CSV file to use instead of a named dataset. */
  data?: string;
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
  /** Worker threads for independent model fits; `auto` in a config file means one per core. */
  threads: number;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  params: Record<string, RawParamValue>;
  plugins: string[];
  /** Keep every fit's model for the run folder (`--save-models`). */
  saveModels?: boolean;
}

const MAX_CONFIG_BYTES = 1 << 20;

/** More worker threads than this only costs memory (each holds its own kernels). */
const MAX_THREADS = 256;

type Check = (value: unknown) => string | undefined;
const isString: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
/** `YYYY-MM` or `YYYY-MM-DD` naming a real month (01-12) and day (2020-02-30 is no date). */
const isLabel: Check = (v) => {
  const bad = 'a real month like "2020-01" (or a day like "2020-01-31")';
  if (typeof v !== 'string') return bad;
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(v);
  if (!m) return bad;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth ? undefined : bad;
};
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? undefined : `one of ${values.join(', ')}`);
const number = (min: number, max: number, integer = false, why = ''): Check => (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))
    ? undefined
    : `${integer ? 'an integer' : 'a number'} from ${min} to ${max}${why}`;
const stringList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'a list of strings');
const paramMap: Check = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) &&
  Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x) || (Array.isArray(x) && x.every((n) => typeof n === 'number')))
    ? undefined
    : 'an object of parameter values';

// saveModels is the run command's --save-models flag only (signal and compare write no models).
const SCHEMA: Record<Exclude<keyof RunSettings, 'saveModels'>, Check> = {
  strategy: isString,
  dataset: isString,
  data: isString,
  dataDirs: stringList,
  columns: isString,
  totalReturn: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  frequency: oneOf('monthly', 'daily'),
  onMissing: oneOf('drop', 'error'),
  from: isLabel,
  to: isLabel,
  testStart: isLabel,
  costBps: number(0, 10_000, false, ' (basis points of the traded weight: 10000 is the whole position)'),
  cashRate: (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : cashRateProblem(v)),
  // Seeds are 32-bit: a larger one would be used modulo 2^32 while the record showed it as given.
  seed: number(0, 2 ** 32 - 1, true),
  threads: (v) => (v === 'auto' ? undefined : number(1, MAX_THREADS, true)(v) && `an integer from 1 to ${MAX_THREADS}, or "auto"`),
  backend: oneOf('auto', 'tensorflow', 'wasm', 'cpu'),
  params: paramMap,
  plugins: stringList,
};

/** A cash series given as a file rather than a dataset name: it has a path separator or ends in .csv. */
export function isPath(name: string): boolean {
  return /[\\/]/.test(name) || name.toLowerCase().endsWith('.csv');
}

/** Why a constant cash rate is refused (undefined: accepted). Above 1 is 100% a year: most likely a percent meant as a fraction. */
export function cashRateProblem(v: unknown): string | undefined {
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
    const check = Object.hasOwn(SCHEMA, key) ? SCHEMA[key as keyof typeof SCHEMA] : undefined;
    if (!check) {
      throw new UserError(`${file}: unknown setting "${key}"${didYouMean(key, Object.keys(SCHEMA))}; known settings: ${Object.keys(SCHEMA).join(', ')}`);
    }
    if (value === null) continue;
    const problem = check(value);
    if (problem) throw new UserError(`${file}: setting "${key}" must be ${problem}, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out as Partial<RunSettings>;
}

export function readSettingsFile(file: string): Partial<RunSettings> {
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

/** Flags checked by the settings schema as they are given (params and plugins have checks of their own). */
const FLAG_CHECKED = new Set(['from', 'to', 'testStart', 'costBps', 'cashRate', 'seed', 'threads']);

/** Defaults from config/defaults.json, then the user's config file, then flags. */
export function resolveSettings(projectRoot: string, configFile: string | undefined, flags: Partial<RunSettings>): RunSettings {
  const defaults = readSettingsFile(path.join(projectRoot, 'config', 'defaults.json'));
  const user = configFile ? readSettingsFile(configFile) : {};
  const merged = { ...defaults, ...user } as RunSettings;
  for (const [k, v] of Object.entries(flags)) {
    if (v === undefined) continue;
    const check = FLAG_CHECKED.has(k) ? SCHEMA[k as keyof typeof SCHEMA] : undefined;
    const problem = check?.(v);
    if (problem) {
      const given = typeof v === 'number' && Number.isNaN(v) ? 'something that is not a number' : JSON.stringify(v);
      throw new UserError(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be ${problem}, got ${given}`);
    }
    (merged as unknown as Record<string, unknown>)[k] = v;
  }
  if ((merged.threads as unknown) === 'auto') merged.threads = availableParallelism();
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
