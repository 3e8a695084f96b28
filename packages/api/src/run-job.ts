import { basename } from 'node:path';
import {
  assetSeed,
  createMarketView,
  eachAsset,
  type ForecastRecord,
  type Indicator,
  type Frequency,
  isUniverse,
  type PriceSeries,
  type ProgressReporter,
  type RawParamValue,
  type SharedWork,
  type Strategy,
  type StrategyOutput,
  type StrategyContext,
  type StrategyPlugin,
  type Universe,
  UserError,
} from '@backtest/core';
import { assetReturns, periodLabel, strategyParams } from '@backtest/core/internal';
import { runOverSeeds } from './seeds';
import { type LoadedData, loadCsvFile, loadDataset, parseColumnMapping } from '@backtest/data';
import { EQUAL_WEIGHT, restrictToRange, walkForward, type WalkForwardResult, type YieldSeries } from '@backtest/engine';
import { computeMetrics, directionMetrics, type ForecastMetrics, forecastMetrics, type Metrics } from '@backtest/metrics';
import type { DirectionForecastMetrics } from '@backtest/report';
import type { RunSignal, RunSummary } from '@backtest/report';
import type { StrategyRegistry } from './registry';
import { isPath, type RunSettings } from './settings';
import { alignUniverse, assetName, type LoadedAsset, type UniverseSource, universeData, universeSummary } from './universe';

/** What a run records of its data: the file (or a universe's names) and the SHA-256 that pins it. */
export interface RunData {
  readonly path: string;
  readonly sha256: string;
  /** Where a named dataset was found (`data directory`, `embedded`); undefined for a file. */
  readonly origin?: string;
  /** A universe's assets: each one's file, hash, origin and currency. */
  readonly sources?: readonly UniverseSource[];
}

/** What a run walks over: one series, or a universe of several assets. */
export type Market = PriceSeries | Universe;

/** The dataset a summary names: a universe's assets (`sp500,ndx,gold`), a file's path, or the dataset. */
export function datasetName(settings: RunSettings, data: RunData): string {
  return data.sources || settings.data ? data.path : settings.dataset;
}

/** Rows of a market. */
export const rowCount = (m: Market): number => m.dates.length;

/** The name of a market, for messages: a series' source, or a universe's assets. */
export const marketName = (m: Market): string => (isUniverse(m) ? m.assets.map((a) => a.name).join(', ') : m.source);

const BENCHMARK_ID = 'buy-and-hold';

export interface RunOutcome {
  summary: RunSummary;
  data: RunData;
  series: Market;
  walk: WalkForwardResult;
  /** What the strategy declared for the report to draw (`Strategy.indicators`), one value per row of `series`. */
  indicators: readonly Indicator[];
}

/**
 * Loads the run's data (the series it trades). `columns` lists the extra columns the strategies need (close is always
 * read): reading only those halves the load of a daily file. Undefined keeps every column.
 */
export function loadData(settings: RunSettings, projectRoot: string, columns?: readonly string[]): LoadedData {
  const keep = columns && [...columns, ...(settings.totalReturn ? ['dividend'] : [])];
  const common = {
    ...(keep ? { keepColumns: keep } : {}),
    onMissing: settings.onMissing,
    frequency: settings.frequency,
    totalReturn: settings.totalReturn,
    ...(settings.columns ? { columns: parseColumnMapping(settings.columns) } : {}),
  };
  const data = settings.data ? loadCsvFile(settings.data, common) : loadDataset(settings.dataset, { ...common, dataDirs: settings.dataDirs, projectRoot });
  // Traded as a price: say when the series is not one (a yield, Shiller's monthly averages).
  return data.caveat ? { ...data, warnings: [...data.warnings, data.caveat] } : data;
}

/**
 * The risk-free yield series `--cash-rate` names (a dataset or a CSV file of yields in percent a
 * year), or undefined for a constant rate. Its loader warnings join `warnings`. A monthly run
 * reads it at month-end; a daily run reads it daily where its file has days, and as the monthly
 * series it is otherwise (a month's value then serves the days of the next month: cashFromYields).
 */
function loadCashYields(settings: RunSettings, projectRoot: string, warnings: string[], frequency: Frequency): YieldSeries | undefined {
  const spec = settings.cashRate;
  if (typeof spec === 'number') return undefined;
  const read = (served: Frequency): LoadedData => {
    const load = { values: 'rate' as const, onMissing: settings.onMissing, frequency: served, keepColumns: [] };
    return isPath(spec) ? loadCsvFile(spec, load) : loadDataset(spec, { ...load, dataDirs: settings.dataDirs, projectRoot });
  };
  const monthly = read('monthly');
  const data = frequency === 'daily' && monthly.fileFrequency === 'daily' ? read('daily') : monthly;
  warnings.push(...data.warnings);
  return { source: isPath(spec) ? basename(spec) : spec, frequency: data.series.frequency, dates: data.series.dates, values: data.series.close };
}

/** What every walk of a command starts from: the data, the rows in range, the cash, and the warnings so far. */
export interface PreparedRun {
  readonly data: RunData;
  /** The rows in range: of one series, or of a universe (`--universe`). */
  readonly series: Market;
  /** A constant annual rate, or the yield series --cash-rate names. */
  readonly cash: number | YieldSeries;
  readonly warnings: string[];
}

/** Loads the data (with the extra `columns` the strategies need), restricts it to --from/--to, and loads the cash. */
export function prepareRun(settings: RunSettings, projectRoot: string, columns: readonly string[]): PreparedRun {
  if (settings.universe && settings.universe.length > 1) return prepareUniverse(settings, settings.universe, projectRoot, columns);
  const data = loadData(settings, projectRoot, columns);
  const warnings = [...data.warnings];
  const series = restrictToRange(data.series, settings.from, settings.to);
  const yields = loadCashYields(settings, projectRoot, warnings, series.frequency);
  return { data, series, cash: yields ?? (settings.cashRate as number), warnings };
}

/** prepareRun of a universe: every asset loaded as `--dataset` (or `--data`) would load it alone, then aligned. */
function prepareUniverse(settings: RunSettings, entries: readonly string[], projectRoot: string, columns: readonly string[]): PreparedRun {
  const warnings: string[] = [];
  const loaded: LoadedAsset[] = entries.map((entry) => {
    const file = isPath(entry);
    const name = assetName(entry, file);
    const data = loadData({ ...settings, ...(file ? { data: entry } : { data: undefined, dataset: entry }) }, projectRoot, columns);
    if (data.kind !== 'yield') warnings.push(...data.warnings);
    // Each asset restricted to --from/--to first, so that what the alignment says is of the run's range.
    return { name, data: data.kind === 'yield' ? data : { ...data, series: restrictToRange(data.series, settings.from, settings.to) } };
  });
  const universe = alignUniverse(loaded, warnings);
  const yields = loadCashYields(settings, projectRoot, warnings, universe.frequency);
  const data = universeData(loaded);
  return { data: { path: data.path, sha256: data.sha256, sources: data.sources }, series: universe, cash: yields ?? (settings.cashRate as number), warnings };
}

/** Forecast and actual returns of each decision, aligned, with the historical-mean forecast. */
export interface ForecastSeries {
  readonly labels: string[];
  readonly predicted: Float64Array;
  readonly actual: Float64Array;
  /** The expanding historical-mean forecast of the same return (mean of the returns known at t). */
  readonly historicalMean: Float64Array;
}

/** The returns the forecasts imply (forecast / close - 1) against the returns that followed. */
function forecastSeries(records: readonly ForecastRecord[], walk: WalkForwardResult, series: PriceSeries): ForecastSeries {
  const byLabel = new Map(records.map((r) => [r.label, r]));
  const returns = assetReturns(series);
  const labels: string[] = [];
  const predicted: number[] = [];
  const actual: number[] = [];
  const benchmark: number[] = [];
  let sum = 0;
  const t0 = walk.firstDecision;
  for (let t = 1; t <= t0; t++) sum += returns[t]!;
  for (let k = 0; k < walk.decisionLabels.length; k++) {
    const t = t0 + k;
    if (k > 0) sum += returns[t]!;
    const rec = byLabel.get(walk.decisionLabels[k]!);
    if (!rec || t < 1) continue;
    labels.push(rec.label);
    predicted.push(rec.forecast / rec.close - 1);
    actual.push(returns[t + 1]!);
    benchmark.push(sum / t);
  }
  return { labels, predicted: Float64Array.from(predicted), actual: Float64Array.from(actual), historicalMean: Float64Array.from(benchmark) };
}

/** One strategy configuration run over a series: the walk and every number computed from it. */
export interface ConfigurationRun {
  readonly plugin: StrategyPlugin;
  readonly params: Record<string, unknown>;
  readonly walk: WalkForwardResult;
  /** The strategy's indicators over every row of the series (`Strategy.indicators`). */
  readonly indicators: readonly Indicator[];
  readonly metrics: Metrics;
  readonly benchmarkMetrics: Metrics;
  readonly forecast?: ForecastSeries;
  /** The forecasts' quality: of the implied return (target price), or of the probability of a rise (target direction). */
  readonly forecastMetrics?: ForecastMetrics | DirectionForecastMetrics;
}

export interface ConfigurationOptions {
  readonly settings: RunSettings;
  readonly progress: ProgressReporter;
  readonly warnings: string[];
  /** Overrides settings.testStart (compare aligns every configuration on one start). */
  readonly testStart?: string;
  /** The cash: a constant annual rate or a yield series (PreparedRun.cash). */
  readonly cash: number | YieldSeries;
  /** Also decide at the last row (the position to hold next: `walk.next`). */
  readonly decideLast?: boolean;
  /** Ask the strategy for the indicators it declares (a run's report draws them; compare and signal do not). */
  readonly indicators?: boolean;
  /** An ensemble of this many seeds (`StrategyContext.ensemble`). */
  readonly ensemble?: number;
  /** Work the strategies of the command share (`StrategyContext.shared`): one store for all of a compare's or a run's walks. */
  readonly shared?: SharedWork;
}

/**
 * The strategy of `plugin` over a market: created once for one series; over a universe, by the
 * plugin's `createUniverse`, else once per asset (each seeded from its name) at 1/N each.
 */
export function createStrategy(plugin: StrategyPlugin, params: Readonly<Record<string, unknown>>, market: Market, context: StrategyContext): Strategy {
  if (!isUniverse(market)) return plugin.create(params as never, context);
  const assets = market.assets.map((a) => a.name);
  if (plugin.createUniverse) return plugin.createUniverse(params as never, { ...context, assets });
  return eachAsset(assets, (asset) => plugin.create(params as never, { ...context, seed: assetSeed(context.seed, asset) }));
}

/** The context a run gives its strategy. */
export function strategyContext(
  settings: RunSettings,
  frequency: Frequency,
  progress: ProgressReporter,
  warnings: string[],
  ensemble?: number,
  shared?: SharedWork,
): StrategyContext {
  return {
    frequency,
    seed: settings.seed,
    threads: settings.threads,
    backend: settings.backend,
    progress,
    warn: (m) => warnings.push(m),
    ...(settings.saveModels ? { saveModels: true } : {}),
    ...(ensemble !== undefined && ensemble > 1 ? { ensemble } : {}),
    ...(shared ? { shared } : {}),
  };
}

/** Create the strategy, walk it forward over `series` (one series or a universe), and compute its metrics and the benchmark's. */
export async function runConfiguration(
  plugin: StrategyPlugin,
  rawParams: Readonly<Record<string, RawParamValue>>,
  series: Market,
  o: ConfigurationOptions,
): Promise<ConfigurationRun> {
  const { settings, warnings } = o;
  const params = strategyParams(plugin, rawParams);
  if (plugin.needs?.frequencies && !plugin.needs.frequencies.includes(series.frequency)) {
    throw new UserError(`strategy "${plugin.id}" supports ${plugin.needs.frequencies.join(', ')} data, not ${series.frequency}`);
  }
  const strategy = createStrategy(plugin, params, series, strategyContext(settings, series.frequency, o.progress, warnings, o.ensemble, o.shared));
  const testStart = o.testStart ?? settings.testStart;
  const walk = await walkForward(series, strategy, {
    ...(testStart !== undefined ? { testStart } : {}),
    costBps: settings.costBps,
    ...(typeof o.cash === 'number' ? { cashRate: o.cash } : { cashYields: o.cash }),
    ...(o.decideLast ? { decideLast: true } : {}),
    ...(plugin.leverage && settings.maxLeverage !== undefined ? { maxLeverage: settings.maxLeverage } : {}),
    ...(settings.benchmark !== undefined && isUniverse(series) ? { benchmark: settings.benchmark } : {}),
    strategyId: plugin.id,
  });
  const ppy = walk.periodsPerYear;
  const u = walk.universe;
  const metrics = computeMetrics({
    returns: walk.strategyReturns,
    benchmark: walk.benchmarkReturns,
    weights: u ? u.weights : walk.weights,
    cash: walk.cashReturns,
    periodsPerYear: ppy,
  });
  const benchmarkMetrics = computeMetrics({
    returns: walk.benchmarkReturns,
    benchmark: walk.benchmarkReturns,
    weights: u ? [...u.benchmarkWeights].map((w) => new Float64Array(walk.labels.length).fill(w)) : walk.benchmarkWeights,
    cash: walk.cashReturns,
    periodsPerYear: ppy,
  });
  // A universe's report draws no price chart (each asset has its own), so it asks for no indicators.
  const indicators = o.indicators && !isUniverse(series) ? declaredIndicators(plugin.id, strategy, series) : [];
  const records = walk.output.forecasts;
  const base = { plugin, params: { ...params }, walk, indicators, metrics, benchmarkMetrics };
  if (!records || records.length === 0) return base;
  const parts = isUniverse(series) ? series.assets.map((a) => ({ series: a.series, records: records.filter((r) => r.asset === a.name) })) : [{ series, records }];
  if (records.some((r) => r.probability !== undefined)) {
    // A direction forecast: scored as a probability of a rise; there is no return to compare.
    // The outcome is the one the model learned: next close above this close, on the closes the
    // strategy saw (not the total return, which a dividend can make positive on a falling close).
    const probability: number[] = [];
    const outcome: number[] = [];
    for (const part of parts) {
      const fs = forecastSeries(part.records, walk, part.series);
      const row = new Map(part.series.dates.map((d, i) => [periodLabel(d, part.series.frequency), i]));
      const byLabel = new Map(part.records.map((r) => [r.label, r]));
      for (const label of fs.labels) {
        const i = row.get(label)!;
        probability.push(byLabel.get(label)!.probability ?? Number.NaN);
        outcome.push(part.series.close[i + 1]! > part.series.close[i]! ? 1 : 0);
      }
    }
    // Scored at the strategy's own threshold, where it has one: accuracy is of the positions taken.
    const threshold = typeof params['threshold'] === 'number' && params['threshold'] >= 0 && params['threshold'] <= 1 ? params['threshold'] : 0.5;
    const d = directionMetrics({ probability, outcome, threshold });
    const direction: DirectionForecastMetrics = { target: 'direction', ...d };
    return { ...base, forecastMetrics: direction };
  }
  // A universe's forecasts are scored pooled over its assets (each against its own historical mean).
  const all = parts.map((p) => forecastSeries(p.records, walk, p.series));
  const fs = all.length === 1 ? all[0]! : pooled(all);
  const fm = forecastMetrics({ predicted: fs.predicted, actual: fs.actual, benchmark: fs.historicalMean });
  // A universe's pooled series is no time series: the compare's Diebold-Mariano test is of one series' forecasts only.
  return { ...base, ...(isUniverse(series) ? {} : { forecast: fs }), forecastMetrics: fm };
}

/** Several assets' forecast series as one, asset after asset. */
function pooled(all: readonly ForecastSeries[]): ForecastSeries {
  const cat = (k: 'predicted' | 'actual' | 'historicalMean') => Float64Array.from(all.flatMap((f) => [...f[k]]));
  return { labels: all.flatMap((f) => f.labels), predicted: cat('predicted'), actual: cat('actual'), historicalMean: cat('historicalMean') };
}

/** Names the price chart's rows already use for their own fields. */
const RESERVED_INDICATOR_NAMES = new Set(['close', 't']);

/**
 * A strategy's declared indicators, checked: one value per row, a unique non-empty name each
 * that is none of the chart's own fields. A fault of the plugin's is a UserError naming it.
 */
function declaredIndicators(id: string, strategy: Strategy, series: PriceSeries): readonly Indicator[] {
  if (!strategy.indicators) return [];
  let indicators: readonly Indicator[];
  try {
    indicators = strategy.indicators(createMarketView(series, series.close.length - 1));
  } catch (e) {
    if ((e as Partial<UserError>).exitCode === 2) throw e;
    throw new UserError(`strategy "${id}": its indicators() failed: ${(e as Error).message ?? String(e)}`);
  }
  if (!Array.isArray(indicators)) throw new UserError(`strategy "${id}": indicators() must return a list of indicators`);
  const names = new Set<string>();
  for (const i of indicators) {
    const name = (i as Partial<Indicator> | null)?.name;
    if (typeof name !== 'string' || !name.trim() || names.has(name) || RESERVED_INDICATOR_NAMES.has(name.trim().toLowerCase())) {
      throw new UserError(
        `strategy "${id}": indicator names must be unique, non-empty strings other than "Close" and "t", found ${JSON.stringify(name)}${typeof name === 'string' && names.has(name) ? ' twice' : ''}`,
      );
    }
    if (i.pane !== 'price' && i.pane !== 'own') throw new UserError(`strategy "${id}": indicator "${name}" has pane "${String(i.pane)}", not price or own`);
    if (!(i.values instanceof Float64Array) || i.values.length !== series.close.length) {
      throw new UserError(`strategy "${id}": indicator "${name}" has ${i.values?.length ?? 'no'} values for ${series.close.length} rows (a Float64Array, one value per row)`);
    }
    names.add(name);
  }
  return indicators;
}

export const CONVENTIONS = (ppy: number, settings: RunSettings) => ({
  periodsPerYear: ppy,
  cashRate: settings.cashRate,
  cash:
    typeof settings.cashRate === 'number'
      ? `a constant annual rate r compounded to each period: (1 + r)^(1/${ppy}) - 1`
      : `from the yield series ${isPath(settings.cashRate) ? basename(settings.cashRate) : settings.cashRate} (percent a year): the cash return over period t+1 is (1 + y_t/100)^(1/${ppy}) - 1, y_t the last yield known at period t's close${ppy === 12 ? ' (the yield of month t)' : " (the latest daily yield on or before day t; of a monthly series, the previous month's)"}`,
  costBps: settings.costBps,
  timing: 'a weight decided at the close of period t is held over period t+1',
  sharpe: 'mean(excess) / sd(excess, n-1) * sqrt(periodsPerYear), excess over the cash return',
  // The metrics whose definitions differ between the peers, each said as computed here.
  hitRate:
    "share of all evaluated periods whose return is above 0: a period in cash is a miss unless the cash return is positive; winRate is quantstats' win rate, which leaves the periods with a zero return out",
  informationRatio: `mean(r - b) / sd(r - b, n-1) * sqrt(${ppy}), annualised (quantstats' and empyrical's information ratios are not)`,
  alpha: `the intercept of OLS of the strategy's raw returns on buy-and-hold's, times ${ppy} (empyrical regresses returns in excess of cash and compounds the intercept)`,
  maxDrawdownPeriods: `the longest time from a peak to its recovery (or the end), in periods${ppy === 12 ? ' (months)' : ' (days in this run)'}`,
  maxDrawdownMonths: 'deprecated: the same count as maxDrawdownPeriods under its old name (it counts periods, not months); it goes in the next release',
  ...(settings.universe && settings.universe.length > 1
    ? {
        universe:
          'the assets are aligned on the periods they all have; the return of a period is sum_i w_i r_i + (1 - sum_i |w_i|) c - cost sum_i |w_i - w_i,prev|, the weights being targets held over the period (the drift of the weights within a period is not charged as a trade)',
        benchmark:
          settings.benchmark === undefined || settings.benchmark === EQUAL_WEIGHT
            ? 'equal weight: every asset at 1/N in every period (rebalanced to 1/N each period), under the same cost model'
            : `buy-and-hold of ${settings.benchmark} alone, under the same cost model`,
        positions: 'exposure is the mean of sum_i |w_i|, turnover the mean of sum_i |w_i - w_i,prev|, and a trade a period in which any weight changes',
      }
    : {}),
});

export function periodOf(walk: WalkForwardResult, frequency: string): RunSummary['period'] {
  const periods = walk.labels.length;
  return {
    start: walk.labels[0]!,
    end: walk.labels[periods - 1]!,
    periods,
    ...(frequency === 'monthly' ? { months: periods } : {}),
  };
}

export async function runJob(settings: RunSettings, registry: StrategyRegistry, projectRoot: string, progress: ProgressReporter): Promise<RunOutcome> {
  const plugin = registry.get(settings.strategy);
  const { data, series, cash, warnings } = prepareRun(settings, projectRoot, plugin.needs?.columns ?? []);
  // decideLast: the report says what to hold next, which is the walk's own decision at the last row.
  const { headline: run, seeds } = await runOverSeeds(plugin, settings.params, series, { settings, progress, warnings, cash, indicators: true, decideLast: true });
  const { walk } = run;
  const output: StrategyOutput = walk.output;
  const results: RunSummary['results'] = { [plugin.id]: { ...run.metrics } };
  if (run.forecastMetrics) results[plugin.id]!.forecast = run.forecastMetrics;
  if (output.fits !== undefined) results[plugin.id]!.fits = output.fits;
  if (seeds) results[plugin.id]!.seeds = seeds;
  if (plugin.id !== BENCHMARK_ID) results[BENCHMARK_ID] = { ...run.benchmarkMetrics };
  const summary: RunSummary = {
    strategy: plugin.id,
    dataset: datasetName(settings, data),
    ...(isUniverse(series) ? { universe: universeSummary(series, walk, data) } : {}),
    frequency: series.frequency,
    period: periodOf(walk, series.frequency),
    results,
    params: run.params,
    // The seed of the run the figures and files are (the median seed's with --seeds).
    seed: seeds ? seeds.headlineSeed : settings.seed,
    ...(output.model?.backend !== undefined ? { backend: output.model.backend } : {}),
    ...(output.model?.trainer !== undefined ? { trainer: output.model.trainer } : {}),
    conventions: CONVENTIONS(walk.periodsPerYear, settings),
    ...(output.selection ? { selection: output.selection } : {}),
    ...(walk.next ? { signal: signalOf(walk.next, walk.universe?.assets) } : {}),
    warnings,
  };
  return { summary, data, series, walk, indicators: run.indicators };
}

/** The run's last decision as the summary says it (`RunSummary.signal`). */
function signalOf(next: NonNullable<WalkForwardResult['next']>, assets: readonly string[] | undefined): RunSignal {
  return {
    asOf: next.label,
    weight: next.weight,
    ...(assets && next.weights ? { assets: assets.map((name, i) => ({ name, weight: next.weights![i]! })) } : {}),
  };
}
