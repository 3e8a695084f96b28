import {
  assetReturns,
  type ForecastRecord,
  type PriceSeries,
  type ProgressReporter,
  resolveParams,
  type StrategyOutput,
  UserError,
} from '@backtest/core';
import { type LoadedData, loadCsvFile, loadDataset, parseColumnMapping } from '@backtest/data';
import { restrictToRange, walkForward, type WalkForwardResult } from '@backtest/engine';
import { computeMetrics, forecastMetrics } from '@backtest/metrics';
import type { RunSummary } from '@backtest/report';
import type { StrategyRegistry } from './registry';
import type { RunSettings } from './settings';

export const BENCHMARK_ID = 'buy-and-hold';

export interface RunOutcome {
  summary: RunSummary;
  data: LoadedData;
  series: PriceSeries;
  walk: WalkForwardResult;
}

export function loadData(settings: RunSettings, projectRoot: string): LoadedData {
  const common = {
    onMissing: settings.onMissing,
    frequency: settings.frequency,
    totalReturn: settings.totalReturn,
    ...(settings.columns ? { columns: parseColumnMapping(settings.columns) } : {}),
  };
  return settings.data
    ? loadCsvFile(settings.data, common)
    : loadDataset(settings.dataset, { ...common, dataDirs: settings.dataDirs, projectRoot });
}

/** Forecast quality in terms of the returns the forecasts imply, against the expanding historical mean. */
function forecastQuality(records: readonly ForecastRecord[], walk: WalkForwardResult, series: PriceSeries) {
  const byLabel = new Map(records.map((r) => [r.label, r]));
  const returns = assetReturns(series);
  const predicted: number[] = [];
  const actual: number[] = [];
  const benchmark: number[] = [];
  // The historical-mean forecast at t is the mean of the returns known at t (rows 1..t).
  let sum = 0;
  const t0 = walk.firstDecision;
  for (let t = 1; t <= t0; t++) sum += returns[t]!;
  for (let k = 0; k < walk.decisionLabels.length; k++) {
    const t = t0 + k;
    if (k > 0) sum += returns[t]!;
    const rec = byLabel.get(walk.decisionLabels[k]!);
    if (!rec || t < 1) continue;
    predicted.push(rec.forecast / rec.close - 1);
    actual.push(returns[t + 1]!);
    benchmark.push(sum / t);
  }
  return forecastMetrics({
    predicted: Float64Array.from(predicted),
    actual: Float64Array.from(actual),
    benchmark: Float64Array.from(benchmark),
  });
}

export async function runJob(
  settings: RunSettings,
  registry: StrategyRegistry,
  projectRoot: string,
  progress: ProgressReporter,
): Promise<RunOutcome> {
  const plugin = registry.get(settings.strategy);
  const params = resolveParams(`strategy "${plugin.id}"`, plugin.params, settings.params);
  const data = loadData(settings, projectRoot);
  const warnings = [...data.warnings];
  const series = restrictToRange(data.series, settings.from, settings.to);
  if (plugin.needs?.frequencies && !plugin.needs.frequencies.includes(series.frequency)) {
    throw new UserError(`strategy "${plugin.id}" supports ${plugin.needs.frequencies.join(', ')} data, not ${series.frequency}`);
  }
  const strategy = plugin.create(params, {
    frequency: series.frequency,
    seed: settings.seed,
    threads: settings.threads,
    backend: settings.backend,
    progress,
    warn: (m) => warnings.push(m),
  });
  const walk = await walkForward(series, strategy, {
    ...(settings.testStart !== undefined ? { testStart: settings.testStart } : {}),
    costBps: settings.costBps,
    cashRate: settings.cashRate,
    strategyId: plugin.id,
  });
  const output: StrategyOutput = walk.output;
  const ppy = walk.periodsPerYear;
  const strategyMetrics = computeMetrics({
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
  const results: RunSummary['results'] = { [plugin.id]: { ...strategyMetrics } };
  if (output.forecasts && output.forecasts.length) results[plugin.id]!.forecast = forecastQuality(output.forecasts, walk, series);
  if (output.fits !== undefined) results[plugin.id]!.fits = output.fits;
  if (plugin.id !== BENCHMARK_ID) results[BENCHMARK_ID] = { ...benchmarkMetrics };
  const periods = walk.labels.length;
  const summary: RunSummary = {
    strategy: plugin.id,
    dataset: settings.data ? data.path : settings.dataset,
    frequency: series.frequency,
    period: {
      start: walk.labels[0]!,
      end: walk.labels[periods - 1]!,
      periods,
      ...(series.frequency === 'monthly' ? { months: periods } : {}),
    },
    results,
    params: { ...params },
    seed: settings.seed,
    ...(typeof output.info?.backend === 'string' ? { backend: output.info.backend } : {}),
    conventions: {
      periodsPerYear: ppy,
      cashRate: settings.cashRate,
      costBps: settings.costBps,
      timing: 'a weight decided at the close of period t is held over period t+1',
      sharpe: 'mean(excess) / sd(excess, n-1) * sqrt(periodsPerYear), excess over the cash return',
    },
    warnings,
  };
  return { summary, data, series, walk };
}
