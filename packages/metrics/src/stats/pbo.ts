/**
 * Probability of backtest overfitting (PBO) by combinatorially symmetric cross-validation
 * (CSCV), Bailey, Borwein, López de Prado & Zhu (2015), "The Probability of Backtest
 * Overfitting", Journal of Computational Finance 20(4).
 *
 * Input: N configurations (strategy variants tried in a search), each with per-period returns
 * over the same T periods. Algorithm:
 *
 * 1. Split the T rows into S contiguous blocks of equal size L = floor(T / S). When S does not
 *    divide T, the first T mod S rows (the oldest) are dropped, so the blocks cover the most
 *    recent S * L periods.
 * 2. For every combination J of S/2 of the S blocks (the training, in-sample set), in
 *    lexicographic order of the block indices, with the complement J̄ as the test
 *    (out-of-sample) set; there are C(S, S/2) such splits (12870 for S = 16):
 *    a. compute each configuration's metric on the rows of J, concatenated in time order, and
 *       on the rows of J̄;
 *    b. n* = the in-sample argmax (ties: the lowest index);
 *    c. the out-of-sample rank of n* among the N out-of-sample metrics, in 1..N, ties given the
 *       average rank; relative rank w = rank / (N + 1), in (0, 1);
 *    d. the logit lambda = ln(w / (1 - w)); lambda <= 0 means the in-sample winner ranks at or
 *       below the median out of sample.
 * 3. PBO = the share of splits with lambda <= 0: the probability that the configuration that
 *    looks best in sample underperforms the median configuration out of sample. Pure noise
 *    gives about 1/2; a configuration that truly dominates gives about 0.
 * 4. Performance degradation: the OLS line of the out-of-sample metric of n* on its in-sample
 *    metric over the splits (slope < 0 is the overfitting signature: the better it looked in
 *    sample, the worse out of sample), and probabilityOfLoss = the share of splits where the
 *    out-of-sample metric of n* is < 0.
 *
 * NaN metrics (e.g. a Sharpe ratio with zero variance on a block set) rank below every number,
 * both for the in-sample argmax and the out-of-sample rank (NaNs tie with each other). The
 * degradation uses only the splits where both metrics of n* are finite (slope and intercept
 * NaN with fewer than 2 such splits or no spread in the in-sample metric; probabilityOfLoss NaN
 * with none).
 *
 * Speed. With the default metric (per-period Sharpe ratio mean / sd, sd with divisor n - 1, NaN
 * when sd is 0 or n < 2) nothing is concatenated: each configuration's per-block mean and
 * centred sum of squares M2 are precomputed once, and a block set's mean and variance are
 * combined from them (Chan, Golub & LeVeque's parallel formula; with equal block sizes L,
 * mean = average of the block means, M2 = sum M2_b + L sum (mean_b - mean)^2), O(S) per
 * configuration per split. This is algebraically identical to computing the Sharpe ratio on
 * the concatenated rows, so it is exact up to rounding (and, being centred, does not lose
 * precision the way raw sums of squares do when the mean is large against the sd). A custom
 * `metric` is called on the concatenated rows of every configuration and split (2 N C(S, S/2)
 * calls).
 */

export interface PboInput {
  /** N configurations' per-period returns (excess over cash, or raw), each of length T (the same periods). */
  readonly returns: readonly ArrayLike<number>[];
  /** S, the number of blocks the T periods are split into (even, >= 2); default 16. */
  readonly blocks?: number;
  /** The performance measure of a block set: default the (per-period) Sharpe ratio mean/sd (n-1). */
  readonly metric?: (r: Float64Array) => number;
}

export interface PboResult {
  /** Share of the C(S, S/2) splits whose in-sample best configuration ranks at or below the median out of sample (logit <= 0). */
  readonly value: number;
  readonly blocks: number;
  readonly splits: number;
  /** Each split's logit of the in-sample winner's out-of-sample relative rank, lambda = ln(w / (1 - w)). */
  readonly logits: Float64Array;
  /** Performance degradation: OLS of out-of-sample on in-sample performance of the in-sample winners over the splits: slope, intercept, and the share of splits with out-of-sample performance < 0. */
  readonly degradation: { readonly slope: number; readonly intercept: number; readonly probabilityOfLoss: number };
}

const { sqrt, log } = Math;

/** All combinations of k of 0..n-1, in lexicographic order. */
function combinations(n: number, k: number): Int32Array[] {
  const out: Int32Array[] = [];
  const c = new Int32Array(k);
  for (let i = 0; i < k; i++) c[i] = i;
  for (;;) {
    out.push(c.slice());
    let i = k - 1;
    while (i >= 0 && c[i]! === n - k + i) i--;
    if (i < 0) return out;
    c[i]!++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1;
  }
}

/** a > b with NaN below every number. */
function greater(a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a > b;
}

/** Index of the largest value (NaN lowest; ties: lowest index). */
function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (greater(values[i]!, values[best]!)) best = i;
  return best;
}

/** Rank of values[j] in 1..N, ties averaged, NaN below every number and tied with other NaNs. */
function averageRank(values: Float64Array, j: number): number {
  const x = values[j]!;
  const xNaN = Number.isNaN(x);
  let below = 0;
  let equal = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === j) continue;
    const v = values[i]!;
    if (Number.isNaN(v)) {
      if (xNaN) equal++;
      else below++;
    } else if (!xNaN) {
      if (v < x) below++;
      else if (v === x) equal++;
    }
  }
  return 1 + below + equal / 2;
}

function validate(input: PboInput): { n: number; t: number; s: number } {
  const { returns } = input;
  const s = input.blocks ?? 16;
  if (!Array.isArray(returns) || returns.length < 2) {
    throw new RangeError(`returns must hold at least 2 configurations, got ${Array.isArray(returns) ? returns.length : String(returns)}`);
  }
  if (!(Number.isInteger(s) && s >= 2 && s % 2 === 0)) throw new RangeError(`blocks must be an even integer >= 2, got ${String(s)}`);
  const t = returns[0]!.length;
  for (let k = 0; k < returns.length; k++) {
    const r = returns[k]!;
    if (r.length !== t) throw new RangeError(`returns[${k}] has ${r.length} periods but returns[0] has ${t}; all configurations must cover the same periods`);
    for (let i = 0; i < t; i++) {
      const v = r[i] as number;
      if (!Number.isFinite(v)) throw new RangeError(`returns[${k}][${i}] is ${String(v)}; pbo needs finite numbers (no NaN or Infinity)`);
    }
  }
  if (t < s) throw new RangeError(`returns have ${t} periods, fewer than blocks = ${s}; each block needs at least one period`);
  if (input.metric !== undefined && typeof input.metric !== 'function') throw new RangeError('metric must be a function');
  return { n: returns.length, t, s };
}

/**
 * Probability of backtest overfitting by CSCV (Bailey et al. 2015); see the module comment for
 * the algorithm, the row dropping, the NaN conventions and the exactness of the fast path.
 */
export function pbo(input: PboInput): PboResult {
  const { n, t, s } = validate(input);
  const { returns, metric } = input;
  const len = Math.floor(t / s);
  const offset = t - s * len; // the first t mod s rows are dropped
  const half = s / 2;
  const sets = combinations(s, half);
  const splits = sets.length;

  const isMetric = new Float64Array(n);
  const oosMetric = new Float64Array(n);
  const logits = new Float64Array(splits);
  const winnerIs = new Float64Array(splits);
  const winnerOos = new Float64Array(splits);

  // Default metric: per-block means and centred sums of squares, config-major (k * s + b).
  let blockMean: Float64Array | undefined;
  let blockM2: Float64Array | undefined;
  if (metric === undefined) {
    blockMean = new Float64Array(n * s);
    blockM2 = new Float64Array(n * s);
    for (let k = 0; k < n; k++) {
      const r = returns[k]!;
      for (let b = 0; b < s; b++) {
        const start = offset + b * len;
        let sum = 0;
        for (let i = start; i < start + len; i++) sum += r[i] as number;
        const m = sum / len;
        let m2 = 0;
        for (let i = start; i < start + len; i++) {
          const d = (r[i] as number) - m;
          m2 += d * d;
        }
        blockMean[k * s + b] = m;
        blockM2[k * s + b] = m2;
      }
    }
  }
  const setRows = half * len;
  const buffer = new Float64Array(setRows);

  /** Sharpe ratio of configuration k over the given blocks, combined from per-block moments. */
  const sharpeOfBlocks = (k: number, blocksOfSet: Int32Array): number => {
    const base = k * s;
    let sumMeans = 0;
    for (let j = 0; j < half; j++) sumMeans += blockMean![base + blocksOfSet[j]!]!;
    const m = sumMeans / half;
    let m2 = 0;
    let between = 0;
    for (let j = 0; j < half; j++) {
      const b = base + blocksOfSet[j]!;
      m2 += blockM2![b]!;
      const d = blockMean![b]! - m;
      between += d * d;
    }
    if (setRows < 2) return NaN;
    const sd = sqrt((m2 + len * between) / (setRows - 1));
    return sd > 0 ? m / sd : NaN;
  };

  /** Custom metric of configuration k on the concatenated rows of the given blocks (in time order). */
  const customOfBlocks = (k: number, blocksOfSet: Int32Array): number => {
    const r = returns[k]!;
    let p = 0;
    for (let j = 0; j < half; j++) {
      const start = offset + blocksOfSet[j]! * len;
      for (let i = start; i < start + len; i++) buffer[p++] = r[i] as number;
    }
    // A fresh copy so that a metric that keeps or mutates its argument cannot disturb the next call.
    return metric!(buffer.slice());
  };
  const evaluate = metric === undefined ? sharpeOfBlocks : customOfBlocks;

  // Every set of half the blocks is one split's training set and another's test set: each
  // configuration's metric of each set is computed once, on the same blocks in the same
  // (ascending) order as either split would, and read twice. The test set of split c is set
  // splits - 1 - c: sets in lexicographic order are ordered by their first block where they
  // differ, which complementing gives to the other set, so complementing reverses the order.
  const metricOf = new Float64Array(splits * n);
  for (let c = 0; c < splits; c++) for (let k = 0; k < n; k++) metricOf[c * n + k] = evaluate(k, sets[c]!);

  let overfit = 0;
  for (let c = 0; c < splits; c++) {
    const complement = splits - 1 - c;
    for (let k = 0; k < n; k++) {
      isMetric[k] = metricOf[c * n + k]!;
      oosMetric[k] = metricOf[complement * n + k]!;
    }
    const best = argmax(isMetric);
    const w = averageRank(oosMetric, best) / (n + 1);
    const lambda = log(w / (1 - w));
    logits[c] = lambda;
    if (lambda <= 0) overfit++;
    winnerIs[c] = isMetric[best]!;
    winnerOos[c] = oosMetric[best]!;
  }

  return { value: overfit / splits, blocks: s, splits, logits, degradation: degradation(winnerIs, winnerOos) };
}

/** OLS of y on x over the pairs where both are finite, and the share of those with y < 0. */
function degradation(x: Float64Array, y: Float64Array): PboResult['degradation'] {
  let count = 0;
  let sx = 0;
  let sy = 0;
  let losses = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(Number.isFinite(x[i]!) && Number.isFinite(y[i]!))) continue;
    count++;
    sx += x[i]!;
    sy += y[i]!;
    if (y[i]! < 0) losses++;
  }
  if (count === 0) return { slope: NaN, intercept: NaN, probabilityOfLoss: NaN };
  const mx = sx / count;
  const my = sy / count;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(Number.isFinite(x[i]!) && Number.isFinite(y[i]!))) continue;
    const dx = x[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  const slope = count >= 2 && sxx > 0 ? sxy / sxx : NaN;
  const intercept = Number.isNaN(slope) ? NaN : my - slope * mx;
  return { slope, intercept, probabilityOfLoss: losses / count };
}
