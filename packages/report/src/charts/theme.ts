import type { Config } from './vega-types';

/** Colours of the two series every run compares; the strategy is the one the eye should follow. */
export const STRATEGY_COLOR = '#1f5fbf';
export const BENCHMARK_COLOR = '#e08a1e';
/** Further series (study charts: validation, reference lines...), after the two above. */
export const EXTRA_COLORS = ['#2e9e5b', '#b8336a', '#7b5ea7', '#5c6b73'];

/** Colours of a universe's assets, in the universe's order (repeating past nine): none is grey, the colour of cash. */
export const ASSET_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
export const CASH_COLOR = '#d5d8dc';

/** One look for every chart: quiet grid, no frame, readable type. */
export const CHART_CONFIG: Config = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#333',
    labelColor: '#444',
    gridColor: '#ececec',
    domainColor: '#999',
    tickColor: '#999',
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', orient: 'top', direction: 'horizontal' },
  title: { fontSize: 14, fontWeight: 600, anchor: 'start', color: '#222', subtitleColor: '#555', subtitleFontSize: 12 },
  line: { strokeWidth: 1.5 },
};

/** Charts fill their container's width; the height is fixed so a page of charts reads evenly. */
export const CHART_HEIGHT = 260;

/**
 * Six significant digits: plenty for a chart, and a third of the bytes of a full double.
 * Scaling by an exact power of ten and rounding gives the double nearest the 6-digit decimal
 * (so it prints short), several times faster than `toPrecision`, which matters on the
 * run's critical path (thousands of values per report).
 */
export function chartNumber(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0) return 0;
  const k = 5 - Math.floor(Math.log10(Math.abs(v)));
  if (k >= 0 && k <= 22) {
    const f = POW10[k]!;
    return Math.round(v * f) / f;
  }
  if (k < 0 && k >= -22) {
    const f = POW10[-k]!;
    return Math.round(v / f) * f;
  }
  return Number(v.toPrecision(6));
}

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** A field name Vega-Lite reads literally (it treats `.` and `[` as paths). */
export function fieldName(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Tick values for a log axis, round numbers with 1 among them whenever 1 is in [min, max]:
 * 1-2-5 steps (0.5, 1, 2, 5, 10, ...) rather than Vega's default of every power of ten only;
 * over many decades powers of ten (every k-th, counted from 1); over a narrow range, where 1-2-5
 * leaves fewer than 4 ticks, the multiples of one round step (1.0, 1.1, 1.2, 1.3 for 0.95..1.3).
 */
export function logTicks(min: number, max: number, maxTicks = 12): number[] {
  if (!(min > 0 && max >= min && Number.isFinite(max))) return [];
  const lo = min / 1.0001;
  const hi = max * 1.0001;
  const round = (v: number) => Number(v.toPrecision(12));
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (v >= lo && v <= hi) all.push(v);
    }
  }
  let ticks = all;
  if (all.length > maxTicks) {
    // Too many: powers of ten, every k-th from 10^0, so 1 stays one of them.
    const e0 = Math.ceil(Math.log10(lo));
    const e1 = Math.floor(Math.log10(hi));
    const k = Math.max(1, Math.ceil((e1 - e0 + 1) / maxTicks));
    ticks = [];
    for (let e = e0; e <= e1; e++) if (((e % k) + k) % k === 0) ticks.push(round(10 ** e));
  } else if (all.length < 4) {
    // A narrow range: the largest round step with at least 4 multiples in it.
    for (let e = Math.ceil(Math.log10(max - min || max)); e > Math.floor(Math.log10(max)) - 6 && ticks.length < 4; e--) {
      for (const m of [5, 2, 1]) {
        const step = round(m * 10 ** (e - 1));
        const from = Math.ceil(lo / step);
        const to = Math.floor(hi / step);
        if (to - from + 1 >= 4 && to - from + 1 <= maxTicks) {
          ticks = Array.from({ length: to - from + 1 }, (_, i) => round((from + i) * step));
          break;
        }
      }
    }
  }
  if (lo <= 1 && hi >= 1 && !ticks.includes(1)) ticks = [...ticks, 1].sort((a, b) => a - b);
  return ticks;
}

/**
 * The smallest and largest positive finite value of the series (a log axis' domain), in one loop:
 * `Math.min(...values)` passes every value as an argument and overflows the stack past about
 * 65,000 of them (a long daily run). Infinity and -Infinity when there is none.
 */
export function positiveRange(series: readonly ArrayLike<number>[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (!(v > 0) || v === Infinity) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/** The largest of `start` and the absolute values of `values`, in one loop (no spread: see positiveRange). */
export function maxAbs(values: ArrayLike<number>, start = 0): number {
  let m = start;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > m) m = a;
  }
  return m;
}
