import { PERIODS_PER_YEAR, periodLabel, type PriceSeries, UserError } from '@backtest/core';

/** A risk-free yield series in percent a year (FRED's TB3MS, the 10-year yield `tnx`, ...). */
export interface YieldSeries {
  /** Its name, for messages and the report. */
  readonly source: string;
  /** ISO dates, ascending. */
  readonly dates: readonly string[];
  /** Annual yields in percent (5.2 = 5.2% a year). */
  readonly values: Float64Array;
}

/** How old the last yield may be at a daily decision (a monthly series dated the 1st is at most 31 days old). */
const DAILY_STALENESS_DAYS = 31;

const dayNumber = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/**
 * The cash return earned over the period after each row of `series`:
 * (1 + y_t / 100)^(1 / periodsPerYear) - 1, with y_t the yield known at row t's close. Monthly
 * runs take the yield series' value for month t (its month-end value when the series is served
 * at month-end, the month's value when it is a monthly series dated in the month). Daily runs
 * take the latest yield dated on or before day t, if it is at most 31 days old. Rows without a
 * yield are NaN; the walk-forward refuses them where it needs them.
 *
 * @example cashFromYields(monthlySp500, { source: 'tb3ms', dates: ['2020-01-01'], values: Float64Array.of(1.52) })
 * // row 2020-01: (1.0152)^(1/12) - 1 = 0.001258...; every other row NaN
 */
export function cashFromYields(series: PriceSeries, yields: YieldSeries): Float64Array {
  const n = series.dates.length;
  const ppy = PERIODS_PER_YEAR[series.frequency];
  const out = new Float64Array(n).fill(NaN);
  const toReturn = (y: number) => Math.pow(1 + y / 100, 1 / ppy) - 1;
  if (series.frequency === 'monthly') {
    const byMonth = new Map<string, number>();
    yields.dates.forEach((d, i) => byMonth.set(d.slice(0, 7), yields.values[i]!));
    for (let t = 0; t < n; t++) {
      const y = byMonth.get(series.dates[t]!.slice(0, 7));
      if (y !== undefined && Number.isFinite(y)) out[t] = toReturn(y);
    }
    return out;
  }
  let j = -1;
  for (let t = 0; t < n; t++) {
    const day = series.dates[t]!;
    while (j + 1 < yields.dates.length && yields.dates[j + 1]! <= day) j++;
    if (j < 0) continue;
    const y = yields.values[j]!;
    if (Number.isFinite(y) && dayNumber(day) - dayNumber(yields.dates[j]!) <= DAILY_STALENESS_DAYS) out[t] = toReturn(y);
  }
  return out;
}

/** The error for a decision row whose cash return is unknown. */
export function missingYield(series: PriceSeries, yields: YieldSeries, row: number): UserError {
  const label = (i: number) => periodLabel(series.dates[i]!, series.frequency);
  const when = series.frequency === 'monthly' ? `month ${label(row)}` : `${series.dates[row]} (or the ${DAILY_STALENESS_DAYS} days before)`;
  return new UserError(
    `the cash series ${yields.source} has no yield for ${when}, which the cash return over ${label(row + 1)} needs ` +
      `(${yields.source} covers ${yields.dates[0] ?? 'nothing'} .. ${yields.dates[yields.dates.length - 1] ?? ''}); ` +
      'choose --from/--to inside it, or another --cash-rate',
  );
}
