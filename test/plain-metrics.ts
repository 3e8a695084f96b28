/**
 * The plain side of the independent recomputations (sma-independent, universe-independent):
 * month-end closes read by hand through `monthEndRows` of ./helpers, and the metric formulas of
 * MISSION.md written out loop by loop. Shares no code with the product (packages/*), so that a
 * test comparing the command's numbers with these can catch a wrong convention in either.
 */
import { monthEndRows } from './helpers';

export interface Plain {
  [k: string]: number;
}

/**
 * A dataset's month-end close by month label (YYYY-MM), in order, the labels restricted to
 * from..to (both inclusive, either optional): what the command serves as `--dataset NAME`.
 */
export function monthEndCloses(dataset: string, range: { from?: string; to?: string } = {}): Map<string, number> {
  const closes = new Map<string, number>();
  for (const { date, close } of monthEndRows(dataset).rows) {
    const month = date.slice(0, 7);
    if ((range.from === undefined || month >= range.from) && (range.to === undefined || month <= range.to)) closes.set(month, close);
  }
  return closes;
}

/**
 * Every metric of one run, from the strategy's period returns `r`, the benchmark's `b` over the
 * same periods and the weights held over each period: one number (a single asset) or one per
 * asset (a universe, whose position statistics are over all its assets). `cash` is the cash
 * return per period, which Sharpe and Sortino measure the excess over (0 unless configured).
 * NaN where a ratio is undefined (a zero denominator), which the command prints as null.
 */
/** Historical 95%: numpy's default quantile of x (linear between the order statistics around (n-1)*0.05), and the mean of the values at or below it. */
export function plainVarEs(x: readonly number[]): { q: number; es: number } {
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * 0.05;
  const lo = Math.floor(h);
  const q = s[lo]! + (h - lo) * (s[Math.ceil(h)]! - s[lo]!);
  const tail = s.filter((v) => v <= q);
  return { q, es: tail.reduce((a, v) => a + v, 0) / tail.length };
}

export function plainMetrics(r: number[], b: number[], w: readonly (number | readonly number[])[], options: { cash?: number } = {}): Plain {
  const n = r.length;
  const cash = options.cash ?? 0;
  const mean = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
  const sd = (x: number[]) => {
    const m = mean(x);
    return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1));
  };
  const ratio = (num: number, den: number) => (den > 0 ? num / den : NaN);
  let g = 1;
  for (const v of r) g *= 1 + v;
  // The equity curve starts at 1 before the first period, so a loss in the first period is a drawdown.
  const equity = [1];
  for (const v of r) equity.push(equity.at(-1)! * (1 + v));
  let mdd = 0;
  let trough = 0;
  let high = equity[0]!;
  for (let i = 1; i <= n; i++) {
    high = Math.max(high, equity[i]!);
    if (equity[i]! / high - 1 < mdd) {
      mdd = equity[i]! / high - 1;
      trough = i;
    }
  }
  // The drawdown's duration runs from the last time before the trough that equity stood at its
  // high (it begins when equity leaves the high, not when the high was first reached) until it
  // first gets back to that high, or to the end if it never does.
  const peakValue = Math.max(...equity.slice(0, trough + 1));
  const peak = equity.slice(0, trough + 1).lastIndexOf(peakValue);
  const recovery = equity.findIndex((v, i) => i > trough && v >= peakValue);
  const ddPeriods = mdd === 0 ? 0 : (recovery < 0 ? n : recovery) - peak;
  const cagr = g ** (12 / n) - 1;
  const excess = r.map((v) => v - cash);
  const downside = Math.sqrt(excess.reduce((a, v) => a + Math.min(v, 0) ** 2, 0) / n);
  const active = r.map((v, i) => v - b[i]!);
  const mb = mean(b);
  const mr = mean(r);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (b[i]! - mb) * (r[i]! - mr);
    sxx += (b[i]! - mb) ** 2;
  }
  const beta = sxy / sxx;
  // The book starts in cash: the weights before the first period are 0, entering is a trade.
  const vectors = w.map((x) => (typeof x === 'number' ? [x] : x));
  let trades = 0;
  let turn = 0;
  let held = 0;
  let prev: readonly number[] = vectors[0]!.map(() => 0);
  for (const x of vectors) {
    if (x.some((v, i) => v !== prev[i])) trades++;
    turn += x.reduce((a, v, i) => a + Math.abs(v - prev[i]!), 0);
    held += x.reduce((a, v) => a + Math.abs(v), 0);
    prev = x;
  }
  const nonZero = r.filter((v) => v !== 0).length;
  const { q: valueAtRisk95, es: expectedShortfall95 } = plainVarEs(r);
  return {
    totalReturn: g - 1,
    cagr,
    volatility: sd(r) * Math.sqrt(12),
    sharpe: ratio(mean(excess), sd(excess)) * Math.sqrt(12),
    sortino: ratio(mean(excess), downside) * Math.sqrt(12),
    maxDrawdown: mdd,
    maxDrawdownPeriods: ddPeriods,
    maxDrawdownMonths: ddPeriods,
    calmar: ratio(cagr, Math.abs(mdd)),
    exposure: held / n,
    turnover: turn / n,
    trades,
    hitRate: r.filter((v) => v > 0).length / n,
    // quantstats' win rate: periods with a zero return (in cash at a zero rate) are left out.
    winRate: r.filter((v) => v > 0).length / nonZero,
    beta,
    alpha: (mr - beta * mb) * 12,
    informationRatio: ratio(mean(active), sd(active)) * Math.sqrt(12),
    valueAtRisk95,
    expectedShortfall95,
  };
}
