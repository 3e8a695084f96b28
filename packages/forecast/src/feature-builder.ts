import type { Frequency, Indicator } from '@backtest/core';
import { trailingMeanSd } from '@backtest/metrics';

/** The inversify service identifier that collects every feature builder (a multi-binding). */
export const FeatureBuilder = Symbol.for('backtest.FeatureBuilder');

/**
 * One input column of a forecast model, computed from a close series. The `forecast` strategy
 * composes builders by id (`--param features=sma,rsi`), and a plugin package can bind its own
 * into the same multi-binding (`featureModule(builder)`).
 *
 * Contract: row t of `build` depends on closes[0..t] only (no look-ahead), and is scaled with
 * statistics of rows <= t only (see `trailingZScore`). Rows before `warmup(window)` are NaN.
 */
export interface FeatureBuilder {
  /** Name used in `--param features=...`: lower-case letters, digits and dashes. */
  readonly id: string;
  readonly description: string;
  /**
   * True when row t depends on every earlier row, not only on a bounded window (recursive
   * smoothing: EMA, Wilder's RSI, MACD). Such a feature is then built from the whole history at
   * every forecast, as it was for training.
   */
  readonly unboundedMemory?: boolean;
  /** Index of the first row whose scaled value is defined, for a given scaling window. */
  warmup(window: number): number;
  /** The scaled feature of every row; `window` is the strategy's SMA and scaling length. */
  build(closes: Float64Array, window: number): Float64Array;
  /**
   * The unscaled column when `build` is its trailing z-score, `trailingZScore(raw(closes, w), w)`
   * (every built-in feature): a forecast then scales its last row alone (FeatureSet.buildLast).
   */
  raw?(closes: Float64Array, window: number): Float64Array;
  /**
   * The unscaled indicator behind the feature, for the report to draw (a strategy using the
   * feature declares it: `Strategy.indicators`), when it has a meaning a reader can see: an SMA
   * on the price pane, an RSI on its own. Row t from closes[0..t] only, like `build`.
   */
  indicator?(closes: Float64Array, window: number, frequency: Frequency): Indicator;
}

/** `10-month`, `200-day`: an indicator's length in the data's periods, for its legend name. */
export function periods(window: number, frequency: Frequency): string {
  return `${window}-${frequency === 'monthly' ? 'month' : 'day'}`;
}

/**
 * Z-score every row of `raw` by the trailing `window`-row mean and sample deviation of `raw`
 * itself (rows t-window+1..t). A feature scaled by its own trailing statistics keeps its
 * variation: scaled by close's statistics an SMA would be identically zero.
 */
export function trailingZScore(raw: Float64Array, window: number): Float64Array {
  const { mean, sd } = trailingMeanSd(raw, window);
  const out = new Float64Array(raw.length);
  for (let t = 0; t < raw.length; t++) out[t] = (raw[t]! - mean[t]!) / sd[t]!;
  return out;
}

/** `trailingZScore(raw, window)` at the last row alone: the same number. */
export function lastZScore(raw: Float64Array, window: number): number {
  const t = raw.length - 1;
  const { mean, sd } = trailingMeanSd(raw, window, t);
  return (raw[t]! - mean[t]!) / sd[t]!;
}

/**
 * Place an indicator's output (as `technicalindicators` returns it: one value per row from the
 * first row it is defined at, to the last row) into a full-length array, NaN before.
 */
export function alignTail(values: readonly number[], length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  if (values.length > 0) out.set(values.slice(-length), length - Math.min(values.length, length));
  return out;
}
