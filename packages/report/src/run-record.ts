import {
  type FitRecord,
  type ForecastRecord,
  type Indicator,
  isUniverse,
  type PriceSeries,
  type SavedModel,
  type StrategyOutput,
  type TrainingRecord,
  type Universe,
} from '@backtest/core';
import { periodLabel } from '@backtest/core/internal';
import type { RunSummary } from './summary';

/** A numeric series: `Float64Array` from the engine, plain arrays from tests. */
export type Values = ArrayLike<number>;

export type { FitRecord } from '@backtest/core';

/**
 * Everything a run folder holds and the HTML report draws: the `--json` summary, what is needed
 * to reproduce the run (resolved settings, data file and hash, version; the seed is
 * `summary.seed`), and the series behind the charts. `readRunFolder` rebuilds it from the
 * folder's files alone.
 */
export interface RunRecord {
  readonly summary: RunSummary;
  /** The full resolved settings of the run (defaults, config file and flags merged). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The data file the run read, and the SHA-256 of its bytes. */
  readonly data: { readonly path: string; readonly sha256: string };
  /** Version of the `backtest` package that made the run. */
  readonly version: string;
  /** When the run was made (ISO 8601, UTC); the report's only timestamp. */
  readonly createdAt?: string;
  /** Every row of the run's range (warm-up included): period labels and closes. */
  readonly prices: { readonly labels: readonly string[]; readonly close: Values };
  /**
   * What the strategy declared for the report to draw beside the price (`Strategy.indicators`),
   * each with one value per row of `prices` (NaN where undefined); none for buy-and-hold.
   * Stored as columns `<pane>:<name>` of positions.csv.
   */
  readonly indicators?: readonly IndicatorSeries[];
  /** The evaluation periods, aligned: the weight is the one held over each period. */
  readonly periods: {
    readonly labels: readonly string[];
    readonly assetReturns: Values;
    readonly cashReturns: Values;
    readonly weights: Values;
    readonly strategyReturns: Values;
    readonly benchmarkReturns: Values;
  };
  /**
   * A run over a universe of several assets: the assets, and per asset (in that order) its close
   * on every row of `prices`, and its weight and return in every evaluation period. `prices.close`
   * is then the first asset's, `periods.weights` the net exposure (the sum of the weights) and
   * `periods.assetReturns` the equal-weight mean of the assets' returns. Absent for one series.
   */
  readonly universe?: UniverseSeries;
  /** Forecast strategies: one record per forecast, labelled by its decision period. */
  readonly forecasts?: readonly ForecastRecord[];
  /** Forecast strategies: one record per epoch of each model fit. */
  readonly training?: readonly TrainingRecord[];
  /**
   * A run that saved its models (`--save-models`): every fit and the rows it trained on
   * (models/index.json). Only with `savedModels`, so the folder alone rebuilds it.
   */
  readonly models?: readonly FitRecord[];
  /**
   * The fitted models themselves, written under models/fit-000/, models/fit-001/, ... (not read
   * back by `readRunFolder`: `loadModel` of @backtest/models reads each folder).
   */
  readonly savedModels?: readonly SavedModel[];
}

/** A universe's series, per asset (see `RunRecord.universe`). */
export interface UniverseSeries {
  readonly assets: readonly string[];
  /** One per asset: its close on every row of `prices`. */
  readonly closes: readonly Values[];
  /** One per asset: its weight held over each evaluation period. */
  readonly weights: readonly Values[];
  /** One per asset: its return over each evaluation period. */
  readonly returns: readonly Values[];
}

/** A declared indicator as the record holds it: `Indicator`, with values from a run or a folder. */
export interface IndicatorSeries {
  readonly name: string;
  readonly pane: Indicator['pane'];
  readonly values: Values;
}

/** What `runRecordFrom` reads of a run (the CLI's `RunOutcome` has this shape). */
export interface RunParts {
  readonly summary: RunSummary;
  readonly data: { readonly path: string; readonly sha256: string };
  readonly series: PriceSeries | Universe;
  /** The strategy's declared indicators, one value per row of `series`. */
  readonly indicators?: readonly Indicator[];
  readonly walk: {
    readonly labels: readonly string[];
    readonly assetReturns: Values;
    readonly cashReturns: Values;
    readonly weights: Values;
    readonly strategyReturns: Values;
    readonly benchmarkReturns: Values;
    readonly output: Pick<StrategyOutput, 'forecasts' | 'training' | 'models' | 'savedModels'>;
    readonly universe?: { readonly assets: readonly string[]; readonly weights: readonly Values[]; readonly returns: readonly Values[] };
  };
}

/** The record of a finished run: `runRecordFrom(outcome, { config: settings, version })`. */
export function runRecordFrom(run: RunParts, extra: { config: Readonly<Record<string, unknown>>; version: string; createdAt?: Date }): RunRecord {
  const { series, walk } = run;
  const forecasts = walk.output.forecasts;
  const training = walk.output.training;
  const saved = walk.output.savedModels;
  return {
    summary: run.summary,
    config: extra.config,
    data: { path: run.data.path, sha256: run.data.sha256 },
    version: extra.version,
    ...(extra.createdAt ? { createdAt: extra.createdAt.toISOString() } : {}),
    prices: { labels: series.dates.map((d) => periodLabel(d, series.frequency)), close: isUniverse(series) ? series.assets[0]!.series.close : series.close },
    ...(run.indicators?.length ? { indicators: run.indicators.map(({ name, pane, values }) => ({ name, pane, values })) } : {}),
    periods: {
      labels: walk.labels,
      assetReturns: walk.assetReturns,
      cashReturns: walk.cashReturns,
      weights: walk.weights,
      strategyReturns: walk.strategyReturns,
      benchmarkReturns: walk.benchmarkReturns,
    },
    ...(isUniverse(series) && walk.universe
      ? { universe: { assets: walk.universe.assets, closes: series.assets.map((a) => a.series.close), weights: walk.universe.weights, returns: walk.universe.returns } }
      : {}),
    ...(forecasts?.length ? { forecasts } : {}),
    ...(training?.length ? { training } : {}),
    ...(saved?.length ? { ...(walk.output.models ? { models: walk.output.models } : {}), savedModels: saved } : {}),
  };
}
