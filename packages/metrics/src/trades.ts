/**
 * Round trips of a long/flat strategy: each maximal run of consecutive periods with a weight > 0
 * is one trade (a change of a positive weight within it is a rebalance, not a new trade).
 */
import { assertFinite, assertLength, type Series } from './validate';

export interface RoundTrip {
  /** Index of the first period held. */
  entry: number;
  /** Index of the last period held. */
  exit: number;
  /** Still held in the last period: no exit yet (and no exit cost). */
  open: boolean;
  /** exit - entry + 1. */
  periods: number;
  /**
   * prod(1 + r) - 1 of the strategy's returns over the periods held (the entry cost is in the
   * first one's), times (1 - cost x the last weight) for the exit that the next period pays.
   */
  return: number;
}

/**
 * The round trips of a weight series whose weights are all >= 0; undefined when some weight is
 * negative (the strategy goes short: its trades are not round trips of this kind).
 * `cost` is the cost per unit of weight change (costBps / 10000).
 */
export function roundTrips(weights: Series, returns: Series, cost = 0): RoundTrip[] | undefined {
  assertFinite('weights', weights);
  assertFinite('returns', returns);
  assertLength('weights', weights, returns.length);
  for (let i = 0; i < weights.length; i++) if ((weights[i] as number) < 0) return undefined;
  const out: RoundTrip[] = [];
  const n = weights.length;
  let i = 0;
  while (i < n) {
    if (!((weights[i] as number) > 0)) {
      i++;
      continue;
    }
    const entry = i;
    let growth = 1;
    while (i < n && (weights[i] as number) > 0) growth *= 1 + (returns[i++] as number);
    const exit = i - 1;
    const open = i === n;
    if (!open) growth *= 1 - cost * (weights[exit] as number);
    out.push({ entry, exit, open, periods: exit - entry + 1, return: growth - 1 });
  }
  return out;
}
