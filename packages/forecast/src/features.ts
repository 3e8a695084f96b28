import { builtInFeatures, smaFeature } from './builtin-features';
import { type FeatureBuilder, lastZScore } from './feature-builder';
import { trailingMeanSd } from '@backtest/metrics';

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
  /**
   * Rows a forecast at t builds its features from (default: 4 x warmup + 4, which covers every
   * row a feature of a bounded window reads; the SMA's running sum may differ in the last bits
   * from the one over the full history). Infinity for features with recursive smoothing (EMA, RSI,
   * MACD), so that a forecast sees the same feature values the model was trained on.
   */
  readonly historyRows?: number;
  /**
   * Names the build: two sets of one key build the same rows from the same closes (so that a
   * walk's samples can be shared between strategies: StrategyContext.shared). Undefined: they are
   * not shared.
   */
  readonly key?: string;
  /**
   * True when the tool's own code builds every column (the built-in features), so that row t is
   * known to come from rows <= t only: a walk then builds once, over its last view's rows, and
   * takes each view's rows from that build (`prefixFeatures`). A plugin's feature is built from
   * each view's own rows, so that even one that tried to read a later row could not.
   */
  readonly causal?: boolean;
  build(closes: Float64Array): FeatureRows;
  /**
   * The last row of `build(closes)` alone (its features, center and scale), the same numbers,
   * for a forecast that needs no other: present when every feature says how it is scaled
   * (`FeatureBuilder.raw`, every built-in one).
   */
  buildLast?(closes: Float64Array): { readonly data: Float64Array; readonly center: number; readonly scale: number };
}

/**
 * Close and its N-period SMA. Close and the target are z-scored by the trailing N-period mean
 * and sample deviation of close at t. The SMA is z-scored by its own trailing N-period mean and
 * deviation: scaled by close's statistics it would be identically zero (the N-period SMA *is*
 * the trailing mean of close), which leaves a model nothing to learn from it. Both scalings use
 * rows <= t only; the target uses time-t statistics only (no leak, unlike the study).
 */
export function closeAndSmaFeatures(window: number): FeatureSet {
  return composeFeatures([smaFeature], window);
}

/** A number for each feature builder object, in the order first seen: two builders of one id (from two containers) get two. */
const builderKeys = new WeakMap<FeatureBuilder, number>();
let builderCount = 0;
function builderKey(b: FeatureBuilder): number {
  let k = builderKeys.get(b);
  if (k === undefined) {
    k = builderCount++;
    builderKeys.set(b, k);
  }
  return k;
}

/**
 * Close plus the given features. Close, the target and the forecast's way back to a price use
 * close's trailing `window`-row mean and sample deviation at t; each feature scales itself
 * with its own statistics of rows <= t (see `FeatureBuilder`). The first complete row is the
 * latest warm-up of them all.
 */
export function composeFeatures(builders: readonly FeatureBuilder[], window: number): FeatureSet {
  const names = ['close', ...builders.map((b) => b.id)];
  const warmup = Math.max(window - 1, ...builders.map((b) => b.warmup(window)));
  // Recursive smoothing remembers every earlier row: build from all of them at a forecast too.
  const unbounded = builders.some((b) => b.unboundedMemory === true);
  return {
    names,
    warmup,
    key: `${builders.map(builderKey).join(',')}|${window}`,
    ...(builders.every((b) => builtInFeatures.includes(b)) ? { causal: true } : {}),
    ...(unbounded ? { historyRows: Infinity } : {}),
    build(closes) {
      const n = closes.length;
      const cols = names.length;
      const { mean, sd } = trailingMeanSd(closes, window);
      const columns = builders.map((b) => b.build(closes, window));
      const data = new Float64Array(n * cols).fill(NaN);
      for (let t = 0; t < n; t++) {
        data[cols * t] = (closes[t]! - mean[t]!) / sd[t]!;
        for (let c = 1; c < cols; c++) data[cols * t + c] = columns[c - 1]![t]!;
      }
      return { names, data, center: mean, scale: sd, firstComplete: warmup };
    },
    ...(builders.every((b) => b.raw)
      ? {
          // build's last row, each column scaled at that row only: its features are the trailing
          // z-scores of their raw columns (FeatureBuilder.raw), and close's the one above.
          buildLast(closes: Float64Array) {
            const t = closes.length - 1;
            const { mean, sd } = trailingMeanSd(closes, window, t);
            const data = Float64Array.of((closes[t]! - mean[t]!) / sd[t]!, ...builders.map((b) => lastZScore(b.raw!(closes, window), window)));
            return { data, center: mean[t]!, scale: sd[t]! };
          },
        }
      : {}),
  };
}

/** True when `prefix` is the first `prefix.length` values of `closes`, bit for bit (Object.is: NaN is NaN, -0 is not 0). */
function isPrefixOf(prefix: Float64Array, closes: Float64Array): boolean {
  if (prefix.length > closes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!Object.is(prefix[i], closes[i])) return false;
  return true;
}

/** The same values, bit for bit (`isPrefixOf` of equal lengths). */
export function sameValues(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && isPrefixOf(a, b);
}

/**
 * The features of every prefix of one close series, built once. Row t of a causal set's build
 * comes from rows <= t only, so the features of a prefix are the first rows of the whole
 * series' features, the same bits: a walk's refits, each building from its own view's closes,
 * then cost one build instead of one each. A close series that is no prefix of `closes`, and
 * every series of a set not known to be causal (a plugin's feature), is built on its own.
 * The whole series is built on first use.
 */
export function prefixFeatures(set: FeatureSet, closes: Float64Array): (prefix: Float64Array) => FeatureRows {
  if (set.causal !== true) return (prefix) => set.build(prefix);
  let all: FeatureRows | undefined;
  return (prefix) => {
    if (!isPrefixOf(prefix, closes)) return set.build(prefix);
    all ??= set.build(closes);
    const n = prefix.length;
    const cols = all.names.length;
    return { ...all, data: all.data.subarray(0, n * cols), center: all.center.subarray(0, n), scale: all.scale.subarray(0, n) };
  };
}
