/**
 * A histogram of several series on the same bins, so their bars compare: bins of one round width
 * (1, 2 or 5 times a power of ten) from a multiple of it, at most `maxBins` (>= 3) of them covering every
 * value. Bin k is [start + k w, start + (k + 1) w); a value is counted in exactly one bin.
 */
import { assertFinite, type Series } from './validate';

export interface Histogram {
  /** Start of each bin; a bin ends where the next starts (the last at its start + width). */
  starts: number[];
  width: number;
  /** One row per series, in order: the count of its values in each bin. */
  counts: number[][];
}

/** The smallest round width (1, 2 or 5 x 10^k) of at least `raw`. */
function roundWidth(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const w = Number((m * 10 ** e).toPrecision(1));
    if (w >= raw) return w;
  }
  return 10 ** (e + 1);
}

/** Same-bin histograms of `series`; no bins when every series is empty. */
export function histogram(series: readonly Series[], maxBins = 50): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (const [i, s] of series.entries()) {
    assertFinite(`series ${i}`, s);
    for (let k = 0; k < s.length; k++) {
      const v = s[k] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return { starts: [], width: NaN, counts: series.map(() => []) };
  const span = max - min;
  const width = roundWidth(span > 0 ? span / Math.max(1, maxBins - 2) : Math.max(Math.abs(min), 1e-4) / 10);
  const first = Math.floor(min / width);
  const bins = Math.floor(max / width) - first + 1;
  const starts = Array.from({ length: bins }, (_, k) => Number(((first + k) * width).toPrecision(12)));
  const counts = series.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (let k = 0; k < s.length; k++) {
      const v = s[k] as number;
      // floor(v / w) can land one bin off at an edge; move it to the bin whose range holds v.
      let b = Math.floor(v / width) - first;
      while (b > 0 && v < starts[b]!) b--;
      while (b < bins - 1 && v >= starts[b + 1]!) b++;
      c[Math.min(Math.max(b, 0), bins - 1)]!++;
    }
    return c;
  });
  return { starts, width, counts };
}
