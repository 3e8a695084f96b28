import { type FitRecord, type ForecastRecord, isUniverse, type ProgressReporter, type StrategyOutput } from '@backtest/core';
import type { StrategyRegistry } from './registry';
import { datasetName, prepareRun, runConfiguration } from './run-job';
import type { RunSettings } from './settings';

/** The document `backtest signal --json` prints: the position to hold from the end of the data on, and why. */
export interface SignalDocument {
  readonly strategy: string;
  readonly frequency: 'monthly' | 'daily';
  /** The last complete period of the data: the decision is made at its close. */
  readonly asOf: string;
  /** Target weight to hold over the period after `asOf` (1 long, 0 cash, -1 short); of a universe, the sum of the assets' weights. */
  readonly weight: number;
  /** A universe's decision: every asset's weight, what its forecast was (a forecast strategy), and its last row. */
  readonly assets?: readonly SignalAsset[];
  /** Forecast strategies: the forecast of the next close, and the return it implies. */
  /** The forecast behind the weight: a next close (target price) or the probability of a rise (target direction). */
  readonly forecast?: { readonly close: number; readonly price: number; readonly impliedReturn: number } | { readonly close: number; readonly probabilityUp: number };
  /** Forecast strategies: the fit that made the forecast, and its training rows. */
  readonly model?: FitRecord & { readonly kind?: string; readonly fits: number };
  readonly data: {
    readonly dataset: string;
    readonly file: string;
    readonly sha256: string;
    readonly origin: string;
    /** One series' last row (a universe's are in `assets`). */
    readonly lastRow?: { readonly date: string; readonly close: number };
  };
  readonly params: Record<string, unknown>;
  readonly seed: number;
  readonly warnings: readonly string[];
}

/** One asset of a universe's signal. */
interface SignalAsset {
  readonly name: string;
  readonly weight: number;
  readonly forecast?: SignalDocument['forecast'];
  readonly lastRow: { readonly date: string; readonly close: number };
}

/** The forecast behind a decision, as the signal states it. */
function forecastOf(record: ForecastRecord): NonNullable<SignalDocument['forecast']> {
  return record.probability !== undefined
    ? { close: record.close, probabilityUp: record.probability }
    : { close: record.close, price: record.forecast, impliedReturn: record.forecast / record.close - 1 };
}

/** The fit behind a forecast, with the model's kind and the number of fits. */
function modelOf(output: StrategyOutput, record: ForecastRecord | undefined): SignalDocument['model'] {
  const fit = record?.fit !== undefined ? output.models?.find((m) => m.fit === record.fit) : undefined;
  const kind = output.model?.kind;
  return fit ? { ...fit, ...(kind ? { kind } : {}), fits: output.fits ?? output.models?.length ?? 0 } : undefined;
}

/**
 * The walk-forward's decision at the last row of the data: the same run as `backtest` (same
 * model schedule, same fits, same seed), with one more decision at the end. A backtest over one
 * more period holds exactly this weight over it.
 */
export async function signalJob(settings: RunSettings, registry: StrategyRegistry, projectRoot: string, progress: ProgressReporter): Promise<SignalDocument> {
  const plugin = registry.get(settings.strategy);
  const { data, series, cash, warnings } = prepareRun(settings, projectRoot, plugin.needs?.columns ?? []);
  const run = await runConfiguration(plugin, settings.params, series, { settings, progress, warnings, cash, decideLast: true });
  const next = run.walk.next;
  if (!next) throw new Error(`internal: the walk of ${plugin.id} made no decision at the last row`);
  const output = run.walk.output;
  const base = { strategy: plugin.id, frequency: series.frequency, asOf: next.label, weight: next.weight };
  const source = { dataset: datasetName(settings, data), file: data.path, sha256: data.sha256, origin: data.origin ?? (data.sources ? 'universe' : 'file') };
  if (isUniverse(series)) {
    const assets = series.assets.map((a, i): SignalAsset => {
      const record = output.forecasts?.find((f) => f.label === next.label && f.asset === a.name);
      const last = a.series.close.length - 1;
      if (plugin.kind === 'forecast' && !record)
        warnings.push(`${plugin.id}: no forecast of ${a.name} at ${next.label} (its features are undefined there); its weight is ${next.weights![i]}`);
      return {
        name: a.name,
        weight: next.weights![i]!,
        ...(record ? { forecast: forecastOf(record) } : {}),
        lastRow: { date: a.series.dates[last]!, close: a.series.close[last]! },
      };
    });
    return { ...base, assets, data: source, params: run.params, seed: settings.seed, warnings };
  }
  const last = series.close.length - 1;
  const record = output.forecasts?.find((f) => f.label === next.label);
  const model = modelOf(output, record);
  if (plugin.kind === 'forecast' && !record) {
    // A forecast strategy that stayed in cash for want of features at the last row says so.
    warnings.push(`${plugin.id}: no forecast at ${next.label} (its features are undefined there); the weight is ${next.weight}`);
  }
  return {
    ...base,
    ...(record ? { forecast: forecastOf(record) } : {}),
    ...(model ? { model } : {}),
    data: { ...source, lastRow: { date: series.dates[last]!, close: series.close[last]! } },
    params: run.params,
    seed: settings.seed,
    warnings,
  };
}
