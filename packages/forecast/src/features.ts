import { SMA } from 'technicalindicators';
import { trailingMeanSd } from './rolling';

/**
 * Features of every row of a close series, built only from rows at or before each row (so a
 * view's features never depend on later data), plus the statistics that scale the target:
 * a row's target (next close) is `(close[t+1] - center[t]) / scale[t]`, and a forecast turns
 * back into a price as `prediction * scale[t] + center[t]`.
 */
export interface FeatureRows {
  readonly names: readonly string[];
  /** Row-major, `rows x names.length`; NaN in rows before `firstComplete`. */
  readonly data: Float64Array;
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** First row whose features and scaling are all defined. */
  readonly firstComplete: number;
}

export interface FeatureSet {
  readonly names: readonly string[];
  /** Rows before the first complete feature row (the first complete row's index). */
  readonly warmup: number;
  build(closes: Float64Array): FeatureRows;
}

/**
 * Close and its N-period SMA. Close and the target are z-scored by the trailing N-period mean
 * and sample deviation of close at t. The SMA is z-scored by its own trailing N-period mean and
 * deviation: scaled by close's statistics it would be identically zero (the N-period SMA *is*
 * the trailing mean of close), which leaves a model nothing to learn from it. Both scalings use
 * rows <= t only; the target uses time-t statistics only (no leak, unlike the study).
 */
export function closeAndSmaFeatures(window: number): FeatureSet {
  return {
    names: ['close', 'sma'],
    warmup: 2 * window - 2,
    build(closes) {
      const n = closes.length;
      const { mean, sd } = trailingMeanSd(closes, window);
      const sma = new Float64Array(n).fill(NaN);
      if (n >= window) {
        const values = SMA.calculate({ period: window, values: Array.from(closes) });
        sma.set(values, window - 1);
      }
      const smaStats = trailingMeanSd(sma, window);
      const data = new Float64Array(n * 2).fill(NaN);
      for (let t = 0; t < n; t++) {
        data[2 * t] = (closes[t]! - mean[t]!) / sd[t]!;
        data[2 * t + 1] = (sma[t]! - smaStats.mean[t]!) / smaStats.sd[t]!;
      }
      return { names: this.names, data, center: mean, scale: sd, firstComplete: 2 * window - 2 };
    },
  };
}
