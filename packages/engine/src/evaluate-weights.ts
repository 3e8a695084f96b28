import { type PriceSeries, UserError } from '@backtest/core';
import { assetReturns } from '@backtest/core/internal';
import { accountingTerms, periodReturn } from './walk-forward';

export interface WeightEvaluation {
  readonly periodsPerYear: number;
  /** Returns earned over rows first+1 .. n-1, under the same accounting as `walkForward`. */
  readonly strategyReturns: Float64Array;
  /** The cash return of every period (constant). */
  readonly cashPerPeriod: number;
}

/**
 * The accounting of `walkForward` applied to a weight path computed elsewhere: `weights[k]` is
 * decided at row `first + k` and held over row `first + k + 1`. For parameter sweeps of rules
 * whose weights are computed for all rows at once by a causal function (each weight from rows at
 * or before its decision row: the caller's responsibility, tested against the walk-forward for
 * every built-in rule that offers one). `returns` can be shared between calls: pass
 * `assetReturns(series)` to avoid recomputing it.
 */
export function evaluateWeights(
  series: PriceSeries,
  first: number,
  weights: Float64Array,
  options: {
    readonly costBps?: number;
    readonly cashRate?: number;
    readonly returns?: Float64Array;
    /** Where to write the returns (a sweep reuses one buffer instead of allocating per window). */
    readonly into?: Float64Array;
  } = {},
): WeightEvaluation {
  const n = series.close.length;
  if (!Number.isInteger(first) || first < 0 || first > n - 2) throw new UserError(`first decision row ${first} leaves no period to earn (${n} rows)`);
  const periods = n - 1 - first;
  if (weights.length !== periods) throw new RangeError(`expected ${periods} weights (rows ${first}..${n - 2}), got ${weights.length}`);
  const { periodsPerYear, cashPerPeriod, cost } = accountingTerms(series.frequency, options);
  const r = options.returns ?? assetReturns(series);
  const out = options.into && options.into.length >= periods ? options.into.subarray(0, periods) : new Float64Array(periods);
  let previous = 0;
  for (let k = 0; k < periods; k++) {
    const w = weights[k]!;
    if (!(w >= -1 && w <= 1)) throw new RangeError(`weight ${w} at row ${first + k} is not in [-1, 1]`);
    out[k] = periodReturn(w, previous, r[first + k + 1]!, cashPerPeriod, cost);
    previous = w;
  }
  return { periodsPerYear, strategyReturns: out, cashPerPeriod };
}
