/**
 * Diebold-Mariano test of equal predictive accuracy (Diebold & Mariano 1995, JBES 13(3)) with
 * the small-sample correction of Harvey, Leybourne & Newbold (1997, IJF 13(2)), as in R's
 * forecast::dm.test:
 *
 *   d_t = L(e1_t) - L(e2_t),   dbar = mean(d),
 *   gamma_k = (1/T) sum_{t=k+1..T} (d_t - dbar)(d_{t-k} - dbar),
 *   V = (gamma_0 + 2 sum_{k=1}^{h-1} gamma_k) / T,     (h-step forecasts are MA(h-1))
 *   DM = dbar / sqrt(V),
 *   DM* = DM * sqrt((T + 1 - 2h + h(h-1)/T) / T),
 *   p = 2 P(t_{T-1} > |DM*|).
 *
 * A positive statistic means model 1 has the larger loss (model 2 forecasts better). When all
 * loss differentials are zero (identical errors) we return statistic 0 and p-value 1: there is
 * no difference at all. When V <= 0 otherwise (a constant non-zero differential, or negative
 * autocovariances with h > 1) the statistic is undefined and both outputs are NaN.
 */
import { assertFinite, assertLength, type Series } from '../validate';
import { studentTTwoSided } from './studentT';

type ForecastLoss = 'squared' | 'absolute' | ((error: number) => number);

export interface DieboldMarianoOptions {
  /** Forecast horizon h >= 1 (1 for one-step-ahead forecasts). Default 1. */
  horizon?: number;
  /** Loss applied to each error: squared (default), absolute, or a custom function. */
  loss?: ForecastLoss;
}

export interface DieboldMarianoResult {
  /** HLN-corrected statistic DM*. */
  statistic: number;
  /** Two-sided p-value from Student's t with T - 1 degrees of freedom. */
  pValue: number;
  /** Mean loss differential L(e1) - L(e2). */
  meanLossDifference: number;
  /** Degrees of freedom T - 1. */
  df: number;
  /** Number of forecasts T. */
  n: number;
}

function lossFunction(loss: ForecastLoss): (e: number) => number {
  if (typeof loss === 'function') return loss;
  if (loss === 'squared') return (e) => e * e;
  if (loss === 'absolute') return Math.abs;
  throw new RangeError(`unknown loss ${String(loss)}; use 'squared', 'absolute' or a function`);
}

/**
 * Compares the forecast errors (actual - forecast) of two models over the same periods.
 * @throws RangeError for NaN, unequal lengths or a horizon that is not an integer >= 1.
 */
export function dieboldMariano(e1: Series, e2: Series, options: DieboldMarianoOptions = {}): DieboldMarianoResult {
  const { horizon = 1, loss = 'squared' } = options;
  assertFinite('e1', e1);
  assertLength('e2', e2, e1.length, 'e1');
  assertFinite('e2', e2);
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`horizon must be an integer >= 1, got ${String(horizon)}`);
  const L = lossFunction(loss);
  const n = e1.length;
  const df = n - 1;
  const d = new Float64Array(n);
  for (let t = 0; t < n; t++) d[t] = L(e1[t] as number) - L(e2[t] as number);
  let sum = 0;
  for (let t = 0; t < n; t++) sum += d[t] as number;
  const dbar = n > 0 ? sum / n : NaN;
  const undefinedResult = { statistic: NaN, pValue: NaN, meanLossDifference: dbar, df, n };
  if (n < 2) return undefinedResult;
  if (d.every((v) => v === 0)) return { statistic: 0, pValue: 1, meanLossDifference: 0, df, n };

  const autocov = (k: number) => {
    let s = 0;
    for (let t = k; t < n; t++) s += ((d[t] as number) - dbar) * ((d[t - k] as number) - dbar);
    return s / n;
  };
  let longRun = autocov(0);
  for (let k = 1; k < horizon && k < n; k++) longRun += 2 * autocov(k);
  const variance = longRun / n;
  if (!(variance > 0)) return undefinedResult;
  const h = horizon;
  const hln = Math.sqrt((n + 1 - 2 * h + (h * (h - 1)) / n) / n);
  const statistic = (dbar / Math.sqrt(variance)) * hln;
  return { statistic, pValue: studentTTwoSided(statistic, df), meanLossDifference: dbar, df, n };
}
