/** Series up to this many points are drawn whole (a 55-year monthly run has 665). */
const DRAW_ALL = 1500;
/** Longer ones are cut into this many buckets of equal length (see pointsToDraw). */
export const BUCKETS = 500;

/** The periods in each bucket of a series of `length` points that is drawn in buckets. */
export function bucketSize(length: number): number {
  return Math.ceil(length / BUCKETS);
}

/** Whether a series of `length` points is drawn in buckets rather than whole. */
export function isDecimated(length: number): boolean {
  return length > DRAW_ALL;
}

/**
 * Which points of long series to draw: a chart about 900 pixels wide cannot show 14,000 daily
 * points, and carrying them all makes a daily report several megabytes and slow to open. The
 * points are cut into buckets, and each bucket keeps its first and last point and every
 * series' lowest and highest, so peaks, troughs and the deepest drawdown stay where they are.
 * Returns indices in order.
 */
export function pointsToDraw(length: number, series: readonly ArrayLike<number>[]): number[] {
  if (!isDecimated(length)) return Array.from({ length }, (_, i) => i);
  const size = bucketSize(length);
  const keep: number[] = [];
  for (let a = 0; a < length; a += size) {
    const b = Math.min(length, a + size);
    const picked = new Set<number>([a, b - 1]);
    for (const s of series) {
      let lo = -1;
      let hi = -1;
      for (let i = a; i < b; i++) {
        const v = s[i]!;
        if (!Number.isFinite(v)) continue;
        if (lo < 0 || v < s[lo]!) lo = i;
        if (hi < 0 || v > s[hi]!) hi = i;
      }
      if (lo >= 0) picked.add(lo).add(hi);
    }
    for (const i of [...picked].sort((x, y) => x - y)) keep.push(i);
  }
  return keep;
}
