/**
 * Statistics of the weights held: how much of the time the strategy is invested and how often
 * it trades. weights[t] is the weight held over period t; the book starts in cash, so the
 * weight before the first period is 0 and entering the first position is a trade.
 */
import { assertFinite, type Series } from './validate';

/** Mean |w_t|: the average fraction of capital at risk; NaN for an empty series. */
export function exposure(weights: Series): number {
  assertFinite('weights', weights);
  if (weights.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += Math.abs(weights[i] as number);
  return s / weights.length;
}

/**
 * One-way turnover per period: mean |w_t - w_{t-1}| with w_{-1} = 0. A strategy that buys once
 * and holds for N periods has turnover 1/N. NaN for an empty series.
 */
export function turnover(weights: Series): number {
  assertFinite('weights', weights);
  if (weights.length === 0) return NaN;
  let s = 0;
  let prev = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    s += Math.abs(w - prev);
    prev = w;
  }
  return s / weights.length;
}

/** Number of periods whose weight differs from the previous one (w_{-1} = 0); 0 if empty. */
export function tradeCount(weights: Series): number {
  assertFinite('weights', weights);
  let count = 0;
  let prev = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w !== prev) count++;
    prev = w;
  }
  return count;
}
