/**
 * The schemas of summary.json: of a run folder (what `backtest report` rebuilds the page from)
 * and of a compare folder. One schema per document, naming every key a report reads with the
 * type it must have; numbers a run could not compute are null (JSON has no NaN).
 */
import { UserError } from '@backtest/core';
import { printable, quotedList } from '@backtest/core/internal';
import { arr, bool, either, json, num, obj, oneOfStrings, optional, preview, record, type Schema, str } from './schema';
import { EQUAL_WEIGHT, type UniverseSummaryDoc } from './summary';
import { METRIC_ROWS } from './terminal-table';

const metric = num({ nullable: true });

/** Every metric of the table: a number, or null where it is undefined (no trades, zero variance). */
/**
 * Metrics a folder written before they existed does not have (maxDrawdownPeriods was
 * maxDrawdownMonths, which stays one release, deprecated): absent, they read as undefined
 * (`parseSummaryJson` carries the old count over).
 */
const ADDED_METRICS = new Set(['maxDrawdownPeriods', 'winRate', 'valueAtRisk95', 'expectedShortfall95']);
const METRICS_SCHEMA: Schema = obj({
  ...Object.fromEntries(METRIC_ROWS.map((r) => [String(r.key), ADDED_METRICS.has(String(r.key)) ? optional(metric) : metric])),
  maxDrawdownMonths: optional(metric),
});

const PRICE_FORECAST_SCHEMA = obj({ rmse: metric, mae: metric, directionalAccuracy: metric, r2OutOfSample: metric, n: metric });
const DIRECTION_FORECAST_SCHEMA = obj({
  target: oneOfStrings('direction'),
  n: metric,
  accuracy: metric,
  logLoss: metric,
  brier: metric,
  auc: metric,
  baseRate: metric,
  baseLogLoss: metric,
  baseBrier: metric,
});
const FORECAST_SCHEMA = either(PRICE_FORECAST_SCHEMA, DIRECTION_FORECAST_SCHEMA);

const SEED_FIGURES = {
  sharpe: metric,
  cagr: metric,
  totalReturn: metric,
  volatility: metric,
  sortino: metric,
  maxDrawdown: metric,
  calmar: metric,
  exposure: metric,
  trades: metric,
};
const SEEDS_SCHEMA = obj({
  n: num({ integer: true, min: 1 }),
  headlineSeed: num({ integer: true }),
  runs: arr(obj({ seed: num({ integer: true }), ...SEED_FIGURES })),
  sharpe: obj({ median: metric, p25: metric, p75: metric, min: metric, max: metric }),
  benchmarkSharpe: metric,
  beatBenchmark: metric,
  ensemble: optional(obj({ members: num({ integer: true, min: 2 }), ...SEED_FIGURES })),
});

/** One strategy's results: the metrics, and for forecast strategies their quality, the number of fits and the seeds' distribution. */
const STRATEGY_RESULT_SCHEMA: Schema = obj({
  ...fieldsOf(METRICS_SCHEMA),
  forecast: optional(FORECAST_SCHEMA),
  fits: optional(num({ integer: true, min: 0 })),
  seeds: optional(SEEDS_SCHEMA),
});

function fieldsOf(s: Schema) {
  if (s.type !== 'object') throw new Error('internal: not an object schema');
  return s.fields;
}

/** yyyy-MM (monthly runs) or yyyy-MM-dd (daily runs). */
export const PERIOD_LABEL = str({ pattern: /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, what: 'a period label (yyyy-MM or yyyy-MM-dd)' });

/** What a run and a compare summary share: the data, the period, the seed and the conventions. */
const SHARED = {
  dataset: str(),
  frequency: oneOfStrings('monthly', 'daily'),
  period: obj({
    start: PERIOD_LABEL,
    end: PERIOD_LABEL,
    periods: num({ integer: true, min: 0 }),
    months: optional(num({ integer: true, min: 0 })),
  }),
  seed: num({ integer: true }),
  backend: optional(str()),
  trainer: optional(str()),
  // Shown as text, one fact each; the rates and counts the page computes with are numbers.
  conventions: obj(
    {
      periodsPerYear: optional(num({ min: 1 })),
      cashRate: optional(either(num(), str())),
      costBps: optional(num()),
    },
    either(str(), num()),
  ),
  warnings: arr(str()),
  // What reproduces the run: shown as JSON (config), as text (data, version, time).
  config: optional(record(json())),
  data: optional(obj({ path: optional(str()), sha256: optional(str()) })),
  version: optional(str()),
  createdAt: optional(str()),
};

/**
 * A run over a universe: each asset's provenance and figures, the benchmark, and the correlation
 * matrix of the assets' returns (null where undefined); `checkUniverseSummary` checks the rest.
 */
const UNIVERSE_SCHEMA = obj({
  assets: arr(
    obj({
      name: str(),
      currency: optional(str()),
      file: optional(str()),
      sha256: optional(str()),
      origin: optional(str()),
      meanWeight: metric,
      contribution: metric,
      totalReturn: metric,
    }),
  ),
  benchmark: str(),
  correlation: arr(arr(metric)),
});

/**
 * summary.json of a run folder. Results must hold the strategy's and buy-and-hold's (one entry
 * when the strategy is buy-and-hold): `checkRunSummary` checks those two keys by name.
 */
export const RUN_SUMMARY_SCHEMA: Schema = obj({
  strategy: str(),
  ...SHARED,
  results: record(STRATEGY_RESULT_SCHEMA),
  params: record(json()),
  universe: optional(UNIVERSE_SCHEMA),
  // The weight to hold next; a weight is finite (a decision is never NaN).
  signal: optional(obj({ asOf: PERIOD_LABEL, weight: num(), assets: optional(arr(obj({ name: str(), weight: num() }))) })),
  selection: optional(
    obj({
      configurations: arr(str()),
      metric: str(),
      validation: metric,
      choices: arr(obj({ refit: PERIOD_LABEL, chosen: str(), scores: arr(metric) })),
    }),
  ),
});

/**
 * What UNIVERSE_SCHEMA cannot say of a run summary's `universe`, a UserError naming the key:
 * one asset or more, each named and no two alike, a benchmark that is `equal-weight` or one of
 * them, and a correlation matrix of one row and one column per asset.
 */
export function checkUniverseSummary(u: UniverseSummaryDoc, file: string): void {
  const fail = (key: string, problem: string) => {
    throw new UserError(`${printable(file, 1024)}: "${key}": ${problem}`);
  };
  const names = u.assets.map((a) => a.name);
  if (names.length === 0) fail('universe.assets', 'expected one asset or more, found none');
  names.forEach((name, i) => {
    if (name === '') fail(`universe.assets[${i}].name`, 'expected the name of an asset, found the empty text');
    if (names.indexOf(name) !== i) fail(`universe.assets[${i}].name`, `a second asset named ${preview(name)}`);
  });
  if (u.benchmark !== EQUAL_WEIGHT && !names.includes(u.benchmark)) {
    fail('universe.benchmark', `expected "${EQUAL_WEIGHT}" or the name of an asset (${quotedList(names, 20, 40)}), found the text ${preview(u.benchmark)}`);
  }
  const n = names.length;
  if (u.correlation.length !== n) fail('universe.correlation', `expected ${n} rows (one per asset), found ${u.correlation.length}`);
  u.correlation.forEach((row, i) => {
    if (row.length !== n) fail(`universe.correlation[${i}]`, `expected ${n} numbers (one per asset), found ${row.length}`);
  });
}

const SIGNIFICANCE_SCHEMA = obj({
  sharpeDiff: metric,
  sharpeDiffCI: arr(metric, 2),
  sharpeDiffPValue: metric,
  psr: optional(metric),
  psrVsBenchmark: optional(metric),
  dsr: optional(metric),
  trials: optional(num({ integer: true, min: 0 })),
  blockLength: optional(metric),
  sharpePerPeriod: optional(metric),
  skewness: optional(metric),
  kurtosis: optional(metric),
  ledoitWolf: optional(obj({ pValue: metric, standardError: metric })),
  studentised: optional(obj({ pValue: metric, interval: arr(metric, 2), blockLength: metric })),
  dm: optional(obj({ statistic: metric, pValue: metric })),
});

/** summary.json of a compare folder: each configuration's results with its significance, and the verdicts. */
export const COMPARE_SUMMARY_SCHEMA: Schema = obj({
  command: oneOfStrings('compare'),
  ...SHARED,
  configurations: arr(str()),
  results: record(obj({ ...fieldsOf(STRATEGY_RESULT_SCHEMA), params: record(json()), significance: SIGNIFICANCE_SCHEMA })),
  benchmark: METRICS_SCHEMA,
  verdicts: arr(obj({ configuration: str(), beats: bool(), text: str() })),
  trials: num({ integer: true, min: 1 }),
  multipleTesting: optional(
    obj({
      statistic: str(),
      trials: arr(str()),
      realityCheck: obj({ pValue: metric }),
      spa: obj({ pValue: metric }),
      stepM: obj({ rejected: arr(str()) }),
      blockLength: metric,
      samples: num({ integer: true, min: 0 }),
      pbo: optional(
        obj({
          value: metric,
          blocks: num({ integer: true, min: 2 }),
          splits: num({ integer: true, min: 1 }),
          degradation: obj({ slope: metric, intercept: metric, probabilityOfLoss: metric }),
        }),
      ),
    }),
  ),
  jointVerdict: optional(obj({ beats: bool(), text: str() })),
});
