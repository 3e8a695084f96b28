import { UserError } from '@backtest/core';
import { trailingMeanSd } from '@backtest/metrics';

/** The article's trailing window, in months, for both the SMA and the z-scores. */
export const WINDOW = 10;

/** Calendar labels of the split, both ends inclusive; 1991 is in training and validation. */
export const SPLIT = {
  trainEnd: '1991-12',
  validStart: '1991-01',
  validEnd: '2000-12',
  testStart: '2001-01',
} as const;

/** One usable month: the raw columns and each one z-scored by its own trailing window. */
export interface StudyRow {
  /** `YYYY-MM` */
  readonly label: string;
  readonly close: number;
  readonly sma: number;
  /** Monthly percent change of close, in percent. */
  readonly ret: number;
  /** Next month's close. */
  readonly target: number;
  readonly z: { readonly close: number; readonly sma: number; readonly ret: number; readonly target: number };
  /** Mean and sample sd of the target column over rows t-9..t: closes t-8..t+1 (the leak). */
  readonly targetStats: { readonly mean: number; readonly sd: number };
  /** Mean and sample sd of close over rows t-9..t: what is known at t's close. */
  readonly closeStats: { readonly mean: number; readonly sd: number };
}

export interface PreparedData {
  /** Every usable row, in time order. */
  readonly rows: readonly StudyRow[];
  readonly train: readonly StudyRow[];
  readonly valid: readonly StudyRow[];
  readonly test: readonly StudyRow[];
  /** Month-end rows read (in --from..--to), before any were dropped for missing values. */
  readonly monthsRead: number;
}

/** Trailing mean and sample sd (n-1) over `window` values ending at each index; NaN until full or if any is NaN: the metrics package's `trailingMeanSd`. */
export function trailingStats(values: Float64Array, window: number): { mean: Float64Array; sd: Float64Array } {
  return trailingMeanSd(values, window);
}

/**
 * The article's table, built the way pandas builds it: close, its 10-month SMA, the monthly
 * percent change, next month's close as the target; each column z-scored by its own trailing
 * 10-month mean and sd (so the target's statistics include the target itself); rows with any
 * missing value dropped; split by calendar label.
 */
export function prepareStudyData(labels: readonly string[], close: Float64Array): PreparedData {
  const n = close.length;
  if (labels.length !== n) throw new Error(`prepareStudyData: ${labels.length} labels for ${n} closes`);
  const sma = new Float64Array(n).fill(NaN);
  const closeStats = trailingStats(close, WINDOW);
  for (let t = 0; t < n; t++) sma[t] = closeStats.mean[t]!;
  const ret = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) ret[t] = (close[t]! / close[t - 1]! - 1) * 100;
  const target = new Float64Array(n).fill(NaN);
  for (let t = 0; t + 1 < n; t++) target[t] = close[t + 1]!;
  const smaStats = trailingStats(sma, WINDOW);
  const retStats = trailingStats(ret, WINDOW);
  const targetStats = trailingStats(target, WINDOW);
  const z = (v: number, s: { mean: Float64Array; sd: Float64Array }, t: number) => (v - s.mean[t]!) / s.sd[t]!;
  const rows: StudyRow[] = [];
  for (let t = 0; t < n; t++) {
    const row: StudyRow = {
      label: labels[t]!,
      close: close[t]!,
      sma: sma[t]!,
      ret: ret[t]!,
      target: target[t]!,
      z: { close: z(close[t]!, closeStats, t), sma: z(sma[t]!, smaStats, t), ret: z(ret[t]!, retStats, t), target: z(target[t]!, targetStats, t) },
      targetStats: { mean: targetStats.mean[t]!, sd: targetStats.sd[t]! },
      closeStats: { mean: closeStats.mean[t]!, sd: closeStats.sd[t]! },
    };
    const values = [row.close, row.sma, row.ret, row.target, row.z.close, row.z.sma, row.z.ret, row.z.target];
    if (values.every(Number.isFinite)) rows.push(row);
  }
  const train = rows.filter((r) => r.label <= SPLIT.trainEnd);
  const valid = rows.filter((r) => r.label >= SPLIT.validStart && r.label <= SPLIT.validEnd);
  const test = rows.filter((r) => r.label >= SPLIT.testStart);
  if (train.length < 4 || valid.length === 0) {
    throw new UserError(
      `the study needs training rows up to ${SPLIT.trainEnd} and validation rows in ${SPLIT.validStart}..${SPLIT.validEnd}; ` +
        `--from/--to left ${train.length} training and ${valid.length} validation rows (use a range such as 1970-01..2020-12)`,
    );
  }
  return { rows, train, valid, test, monthsRead: n };
}

/** The network inputs (normalised close and SMA) of some rows, packed row-major. */
export function inputs(rows: readonly StudyRow[]): { rows: number; cols: number; data: Float64Array } {
  const data = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => {
    data[2 * i] = r.z.close;
    data[2 * i + 1] = r.z.sma;
  });
  return { rows: rows.length, cols: 2, data };
}

/** The normalised target of some rows. */
export function targets(rows: readonly StudyRow[]): Float64Array {
  return Float64Array.from(rows, (r) => r.z.target);
}
