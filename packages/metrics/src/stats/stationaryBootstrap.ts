/**
 * Is one strategy's Sharpe ratio really higher than another's (e.g. buy-and-hold) over the same
 * months? A paired stationary bootstrap answers without assuming normal or independent returns.
 *
 * Resampling: the stationary bootstrap of Politis & Romano (1994), "The Stationary Bootstrap",
 * JASA 89(428). A resample is built from blocks that start at a uniformly random period and
 * have geometric lengths with mean `blockLength` (each next index is, with probability
 * 1/blockLength, a fresh uniform start and otherwise the following period, wrapping around the
 * end). Both series use the same indices, preserving their correlation and serial dependence.
 * Without a given blockLength we use the Politis-White (2004, corrected 2009) estimate for the
 * paired difference a - b (see blockLength.ts): the dependence that matters for a difference of
 * the two is the difference's own, which is often far stronger than either series' (a timing
 * strategy and buy-and-hold differ only in the months out of the market, and those cluster).
 *
 * Statistic: d = SR(a) - SR(b), Sharpe ratios of the series as given (pass excess returns if a
 * cash rate matters), annualised by sqrt(periodsPerYear) (default 1: per period).
 *
 * Interval: the percentile interval of the bootstrap replicates d*_1..d*_B (quantiles with
 * linear interpolation, R's type 7 / NumPy's default).
 *
 * p-value (two-sided, H0: equal Sharpe ratios): the replicates centred at the estimate,
 * d* - d, approximate the sampling distribution of d - d_true; under H0 d_true = 0, so
 *   p = (1 + #{ |d*_b - d| >= |d| }) / (B + 1),
 * counting the observed sample as one draw (Davison & Hinkley 1997, eq. 4.11) so that p > 0.
 * This is the basic (non-studentised) bootstrap test; Ledoit & Wolf (2008) studentise it
 * for better small-sample size. Replicates whose Sharpe ratio is undefined (a resample with
 * zero variance) are dropped and `samples` reports how many were used.
 */
import { correctedTwoPassVariance } from '../descriptive';
import { sharpeRatio } from '../sharpe';
import { assertFinite, assertLength, assertPositive, type Series } from '../validate';
import { optimalBlockLength } from './blockLength';
import { mulberry32, type Rng } from './random';

export interface SharpeDiffBootstrapOptions {
  /** Number of bootstrap resamples B (e.g. 2000). */
  samples: number;
  /** Expected block length (>= 1); chosen by Politis-White when omitted. */
  blockLength?: number;
  /** Seed of the mulberry32 generator; the same seed gives the same result. */
  seed: number;
  /** Annualisation of the Sharpe ratios (12 for monthly); default 1 = per period. */
  periodsPerYear?: number;
  /** Coverage of the percentile interval; default 0.95. */
  confidence?: number;
}

export interface SharpeDiffBootstrapResult {
  sharpeA: number;
  sharpeB: number;
  /** sharpeA - sharpeB. */
  difference: number;
  /** Percentile interval [lower, upper] of the bootstrap differences. */
  interval: [number, number];
  /** Two-sided p-value of H0: equal Sharpe ratios. */
  pValue: number;
  /** Expected block length used. */
  blockLength: number;
  /** Number of valid bootstrap replicates. */
  samples: number;
}

/** Quantile with linear interpolation between order statistics (type 7) of sorted `s`. */
export function quantileSorted(s: Float64Array, q: number): number {
  const n = s.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return (s[lo] as number) + (h - lo) * ((s[hi] as number) - (s[lo] as number));
}

/**
 * One stationary-bootstrap resample of the indices 0..n-1 (Politis & Romano 1994): the first
 * index is uniform; each later one is, with probability 1/blockLength, a new uniform index, and
 * otherwise the previous index + 1, wrapping from n-1 to 0. Written into `out` if given.
 */
export function stationaryBootstrapIndices(n: number, blockLength: number, rng: Rng, out = new Int32Array(n)): Int32Array {
  const pNew = 1 / blockLength;
  let idx = rng.nextInt(n);
  for (let t = 0; t < n; t++) {
    if (t > 0) idx = rng.next() < pNew ? rng.nextInt(n) : idx + 1 === n ? 0 : idx + 1;
    out[t] = idx;
  }
  return out;
}

/** mean(x) / sampleStd(x) (NaN when the deviation is 0), given x's mean and whether it is constant: sampleVariance's own arithmetic, so the same bits. */
function resampledSharpe(x: Float64Array, m: number, constant: boolean): number {
  if (x.length < 2) return NaN;
  const sd = Math.sqrt(constant ? 0 : correctedTwoPassVariance(x, m));
  return sd > 0 ? m / sd : NaN;
}

/**
 * Paired stationary-bootstrap test of the difference of two Sharpe ratios.
 * @throws RangeError for NaN input, unequal lengths, fewer than 2 periods, samples < 1,
 *   or blockLength < 1.
 */
export function stationaryBootstrapSharpeDiff(a: Series, b: Series, options: SharpeDiffBootstrapOptions): SharpeDiffBootstrapResult {
  assertFinite('a', a);
  assertLength('b', b, a.length, 'a');
  assertFinite('b', b);
  const n = a.length;
  if (n < 2) throw new RangeError(`need at least 2 periods to compare Sharpe ratios, got ${n}`);
  const { samples, seed, confidence = 0.95, periodsPerYear = 1 } = options;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`samples must be an integer >= 1, got ${String(samples)}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${String(confidence)}`);
  assertPositive('periodsPerYear', periodsPerYear);
  const blockLength = options.blockLength ?? optimalBlockLength(Float64Array.from({ length: n }, (_, t) => (a[t] as number) - (b[t] as number)));
  if (!(blockLength >= 1 && Number.isFinite(blockLength))) {
    throw new RangeError(`blockLength must be a finite number >= 1, got ${String(blockLength)}`);
  }
  const scale = Math.sqrt(periodsPerYear);
  const sharpeA = sharpeRatio(a, periodsPerYear);
  const sharpeB = sharpeRatio(b, periodsPerYear);
  const difference = sharpeA - sharpeB;

  const rng = mulberry32(seed);
  const ra = new Float64Array(n);
  const rb = new Float64Array(n);
  const diffs = new Float64Array(samples);
  let valid = 0;
  const indices = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    stationaryBootstrapIndices(n, blockLength, rng, indices);
    // The resample and its sums in one pass, then the deviations in a second: `sharpeOf` of each
    // series, the same operations in the same order (so the same bits), in two passes instead of ten.
    let sumA = 0;
    let sumB = 0;
    let constantA = true;
    let constantB = true;
    const firstA = a[indices[0] as number] as number;
    const firstB = b[indices[0] as number] as number;
    for (let t = 0; t < n; t++) {
      const idx = indices[t] as number;
      const x = a[idx] as number;
      const y = b[idx] as number;
      ra[t] = x;
      rb[t] = y;
      sumA += x;
      sumB += y;
      if (x !== firstA) constantA = false;
      if (y !== firstB) constantB = false;
    }
    const d = (resampledSharpe(ra, sumA / n, constantA) - resampledSharpe(rb, sumB / n, constantB)) * scale;
    if (!Number.isNaN(d)) diffs[valid++] = d;
  }
  const used = diffs.subarray(0, valid).sort();
  const alpha = 1 - confidence;
  let extreme = 0;
  for (let i = 0; i < valid; i++) if (Math.abs((used[i] as number) - difference) >= Math.abs(difference)) extreme++;
  return {
    sharpeA,
    sharpeB,
    difference,
    interval: [quantileSorted(used, alpha / 2), quantileSorted(used, 1 - alpha / 2)],
    pValue: Number.isNaN(difference) || valid === 0 ? NaN : (1 + extreme) / (valid + 1),
    blockLength,
    samples: valid,
  };
}
