import type { DirectionMetrics, ForecastMetrics, Metrics } from '@backtest/metrics';

/** The quality of direction forecasts (`target=direction`): probabilities of a rise against what followed. */
export type DirectionForecastMetrics = { readonly target: 'direction' } & DirectionMetrics;

/** One strategy's results in a run summary: `forecast` is of the implied return, or of the direction. */
export type StrategyResult = Metrics & { forecast?: ForecastMetrics | DirectionForecastMetrics; fits?: number };

/** True when a forecast strategy's quality is of direction forecasts. */
export function isDirectionForecast(f: ForecastMetrics | DirectionForecastMetrics): f is DirectionForecastMetrics {
  return (f as DirectionForecastMetrics).target === 'direction';
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
}
