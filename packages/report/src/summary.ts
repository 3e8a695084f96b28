import { PERIODS_PER_YEAR, type SelectionRecord } from '@backtest/core';
import type { DirectionMetrics, ForecastMetrics, Metrics } from '@backtest/metrics';

/** The quality of direction forecasts (`target=direction`): probabilities of a rise against what followed. */
export type DirectionForecastMetrics = { readonly target: 'direction' } & DirectionMetrics;

/** One seed's run of a stochastic strategy (`--seeds N`): exactly a plain run with `--seed seed`. */
export interface SeedRun {
  readonly seed: number;
  readonly sharpe: number;
  readonly cagr: number;
  readonly totalReturn: number;
  readonly volatility: number;
  readonly sortino: number;
  readonly maxDrawdown: number;
  readonly calmar: number;
  readonly exposure: number;
  readonly trades: number;
}

/** A stochastic strategy over seeds: every seed's figures, their Sharpe distribution, and which seed the headline is. */
export interface SeedsSummary {
  readonly n: number;
  /** The seed whose run the other figures of the result are: the median Sharpe (the lower middle for an even n). */
  readonly headlineSeed: number;
  readonly runs: readonly SeedRun[];
  readonly sharpe: { readonly median: number; readonly p25: number; readonly p75: number; readonly min: number; readonly max: number };
  readonly benchmarkSharpe: number;
  /** Share of the seeds whose Sharpe ratio beats buy-and-hold's. */
  readonly beatBenchmark: number;
  /** `--ensemble`: the strategy forecasting the mean of the n seeds' models. */
  readonly ensemble?: Omit<SeedRun, 'seed'> & { readonly members: number };
}

/** One strategy's results in a run summary: `forecast` is of the implied return, or of the direction. */
export type StrategyResult = Metrics & { forecast?: ForecastMetrics | DirectionForecastMetrics; fits?: number; seeds?: SeedsSummary };

/** True when a forecast strategy's quality is of direction forecasts. */
export function isDirectionForecast(f: ForecastMetrics | DirectionForecastMetrics): f is DirectionForecastMetrics {
  return (f as DirectionForecastMetrics).target === 'direction';
}

/** One asset of a universe's run, in the summary. */
export interface UniverseAssetDoc {
  readonly name: string;
  /** ISO 4217 code, when the dataset registry says. */
  readonly currency?: string;
  /** Where its rows came from. */
  readonly file?: string;
  readonly sha256?: string;
  readonly origin?: string;
  /** Mean weight the strategy held in it over the evaluation periods. */
  readonly meanWeight: number;
  /** Sum over the periods of weight x the asset's return: its share of the sum of the strategy's period returns. */
  readonly contribution: number;
  /** The asset's own compounded return over the evaluation periods. */
  readonly totalReturn: number;
}

/** The benchmark of a universe by default (`UniverseSummaryDoc.benchmark`): every asset at 1/N, rebalanced each period. */
export const EQUAL_WEIGHT = 'equal-weight';

/** The key of the benchmark's results, beside the strategy's: buy-and-hold of the one series, or a universe's benchmark. */
export const BENCHMARK_NAME = 'buy-and-hold';

/** What the reports call the benchmark: buy-and-hold of the one series; of a universe, equal weight or buy-and-hold of the one asset it holds. */
export function benchmarkName(s: Pick<RunSummary, 'universe'>): string {
  const b = s.universe?.benchmark;
  if (b === undefined) return BENCHMARK_NAME;
  return b === EQUAL_WEIGHT ? 'equal weight' : `buy-and-hold of ${b}`;
}

/** The benchmark as a sentence says it: `buy-and-hold`, `equal weight, rebalanced monthly`, `buy-and-hold of gold`. */
export function benchmarkText(s: Pick<RunSummary, 'universe' | 'frequency'>): string {
  return s.universe?.benchmark === EQUAL_WEIGHT ? `equal weight, rebalanced ${s.frequency}` : benchmarkName(s);
}

/** A run over a universe of several assets (`--universe`): absent for one series. */
export interface UniverseSummaryDoc {
  readonly assets: readonly UniverseAssetDoc[];
  /** `equal-weight` (every asset at 1/N, rebalanced each period) or the one asset held as the benchmark. */
  readonly benchmark: string;
  /** Pearson correlation of the assets' period returns over the evaluation periods, in `assets` order. */
  readonly correlation: readonly (readonly number[])[];
}

/** The document `backtest --json` prints and the run folder's `summary.json` holds. */
export interface RunSummary {
  strategy: string;
  dataset: string;
  frequency: string;
  period: { start: string; end: string; periods: number; months?: number };
  results: Record<string, StrategyResult>;
  params: Record<string, unknown>;
  seed: number;
  backend?: string;
  /** How the networks were trained (simd or tfjs), for strategies that train networks. */
  trainer?: string;
  conventions: Record<string, string | number>;
  warnings: string[];
  /** Nested walk-forward selection (`--select`): the candidates, and what each fit chose. */
  selection?: SelectionRecord;
  /** A run over a universe of assets: what each asset was and did. */
  universe?: UniverseSummaryDoc;
  /**
   * The position to hold next: the weight decided at the close of the last row of the run's
   * range (`asOf`), to hold over the period after it, as `backtest signal` gives it; of a
   * universe, the sum of the assets' weights and each asset's. Absent in folders written before.
   */
  signal?: RunSignal;
}

/** The run's last decision (`RunSummary.signal`). */
export interface RunSignal {
  asOf: string;
  weight: number;
  assets?: { name: string; weight: number }[];
}

/** Periods a year of a run: as its conventions recorded it, else its frequency's. */
export function periodsPerYearOf(s: Pick<RunSummary, 'conventions' | 'frequency'>): number {
  return Number(s.conventions.periodsPerYear) || (s.frequency === 'daily' ? PERIODS_PER_YEAR.daily : PERIODS_PER_YEAR.monthly);
}
