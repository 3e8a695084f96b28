import type { ForecastMetrics, Metrics } from '@backtest/metrics';

/** One strategy's results in a run summary. */
export type StrategyResult = Metrics & { forecast?: ForecastMetrics; fits?: number };

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
  /** How the networks were trained (simd, fused or tfjs), for strategies that train networks. */
  trainer?: string;
  conventions: Record<string, string | number>;
  warnings: string[];
}
