/**
 * Does the best of K strategies really beat a benchmark, or is it the luck of the best of many
 * tries (data snooping)? Three bootstrap tests of the family of hypotheses
 *   H0_k: E[d_k,t] <= 0,   k = 0..K-1,
 * on the per-period differences d_k,t = r_k,t - b_t (strategy k minus the benchmark at period t;
 * {@link benchmarkDifferences} builds them from returns). The statistic of strategy k is its
 * mean difference dbar_k = (1/n) sum_t d_k,t.
 *
 * Resampling (shared by every test and every strategy): B stationary-bootstrap resamples of the
 * period indices (Politis & Romano 1994, "The Stationary Bootstrap", JASA 89(428); see
 * stationaryBootstrap.ts), drawn in order b = 0..B-1 by `stationaryBootstrapIndices` from one
 * mulberry32(seed) generator. Resample b applies the same indices to all K series, preserving
 * their cross-correlation and serial dependence. Write
 *   Z*_b,k = sqrt(n) (dbar*_b,k - dbar_k)
 * for the centred bootstrap deviations. Without a given `blockLength` we use the mean over the
 * K series of the Politis-White (2004/2009) estimate `optimalBlockLength(d_k)` (at least 1,
 * which that estimate always is): one block length must serve all series as the indices are
 * shared, and the average is a simple compromise.
 *
 * p-value convention (all tests, as in stationaryBootstrap.ts): the observed sample counts as
 * one draw, p = (1 + #{stat*_b >= stat}) / (B + 1) (Davison & Hinkley 1997, eq. 4.11), so
 * p > 0 and a test that rejects when p <= alpha has size <= alpha under exchangeability. (White
 * 2000 uses #{V*_b > V} / B; the two differ by O(1/B).)
 *
 * 1. White's Reality Check (White 2000, "A Reality Check for Data Snooping", Econometrica
 *    68(5)):  V = max_k sqrt(n) dbar_k,  V*_b = max_k Z*_b,k. Recentring every strategy at its
 *    own mean is the least favourable configuration (all means 0), which makes the test
 *    conservative when poor strategies are included.
 *
 * 2. Hansen's Superior Predictive Ability test, consistent version SPA_c (Hansen 2005, "A Test
 *    for Superior Predictive Ability", JBES 23(4)). Studentised by the bootstrap standard
 *    deviation  omega_k = sqrt((1/B) sum_b Z*_b,k^2)  (Hansen's bootstrap variance estimator,
 *    centred at the sample mean, divisor B):
 *      T = max(max_k sqrt(n) dbar_k / omega_k, 0),
 *      mu_c_k = dbar_k * 1{ sqrt(n) dbar_k / omega_k >= -sqrt(2 log log n) },
 *      T*_b = max(max_k sqrt(n) (dbar*_b,k - mu_c_k) / omega_k, 0)
 *           = max(max_k (Z*_b,k + sqrt(n) (dbar_k - mu_c_k)) / omega_k, 0).
 *    Strategies that are clearly worse than the benchmark keep their negative mean in the null
 *    distribution and so stop inflating it. log log n < 0 for n = 2 (n < e), so the
 *    threshold is sqrt(2 max(log log n, 0)). A strategy with omega_k = 0 (its
 *    difference is constant, so every resample reproduces it) has no t-statistic and is left
 *    out of the SPA maxima; if all are left out, T = 0 and p = 1. RC and StepM keep it.
 *
 * 3. Romano & Wolf's StepM (Romano & Wolf 2005, "Stepwise Multiple Testing as Formalized Data
 *    Snooping", Econometrica 73(4)), the basic (non-studentised) version, on the same
 *    statistics as the Reality Check. Start with the active set A = all k. Each step computes
 *    c = the (1 - alpha) quantile (linear interpolation, type 7) of max_{k in A} Z*_b,k over
 *    b = 1..B, and rejects every k in A with sqrt(n) dbar_k > c; rejected strategies leave A.
 *    Stop when a step rejects nothing or A is empty. It controls the family-wise error rate at
 *    alpha asymptotically and rejects the strategies that beat the benchmark, not just "some".
 *    `steps` is the number of critical values computed (a step that rejects nothing counts;
 *    so no rejection at all gives steps = 1, and rejections in one round followed by none in
 *    the next give 2).
 */
import { assertFinite } from '../validate';
import { optimalBlockLength } from './blockLength';
import { mulberry32 } from './random';
import { quantileSorted, stationaryBootstrapIndices } from './stationaryBootstrap';

export interface MultipleTestingInput {
  /** K series of per-period differences d_k,t (strategy k minus the benchmark), each of length n. */
  readonly differences: readonly ArrayLike<number>[];
  /** Bootstrap resamples B (e.g. 1000). */
  readonly samples: number;
  /** mulberry32 seed; the same seed gives the same result. */
  readonly seed: number;
  /** Expected block length (>= 1); default: mean of optimalBlockLength over the K series. */
  readonly blockLength?: number;
  /** StepM family-wise level, default 0.05. */
  readonly alpha?: number;
}

export interface MultipleTestingResult {
  /** White (2000): statistic V = max_k sqrt(n) dbar_k. */
  readonly realityCheck: { readonly pValue: number; readonly statistic: number };
  /** Hansen (2005) SPA_c: statistic T = max(max_k sqrt(n) dbar_k / omega_k, 0). */
  readonly spa: { readonly pValue: number; readonly statistic: number };
  /** Romano & Wolf (2005): indices (ascending) of strategies with mean difference significantly > 0. */
  readonly stepM: { readonly rejected: readonly number[]; readonly steps: number };
  readonly blockLength: number;
  readonly samples: number;
}

/** d_k,t = strategies[k][t] - benchmark[t], validated (finite, equal lengths). */
export function benchmarkDifferences(strategies: readonly ArrayLike<number>[], benchmark: ArrayLike<number>): Float64Array[] {
  assertFinite('benchmark', benchmark);
  const n = benchmark.length;
  return strategies.map((r, k) => {
    if (r.length !== n) throw new RangeError(`strategies[${k}] has ${r.length} elements but benchmark has ${n}; they must cover the same periods`);
    assertFinite(`strategies[${k}]`, r);
    const d = new Float64Array(n);
    for (let t = 0; t < n; t++) d[t] = (r[t] as number) - (benchmark[t] as number);
    return d;
  });
}

/**
 * Each of the K series' sum over the resampled periods `idx`, in period order, into `sums`;
 * `data` is series-major (series k at data[k*n .. k*n + n)). Four series at a time, so that four
 * sums are under way at once, each its own in period order. A function of its own, called once
 * a resample, so that it is compiled early in a single run.
 */
function resampledSums(data: Float64Array, K: number, idx: Int32Array, sums: Float64Array): void {
  const n = idx.length;
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const o0 = k * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t++) {
      const i = idx[t] as number;
      s0 += data[o0 + i] as number;
      s1 += data[o1 + i] as number;
      s2 += data[o2 + i] as number;
      s3 += data[o3 + i] as number;
    }
    sums[k] = s0;
    sums[k + 1] = s1;
    sums[k + 2] = s2;
    sums[k + 3] = s3;
  }
  for (; k < K; k++) {
    const o = k * n;
    let s = 0;
    for (let t = 0; t < n; t++) s += data[o + (idx[t] as number)] as number;
    sums[k] = s;
  }
}

/**
 * Reality Check, SPA_c and StepM on one shared set of stationary-bootstrap resamples.
 * @throws RangeError for K = 0, unequal lengths, n < 2, non-finite values (naming series and
 *   index), samples not an integer >= 1, blockLength < 1, or alpha outside (0, 1).
 */
export function multipleTesting(input: MultipleTestingInput): MultipleTestingResult {
  const { differences, samples, seed, alpha = 0.05 } = input;
  const K = differences.length;
  if (K === 0) throw new RangeError('differences is empty; need at least one strategy (K >= 1)');
  const n = (differences[0] as ArrayLike<number>).length;
  for (let k = 1; k < K; k++) {
    const len = (differences[k] as ArrayLike<number>).length;
    if (len !== n) throw new RangeError(`differences[${k}] has ${len} elements but differences[0] has ${n}; all series must cover the same periods`);
  }
  if (n < 2) throw new RangeError(`need at least 2 periods, got ${n} (length of differences[0])`);
  for (let k = 0; k < K; k++) assertFinite(`differences[${k}]`, differences[k] as ArrayLike<number>);
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`samples must be an integer >= 1, got ${String(samples)}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${String(alpha)}`);
  let blockLength = input.blockLength;
  if (blockLength === undefined) {
    let s = 0;
    for (let k = 0; k < K; k++) s += optimalBlockLength(differences[k] as ArrayLike<number>);
    blockLength = Math.max(1, s / K);
  }
  if (!(Number.isFinite(blockLength) && blockLength >= 1)) {
    throw new RangeError(`blockLength must be a finite number >= 1, got ${String(blockLength)}`);
  }

  // Flat copy: series k at data[k*n .. k*n + n).
  const data = new Float64Array(K * n);
  const means = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const x = differences[k] as ArrayLike<number>;
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = x[t] as number;
      data[k * n + t] = v;
      s += v;
    }
    means[k] = s / n;
  }
  const rootN = Math.sqrt(n);
  const B = samples;

  // Z*_b,k = sqrt(n) (dbar*_b,k - dbar_k), stored at z[b*K + k].
  const z = new Float64Array(B * K);
  const rng = mulberry32(seed);
  const idx = new Int32Array(n);
  const sums = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    stationaryBootstrapIndices(n, blockLength, rng, idx);
    resampledSums(data, K, idx, sums);
    for (let k = 0; k < K; k++) z[b * K + k] = rootN * ((sums[k] as number) / n - (means[k] as number));
  }

  // Reality Check.
  let V = -Infinity;
  for (let k = 0; k < K; k++) V = Math.max(V, rootN * (means[k] as number));
  let rcCount = 0;
  for (let b = 0; b < B; b++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, z[b * K + k] as number);
    if (m >= V) rcCount++;
  }

  // SPA_c.
  const omega = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let ss = 0;
    for (let b = 0; b < B; b++) {
      const v = z[b * K + k] as number;
      ss += v * v;
    }
    omega[k] = Math.sqrt(ss / B);
  }
  const threshold = Math.sqrt(2 * Math.max(Math.log(Math.log(n)), 0));
  const shift = new Float64Array(K); // sqrt(n) (dbar_k - mu_c_k)
  let T = 0;
  for (let k = 0; k < K; k++) {
    const w = omega[k] as number;
    if (!(w > 0)) continue;
    const tk = (rootN * (means[k] as number)) / w;
    T = Math.max(T, tk);
    shift[k] = tk >= -threshold ? 0 : rootN * (means[k] as number);
  }
  let spaCount = 0;
  for (let b = 0; b < B; b++) {
    let m = 0;
    for (let k = 0; k < K; k++) {
      const w = omega[k] as number;
      if (!(w > 0)) continue;
      m = Math.max(m, ((z[b * K + k] as number) + (shift[k] as number)) / w);
    }
    if (m >= T) spaCount++;
  }

  // StepM (basic).
  const active: boolean[] = new Array<boolean>(K).fill(true);
  const rejected: number[] = [];
  const maxima = new Float64Array(B);
  let steps = 0;
  while (rejected.length < K) {
    steps++;
    for (let b = 0; b < B; b++) {
      let m = -Infinity;
      for (let k = 0; k < K; k++) if (active[k]) m = Math.max(m, z[b * K + k] as number);
      maxima[b] = m;
    }
    maxima.sort();
    const c = quantileSorted(maxima, 1 - alpha);
    let newly = 0;
    for (let k = 0; k < K; k++) {
      if (active[k] && rootN * (means[k] as number) > c) {
        active[k] = false;
        rejected.push(k);
        newly++;
      }
    }
    if (newly === 0) break;
  }
  rejected.sort((a, b) => a - b);

  return {
    realityCheck: { pValue: (1 + rcCount) / (B + 1), statistic: V },
    spa: { pValue: (1 + spaCount) / (B + 1), statistic: T },
    stepM: { rejected, steps },
    blockLength,
    samples: B,
  };
}
