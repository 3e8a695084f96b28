/**
 * Forecast quality of a direction-forecasting strategy (`--param target=direction`): the model
 * gives the probability that next month's close is above this month's, and the strategy goes long
 * when it exceeds a threshold. Reported next to the P&L, like forecastMetrics for price targets.
 */
import { assertFinite, assertLength, type Series } from './validate';

export interface DirectionInput {
  /** Forecast probability, in [0, 1], that each period's outcome is 1 (the close rises). */
  probability: Series;
  /** What happened: 1 if the close rose, 0 if not. Nothing else is accepted. */
  outcome: Series;
  /** The strategy goes long when the probability exceeds this. @default 0.5 */
  threshold?: number;
}

export interface DirectionMetrics {
  /** Number of periods compared. */
  n: number;
  /**
   * Share of periods where (p > threshold) equals the outcome. A probability exactly at the
   * threshold counts as "not above", i.e. a forecast of 0, because the strategy goes long only
   * when the probability exceeds the threshold.
   */
  accuracy: number;
  /**
   * Mean of -[y ln p + (1 - y) ln(1 - p)], with p clipped to [1e-15, 1 - 1e-15] so that a
   * confident miss (p = 0 with y = 1) costs ln(1e15) ~ 34.5 rather than Infinity. That is
   * scikit-learn's `log_loss` with its historical default eps = 1e-15; from scikit-learn 1.2 on
   * the default clips at float64 machine epsilon (~2.2e-16) instead, so the two differ only for
   * forecasts of exactly 0 or 1 (or within 1e-15 of them).
   */
  logLoss: number;
  /** Brier score: mean (p - y)^2. */
  brier: number;
  /**
   * ROC AUC: the probability that a random period with outcome 1 got a higher forecast than a
   * random period with outcome 0, ties counting one half. Computed from the Mann-Whitney rank
   * sum with average ranks for ties, which equals scikit-learn's `roc_auc_score`. NaN when only
   * one class is present (there are no pairs to rank); that is not an error.
   */
  auc: number;
  /** Share of periods with outcome 1. */
  baseRate: number;
  /**
   * logLoss of always forecasting `baseRate` (same clipping): the no-skill reference. The base
   * rate is measured on these same periods, so it is a yardstick, not a forecast anyone could
   * have made in advance; a model that does not beat it has shown no skill at ranking or
   * calibrating these periods.
   */
  baseLogLoss: number;
  /** brier of always forecasting `baseRate`, i.e. baseRate * (1 - baseRate): the same kind of reference. */
  baseBrier: number;
}

/** log loss clipping bound (see DirectionMetrics.logLoss). */
const EPS = 1e-15;

/**
 * Accuracy, proper scores and ranking quality of probability forecasts of a 0/1 outcome. Every
 * statistic is NaN (and n = 0) for empty input, as in forecastMetrics.
 * @throws RangeError on series of different lengths, NaN/Infinity, an outcome other than 0 or 1,
 *   a probability outside [0, 1], or a threshold outside [0, 1].
 */
export function directionMetrics(input: DirectionInput): DirectionMetrics {
  const { probability, outcome } = input;
  const threshold = input.threshold ?? 0.5;
  if (!(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be a number in [0, 1], got ${String(threshold)}`);
  }
  const n = outcome.length;
  assertFinite('outcome', outcome);
  for (let i = 0; i < n; i++) {
    const y = outcome[i] as number;
    if (y !== 0 && y !== 1) throw new RangeError(`outcome[${i}] is ${String(y)}; outcomes must be 0 or 1`);
  }
  assertLength('probability', probability, n, 'outcome');
  assertFinite('probability', probability);
  for (let i = 0; i < n; i++) {
    const p = probability[i] as number;
    if (p < 0 || p > 1) throw new RangeError(`probability[${i}] is ${String(p)}; probabilities must be in [0, 1]`);
  }
  if (n === 0) {
    return { n: 0, accuracy: NaN, logLoss: NaN, brier: NaN, auc: NaN, baseRate: NaN, baseLogLoss: NaN, baseBrier: NaN };
  }

  let hits = 0;
  let logLossSum = 0;
  let brierSum = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const p = probability[i] as number;
    const y = outcome[i] as number;
    if ((p > threshold ? 1 : 0) === y) hits++;
    logLossSum += pointLogLoss(p, y);
    brierSum += (p - y) * (p - y);
    ones += y;
  }
  const baseRate = ones / n;
  return {
    n,
    accuracy: hits / n,
    logLoss: logLossSum / n,
    brier: brierSum / n,
    auc: rankAuc(probability, outcome, ones),
    baseRate,
    // Mean over periods of the loss of the constant forecast r: r of them cost -ln r, the rest -ln(1 - r).
    baseLogLoss: baseRate * pointLogLoss(baseRate, 1) + (1 - baseRate) * pointLogLoss(baseRate, 0),
    baseBrier: baseRate * (1 - baseRate),
  };
}

function pointLogLoss(p: number, y: number): number {
  const q = Math.min(Math.max(p, EPS), 1 - EPS);
  return y === 1 ? -Math.log(q) : -Math.log1p(-q);
}

/**
 * AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0), R1 the rank sum of the outcome-1 periods, tied
 * forecasts sharing the average of their ranks. O(n log n) for the sort, against the O(n^2)
 * count of pairs it equals.
 */
function rankAuc(probability: Series, outcome: Series, ones: number): number {
  const n = outcome.length;
  const zeros = n - ones;
  if (ones === 0 || zeros === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (probability[a] as number) - (probability[b] as number));
  let rankSumOnes = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    const value = probability[order[start] as number] as number;
    while (end < n && (probability[order[end] as number] as number) === value) end++;
    // Positions start..end-1 hold ranks start+1..end; each gets their mean.
    const averageRank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) rankSumOnes += averageRank * (outcome[order[j] as number] as number);
    start = end;
  }
  return (rankSumOnes - (ones * (ones + 1)) / 2) / (ones * zeros);
}
