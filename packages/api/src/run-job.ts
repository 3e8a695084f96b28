import { basename } from 'node:path';
import {
  createMarketView,
  type ForecastRecord,
  type Indicator,
  type Frequency,
  type PriceSeries,
  type ProgressReporter,
  type RawParamValue,
  type Strategy,
  type StrategyOutput,
  type StrategyPlugin,
  UserError,
} from '@backtest/core';
import { assetReturns, periodLabel, strategyParams } from '@backtest/core/internal';
import { runOverSeeds } from './seeds';
import { type LoadedData, loadCsvFile, loadDataset, parseColumnMapping } from '@backtest/data';
import { restrictToRange, walkForward, type WalkForwardResult, type YieldSeries } from '@backtest/engine';
import { computeMetrics, directionMetrics, type ForecastMetrics, forecastMetrics, type Metrics } from '@backtest/metrics';
import type { DirectionForecastMetrics } from '@backtest/report';
import type { RunSummary } from '@backtest/report';
import type { StrategyRegistry } from './registry';
import { isPath, type RunSettings } from './settings';

const BENCHMARK_ID = 'buy-and-hold';

export interface RunOutcome {
  summary: RunSummary;
  data: LoadedData;
  series: PriceSeries;
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
  readonly data: LoadedData;
  readonly series: PriceSeries;
  /** A constant annual rate, or the yield series --cash-rate names. */
  readonly cash: number | YieldSeries;
  readonly warnings: string[];
}

/** Loads the data (with the extra `columns` the strategies need), restricts it to --from/--to, and loads the cash. */
export function prepareRun(settings: RunSettings, projectRoot: string, columns: readonly string[]): PreparedRun {
  const data = loadData(settings, projectRoot, columns);
  const warnings = [...data.warnings];
  const series = restrictToRange(data.series, settings.from, settings.to);
  const yields = loadCashYields(settings, projectRoot, warnings, series.frequency);
  return { data, series, cash: yields ?? (settings.cashRate as number), warnings };
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
}

/** Create the strategy, walk it forward over `series`, and compute its metrics and buy-and-hold's. */
export async function runConfiguration(
  plugin: StrategyPlugin,
  rawParams: Readonly<Record<string, RawParamValue>>,
  series: PriceSeries,
  o: ConfigurationOptions,
): Promise<ConfigurationRun> {
  const { settings, warnings } = o;
  const params = strategyParams(plugin, rawParams);
  if (plugin.needs?.frequencies && !plugin.needs.frequencies.includes(series.frequency)) {
    throw new UserError(`strategy "${plugin.id}" supports ${plugin.needs.frequencies.join(', ')} data, not ${series.frequency}`);
  }
  const strategy = plugin.create(params, {
    frequency: series.frequency,
    seed: settings.seed,
    threads: settings.threads,
    backend: settings.backend,
    progress: o.progress,
    warn: (m) => warnings.push(m),
    ...(settings.saveModels ? { saveModels: true } : {}),
    ...(o.ensemble !== undefined && o.ensemble > 1 ? { ensemble: o.ensemble } : {}),
  });
  const testStart = o.testStart ?? settings.testStart;
  const walk = await walkForward(series, strategy, {
    ...(testStart !== undefined ? { testStart } : {}),
    costBps: settings.costBps,
    ...(typeof o.cash === 'number' ? { cashRate: o.cash } : { cashYields: o.cash }),
    ...(o.decideLast ? { decideLast: true } : {}),
    strategyId: plugin.id,
  });
  const ppy = walk.periodsPerYear;
  const metrics = computeMetrics({
    returns: walk.strategyReturns,
    benchmark: walk.benchmarkReturns,
    weights: walk.weights,
    cash: walk.cashReturns,
    periodsPerYear: ppy,
  });
  const benchmarkMetrics = computeMetrics({
    returns: walk.benchmarkReturns,
    benchmark: walk.benchmarkReturns,
    weights: walk.benchmarkWeights,
    cash: walk.cashReturns,
    periodsPerYear: ppy,
  });
  const indicators = o.indicators ? declaredIndicators(plugin.id, strategy, series) : [];
  const records = walk.output.forecasts;
  if (!records || records.length === 0) return { plugin, params: { ...params }, walk, indicators, metrics, benchmarkMetrics };
  const fs = forecastSeries(records, walk, series);
  if (records.some((r) => r.probability !== undefined)) {
    // A direction forecast: scored as a probability of a rise; there is no return to compare.
    // The outcome is the one the model learned: next close above this close, on the closes the
    // strategy saw (not the total return, which a dividend can make positive on a falling close).
    const row = new Map(series.dates.map((d, i) => [periodLabel(d, series.frequency), i]));
    const byLabel = new Map(records.map((r) => [r.label, r]));
    const probability = fs.labels.map((label) => byLabel.get(label)!.probability ?? Number.NaN);
    const outcome = fs.labels.map((label) => {
      const i = row.get(label)!;
      return series.close[i + 1]! > series.close[i]! ? 1 : 0;
    });
    // Scored at the strategy's own threshold, where it has one: accuracy is of the positions taken.
    const threshold = typeof params['threshold'] === 'number' && params['threshold'] >= 0 && params['threshold'] <= 1 ? params['threshold'] : 0.5;
    const d = directionMetrics({ probability, outcome, threshold });
    const direction: DirectionForecastMetrics = { target: 'direction', ...d };
    return { plugin, params: { ...params }, walk, indicators, metrics, benchmarkMetrics, forecastMetrics: direction };
  }
  const fm = forecastMetrics({ predicted: fs.predicted, actual: fs.actual, benchmark: fs.historicalMean });
  return { plugin, params: { ...params }, walk, indicators, metrics, benchmarkMetrics, forecast: fs, forecastMetrics: fm };
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
  const { headline: run, seeds } = await runOverSeeds(plugin, settings.params, series, { settings, progress, warnings, cash, indicators: true });
  const { walk } = run;
  const output: StrategyOutput = walk.output;
  const results: RunSummary['results'] = { [plugin.id]: { ...run.metrics } };
  if (run.forecastMetrics) results[plugin.id]!.forecast = run.forecastMetrics;
  if (output.fits !== undefined) results[plugin.id]!.fits = output.fits;
  if (seeds) results[plugin.id]!.seeds = seeds;
  if (plugin.id !== BENCHMARK_ID) results[BENCHMARK_ID] = { ...run.benchmarkMetrics };
  const summary: RunSummary = {
    strategy: plugin.id,
    dataset: settings.data ? data.path : settings.dataset,
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
    warnings,
  };
  return { summary, data, series, walk, indicators: run.indicators };
}
