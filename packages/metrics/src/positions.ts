/**
 * Statistics of the weights held: how much of the time the strategy is invested and how often
 * it trades. weights[t] is the weight held over period t; the book starts in cash, so the
 * weight before the first period is 0 and entering the first position is a trade.
 *
 * A universe's book is one series per asset (`readonly Series[]`): exposure is then the mean of
 * sum_i |w_i,t|, turnover the mean of sum_i |w_i,t - w_i,t-1|, and a trade a period in which any
 * asset's weight changes. Of one asset, these are the single series' statistics, to the bit.
 */
import { assertFinite, type Series } from './validate';

/** Mean |w_t| (of a universe: mean sum_i |w_i,t|): the average fraction of capital at risk; NaN for an empty series. */
export function exposure(weights: Series | readonly Series[]): number {
  if (isBook(weights)) return perPeriod(weights, (w) => Math.abs(w)) / weights[0]!.length;
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
export function turnover(weights: Series | readonly Series[]): number {
  if (isBook(weights)) return perPeriod(weights, (w, prev) => Math.abs(w - prev)) / weights[0]!.length;
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

/** Number of periods whose weight differs from the previous one (w_{-1} = 0); of a universe, any asset's; 0 if empty. */
export function tradeCount(weights: Series | readonly Series[]): number {
  if (isBook(weights)) {
    let count = 0;
    for (let t = 0; t < (weights[0]?.length ?? 0); t++) if (weights.some((w) => w[t] !== (t === 0 ? 0 : w[t - 1]))) count++;
    return count;
  }
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

/** Whether `weights` is a universe's book (one series per asset) rather than one series. */
function isBook(weights: Series | readonly Series[]): weights is readonly Series[] {
  return weights.length > 0 && typeof weights[0] !== 'number';
}

/**
 * The sum over periods t of sum_i f(w_i,t, w_i,t-1), each asset's series checked; NaN for no
 * periods. Assets are added in order within a period, then periods in order, as the one-series
 * loops add (so one asset gives their bits).
 */
function perPeriod(book: readonly Series[], f: (w: number, prev: number) => number): number {
  const n = book[0]!.length;
  book.forEach((w, i) => {
    assertFinite(`weights of asset ${i}`, w);
    if (w.length !== n) throw new RangeError(`weights of asset ${i} have ${w.length} periods, asset 0's ${n}`);
  });
  if (n === 0) return NaN;
  let s = 0;
  for (let t = 0; t < n; t++) {
    let g = f(book[0]![t]!, t === 0 ? 0 : book[0]![t - 1]!);
    for (let i = 1; i < book.length; i++) g += f(book[i]![t]!, t === 0 ? 0 : book[i]![t - 1]!);
    s += g;
  }
  return s;
}
