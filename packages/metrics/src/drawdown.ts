/**
 * Equity curve and drawdowns.
 *
 * Convention (MISSION.md): the equity curve starts at 1 *before* the first period, so a loss in
 * the very first period is a drawdown from 1. empyrical's `max_drawdown` does the same (it
 * prepends its starting value 100); a curve without the prepended start would miss such a loss.
 * Both series below therefore have n + 1 points for n returns; index 0 is the start.
 */
import { assertFinite, type Series } from './validate';

/** Equity E_0 = 1, E_t = E_{t-1} (1 + r_t): length n + 1. */
export function equityCurve(returns: Series): Float64Array {
  assertFinite('returns', returns);
  const n = returns.length;
  const e = new Float64Array(n + 1);
  e[0] = 1;
  for (let i = 0; i < n; i++) e[i + 1] = (e[i] as number) * (1 + (returns[i] as number));
  return e;
}

/**
 * Drawdown D_t = E_t / max_{s<=t} E_s - 1 (a fraction <= 0) at every point of the equity curve,
 * start included (D_0 = 0): length n + 1, aligned with {@link equityCurve}.
 */
export function drawdownSeries(returns: Series): Float64Array {
  const e = equityCurve(returns);
  const d = new Float64Array(e.length);
  let peak = -Infinity;
  for (let i = 0; i < e.length; i++) {
    const v = e[i] as number;
    if (v > peak) peak = v;
    d[i] = v / peak - 1;
  }
  return d;
}

/** The deepest drawdown and where it sits; indices point into the equity curve (0..n). */
export interface MaxDrawdown {
  /** min_t D_t: a negative fraction (-0.25 = 25% below the peak), 0 if equity never fell. */
  maxDrawdown: number;
  /**
   * Duration in periods: from the peak that precedes the deepest trough until the equity curve
   * first gets back to that peak's value (recoveryIndex - peakIndex), or until the end of the
   * series (n - peakIndex) if it never recovers. 0 when there is no drawdown.
   */
  duration: number;
  /** Last index at which equity stood at the running maximum before the trough. */
  peakIndex: number;
  /** Index of the deepest point (the first one, if the same depth occurs twice). */
  troughIndex: number;
  /** First index after the trough with equity >= the peak value; -1 if never recovered. */
  recoveryIndex: number;
}

/**
 * Maximum drawdown of the compounded returns and its duration: the deepest of the drawdown
 * episodes (the first of them, if two are equally deep). Empty input gives 0 and 0: a curve
 * that only holds the start value has no drawdown.
 */
export function maxDrawdown(returns: Series): MaxDrawdown {
  const { episodes, lastPeak } = scanDrawdowns(returns);
  let deepest: DrawdownEpisode | undefined;
  for (const ep of episodes) if (ep.depth < (deepest?.depth ?? 0)) deepest = ep;
  if (!deepest) return { maxDrawdown: 0, duration: 0, peakIndex: lastPeak, troughIndex: lastPeak, recoveryIndex: lastPeak };
  return { maxDrawdown: deepest.depth, duration: deepest.periods, peakIndex: deepest.peakIndex, troughIndex: deepest.troughIndex, recoveryIndex: deepest.recoveryIndex };
}

/**
 * One drawdown episode: equity leaves a peak (the last index at the running maximum) and stays
 * below it until it first gets back to the peak's value, or until the end. Indices point into the
 * equity curve (0..n, 0 the start), as {@link MaxDrawdown}'s do.
 */
export interface DrawdownEpisode {
  /** Last index at the running maximum before equity fell below it (0: the start value 1). */
  peakIndex: number;
  /** Index of the deepest point of the episode (the first one, if the same depth occurs twice). */
  troughIndex: number;
  /** First index after the trough with equity >= the peak's value; -1 if never recovered. */
  recoveryIndex: number;
  /** E_trough / E_peak - 1: a negative fraction. */
  depth: number;
  /**
   * recoveryIndex - peakIndex, or n - peakIndex if it never recovers: the periods from the first
   * one below the peak through the one that recovers (or the last), as `maxDrawdown`'s duration.
   */
  periods: number;
}

/**
 * Every drawdown episode of the equity curve started at 1, in time order. The peak moves to the
 * latest time the high was touched (`>=`), and a depth is E_i / E_peak - 1; `maxDrawdown` is the
 * deepest of them.
 */
export function drawdownEpisodes(returns: Series): DrawdownEpisode[] {
  return scanDrawdowns(returns).episodes;
}

/** One pass over the equity curve: its drawdown episodes, and the index of its last peak. */
function scanDrawdowns(returns: Series): { episodes: DrawdownEpisode[]; lastPeak: number } {
  const e = equityCurve(returns);
  const n = returns.length;
  const episodes: DrawdownEpisode[] = [];
  let peak = e[0] as number;
  let peakIdx = 0;
  let open: DrawdownEpisode | undefined;
  for (let i = 1; i <= n; i++) {
    const v = e[i] as number;
    // `>=` moves the peak to the latest time the high was touched: a drawdown begins when
    // equity leaves its high, not when that high was first reached.
    if (v >= peak) {
      if (open) {
        open.recoveryIndex = i;
        open.periods = i - open.peakIndex;
        open = undefined;
      }
      peak = v;
      peakIdx = i;
      continue;
    }
    const dd = v / peak - 1;
    if (!open) {
      open = { peakIndex: peakIdx, troughIndex: i, recoveryIndex: -1, depth: dd, periods: n - peakIdx };
      episodes.push(open);
    } else if (dd < open.depth) {
      open.depth = dd;
      open.troughIndex = i;
    }
  }
  return { episodes, lastPeak: peakIdx };
}

/**
 * The `count` deepest drawdown episodes, deepest first (equal depths: the earlier first). The
 * first is `maxDrawdown`'s: its depth is maxDrawdown and its periods the duration. Fewer when the
 * curve has fewer episodes; none when equity never fell.
 */
export function worstDrawdowns(returns: Series, count = 5): DrawdownEpisode[] {
  // A stable sort: equally deep episodes stay in time order.
  return drawdownEpisodes(returns)
    .sort((a, b) => a.depth - b.depth)
    .slice(0, Math.max(0, count));
}
