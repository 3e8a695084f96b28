import { EMA, MACD, RSI } from 'technicalindicators';
import { trailingSma } from '@backtest/metrics';
import { alignTail, type FeatureBuilder, periods, trailingZScore } from './feature-builder';

/**
 * The feature builders that ship with the tool. Every one is a trailing indicator of close
 * (rows <= t), z-scored by its own trailing `window`-row statistics (rows <= t), so its warm-up
 * is the indicator's first defined row plus `window - 1` rows of scaling.
 */

/** A feature that is the trailing `window`-row z-score of its raw column: `build` is that, by construction (FeatureSet.buildLast relies on it). */
function zScored(feature: Omit<FeatureBuilder, 'build' | 'raw'> & Required<Pick<FeatureBuilder, 'raw'>>): FeatureBuilder {
  return { ...feature, build: (closes, w) => trailingZScore(feature.raw(closes, w), w) };
}

/** N-period simple moving average of close (the study's second input). */
export const smaFeature = zScored({
  id: 'sma',
  description: 'N-period simple moving average of close',
  warmup: (w) => 2 * w - 2,
  raw: trailingSma,
  indicator: (closes, w, frequency) => ({ name: `${periods(w, frequency)} SMA`, pane: 'price', values: trailingSma(closes, w) }),
});

function trailingEma(closes: Float64Array, w: number): Float64Array {
  return alignTail(closes.length >= w ? EMA.calculate({ period: w, values: Array.from(closes) }) : [], closes.length);
}

function wilderRsi(closes: Float64Array, w: number): Float64Array {
  return alignTail(closes.length > w ? RSI.calculate({ period: w, values: Array.from(closes) }) : [], closes.length);
}

/** N-period exponential moving average of close, seeded (as usual) by the first N-period SMA. */
export const emaFeature = zScored({
  id: 'ema',
  unboundedMemory: true,
  description: 'N-period exponential moving average of close',
  warmup: (w) => 2 * w - 2,
  raw: trailingEma,
  indicator: (closes, w, frequency) => ({ name: `${periods(w, frequency)} EMA`, pane: 'price', values: trailingEma(closes, w) }),
});

/** Wilder's N-period relative strength index (0..100). */
export const rsiFeature = zScored({
  id: 'rsi',
  unboundedMemory: true,
  description: "Wilder's N-period relative strength index",
  warmup: (w) => 2 * w - 1,
  raw: wilderRsi,
  indicator: (closes, w, frequency) => ({ name: `${periods(w, frequency)} RSI`, pane: 'own', values: wilderRsi(closes, w) }),
});

/** N-period momentum: close[t] / close[t-N] - 1. */
export const momentumFeature = zScored({
  id: 'momentum',
  description: 'N-period momentum, close / close N periods earlier - 1',
  warmup: (w) => 2 * w - 1,
  raw: momentum,
});

function momentum(closes: Float64Array, w: number): Float64Array {
  const raw = new Float64Array(closes.length).fill(NaN);
  for (let t = w; t < closes.length; t++) raw[t] = closes[t]! / closes[t - w]! - 1;
  return raw;
}

const MACD_FAST = 12;
const MACD_SLOW = 26;

/**
 * MACD line (12- minus 26-period EMA of close) as a fraction of close, so that it means the
 * same at any price level. Its periods are the conventional ones, not the window.
 */
export const macdFeature = zScored({
  id: 'macd',
  unboundedMemory: true,
  description: 'MACD line (EMA 12 - EMA 26) as a fraction of close',
  warmup: (w) => MACD_SLOW - 1 + w - 1,
  raw: macdLine,
});

/** The MACD line over close, NaN before it is defined. */
function macdLine(closes: Float64Array): Float64Array {
  const n = closes.length;
  const out =
    n >= MACD_SLOW
      ? MACD.calculate({
          fastPeriod: MACD_FAST,
          slowPeriod: MACD_SLOW,
          signalPeriod: 9,
          values: Array.from(closes),
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        })
      : [];
  const line = alignTail(
    out.map((o) => o.MACD ?? NaN),
    n,
  );
  for (let t = 0; t < n; t++) line[t] = line[t]! / closes[t]!;
  return line;
}

/** Realised volatility: sample deviation of the last N one-period returns. */
export const volatilityFeature = zScored({
  id: 'volatility',
  description: 'sample deviation of the last N one-period returns',
  warmup: (w) => 2 * w - 1,
  raw: volatility,
});

function volatility(closes: Float64Array, w: number): Float64Array {
  const n = closes.length;
  const vol = new Float64Array(n).fill(NaN);
  for (let t = w; t < n; t++) {
    let s = 0;
    for (let j = t - w + 1; j <= t; j++) s += closes[j]! / closes[j - 1]! - 1;
    const m = s / w;
    let ss = 0;
    for (let j = t - w + 1; j <= t; j++) ss += (closes[j]! / closes[j - 1]! - 1 - m) ** 2;
    vol[t] = Math.sqrt(ss / (w - 1));
  }
  return vol;
}

export const builtInFeatures: readonly FeatureBuilder[] = [smaFeature, emaFeature, rsiFeature, momentumFeature, macdFeature, volatilityFeature];
