/**
 * Forecast quality of a return-forecasting strategy, reported next to its P&L.
 */
import { assertFinite, assertLength, type Series } from './validate';

export interface ForecastInput {
  /** Forecast of each period's return. */
  predicted: Series;
  /** Realised return of the same periods. */
  actual: Series;
  /** Historical-mean forecast of the same periods (the benchmark of the out-of-sample R^2). */
  benchmark: Series;
}

export interface ForecastMetrics {
  /** sqrt(mean((a - p)^2)). */
  rmse: number;
  /** mean(|a - p|). */
  mae: number;
  /**
   * Share of periods with sign(p) == sign(a), where sign is -1, 0 or +1. Zero is its own sign:
   * a zero forecast is right only when the realised return is exactly zero, and a non-zero
   * forecast is wrong when it is. (A strategy that forecasts 0 is saying "no view", which
   * should not earn a hit.)
   */
  directionalAccuracy: number;
  /**
   * Campbell & Thompson (2008), "Predicting Excess Stock Returns Out of Sample", RFS 21(4):
   * R^2_OS = 1 - sum((a - p)^2) / sum((a - b)^2) with b the historical-mean forecast.
   * Positive means the model beat the historical mean. NaN if the benchmark is never wrong.
   */
  r2OutOfSample: number;
  /** Number of periods compared. */
  n: number;
}

/**
 * Error statistics of a forecast; every statistic is NaN (and n = 0) for empty input.
 * @throws RangeError on NaN/Infinity or series of different lengths.
 */
export function forecastMetrics(input: ForecastInput): ForecastMetrics {
  const { predicted, actual, benchmark } = input;
  const n = actual.length;
  assertFinite('actual', actual);
  assertLength('predicted', predicted, n, 'actual');
  assertFinite('predicted', predicted);
  assertLength('benchmark', benchmark, n, 'actual');
  assertFinite('benchmark', benchmark);
  if (n === 0) return { rmse: NaN, mae: NaN, directionalAccuracy: NaN, r2OutOfSample: NaN, n: 0 };

  let sse = 0;
  let sae = 0;
  let sseBenchmark = 0;
  let sameSign = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    const e = a - p;
    const eb = a - (benchmark[i] as number);
    sse += e * e;
    sae += Math.abs(e);
    sseBenchmark += eb * eb;
    if (Math.sign(a) === Math.sign(p)) sameSign++;
  }
  return {
    rmse: Math.sqrt(sse / n),
    mae: sae / n,
    directionalAccuracy: sameSign / n,
    r2OutOfSample: sseBenchmark > 0 ? 1 - sse / sseBenchmark : NaN,
    n,
  };
}
