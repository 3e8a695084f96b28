/**
 * Clark & West (2007), "Approximately normal tests for equal predictive accuracy in nested
 * models", Journal of Econometrics 138(1). When a model nests the historical-mean benchmark,
 * the Diebold-Mariano test is undersized: under the null the larger model's extra parameters
 * only add noise to its forecasts. Clark-West adjusts the loss differential for that noise,
 *
 *   f_t = (a_t - p1_t)^2 - [(a_t - p2_t)^2 - (p1_t - p2_t)^2],
 *
 * with p1 the restricted (benchmark) forecast and p2 the unrestricted one, and tests
 * mean(f) > 0 by the t-statistic of a regression of f on a constant, compared with the standard
 * normal one-sided. For h = 1 the standard error is sd(f, n-1)/sqrt(n); for h > 1 it is the
 * Newey-West (1987) estimate with Bartlett weights 1 - k/h for lags k = 1..h-1.
 */
import { assertFinite, assertLength, type Series } from '../validate';
import { normalSf } from './normal';

export interface ClarkWestInput {
  actual: Series;
  /** Forecasts of the restricted (nested) model, e.g. the historical mean. */
  restricted: Series;
  /** Forecasts of the larger model that nests it. */
  unrestricted: Series;
}

export interface ClarkWestResult {
  /** t-statistic of mean(f). */
  statistic: number;
  /** One-sided p-value 1 - Phi(statistic) for H1: the unrestricted model forecasts better. */
  pValue: number;
  /** mean(f): the MSE difference adjusted for the noise of the larger model. */
  meanAdjustedDifference: number;
  n: number;
}

/** Clark-West test; NaN outputs for fewer than 2 periods or a constant f. */
export function clarkWest(input: ClarkWestInput, options: { horizon?: number } = {}): ClarkWestResult {
  const { actual, restricted, unrestricted } = input;
  const horizon = options.horizon ?? 1;
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`horizon must be an integer >= 1, got ${String(horizon)}`);
  const n = actual.length;
  assertFinite('actual', actual);
  assertLength('restricted', restricted, n, 'actual');
  assertFinite('restricted', restricted);
  assertLength('unrestricted', unrestricted, n, 'actual');
  assertFinite('unrestricted', unrestricted);
  const f = new Float64Array(n);
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const a = actual[t] as number;
    const p1 = restricted[t] as number;
    const p2 = unrestricted[t] as number;
    f[t] = (a - p1) ** 2 - ((a - p2) ** 2 - (p1 - p2) ** 2);
    sum += f[t] as number;
  }
  const fbar = n > 0 ? sum / n : NaN;
  if (n < 2) return { statistic: NaN, pValue: NaN, meanAdjustedDifference: fbar, n };
  let variance: number;
  const gamma = (k: number) => {
    let s = 0;
    for (let t = k; t < n; t++) s += ((f[t] as number) - fbar) * ((f[t - k] as number) - fbar);
    return s;
  };
  if (horizon === 1) {
    variance = gamma(0) / (n - 1) / n;
  } else {
    let lr = gamma(0) / n;
    for (let k = 1; k < horizon && k < n; k++) lr += 2 * (1 - k / horizon) * (gamma(k) / n);
    variance = lr / n;
  }
  if (!(variance > 0)) return { statistic: NaN, pValue: NaN, meanAdjustedDifference: fbar, n };
  const statistic = fbar / Math.sqrt(variance);
  return { statistic, pValue: normalSf(statistic), meanAdjustedDifference: fbar, n };
}
