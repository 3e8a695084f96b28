import { PERIODS_PER_YEAR, type PriceSeries, UserError } from '@backtest/core';
import { periodLabel } from '@backtest/core/internal';

/** A risk-free yield series in percent a year (FRED's TB3MS, the 10-year yield `tnx`, ...). */
export interface YieldSeries {
  /** Its name, for messages and the report. */
  readonly source: string;
  /**
   * `monthly`: one value a month, the month's (a month-end value, or a monthly average that
   * FRED dates on the 1st): known at the month's close. `daily`: one value a day, known at that
   * day's close.
   */
  readonly frequency: 'monthly' | 'daily';
  /** ISO dates, ascending. */
  readonly dates: readonly string[];
  /** Annual yields in percent (5.2 = 5.2% a year). */
  readonly values: Float64Array;
}

/** Yields outside this range (percent a year) are not a cash rate: most likely a price series named by mistake. */
const YIELD_RANGE = { min: -20, max: 100 } as const;

const monthIndex = (iso: string): number => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/**
 * The cash return earned over the period after each row of `series`:
 * (1 + y_t / 100)^(1 / periodsPerYear) - 1, with y_t the yield known at row t's close.
 * - Monthly runs take the yield series' value for month t (known at month t's close).
 * - Daily runs on a monthly series take the value of the month before day t's month (a month's
 *   value is known only once the month has ended).
 * - Daily runs on a daily series take the latest yield dated on or before day t, from day t's
 *   month or the month before.
 * Rows without a yield are NaN; the walk-forward refuses them where it needs them. A yield
 * outside YIELD_RANGE is an error naming its date.
 *
 * @example cashFromYields(monthlySp500, { source: 'tb3ms', frequency: 'monthly', dates: ['2020-01-01'], values: Float64Array.of(1.52) })
 * // row 2020-01: (1.0152)^(1/12) - 1 = 0.001258...; every other row NaN
 */
export function cashFromYields(series: Pick<PriceSeries, 'dates' | 'frequency'>, yields: YieldSeries): Float64Array {
  checkYieldRange(yields);
  const n = series.dates.length;
  const ppy = PERIODS_PER_YEAR[series.frequency];
  const out = new Float64Array(n).fill(NaN);
  const toReturn = (y: number) => (1 + y / 100) ** (1 / ppy) - 1;
  if (yields.frequency === 'monthly') {
    const byMonth = new Map<number, number>();
    yields.dates.forEach((d, i) => byMonth.set(monthIndex(d), yields.values[i]!));
    // A monthly run decides at the month's close, when its value is known; a daily run decides within the month.
    const lag = series.frequency === 'monthly' ? 0 : 1;
    for (let t = 0; t < n; t++) {
      const y = byMonth.get(monthIndex(series.dates[t]!) - lag);
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
    if (Number.isFinite(y) && monthIndex(day) - monthIndex(yields.dates[j]!) <= 1) out[t] = toReturn(y);
  }
  return out;
}

function checkYieldRange(yields: YieldSeries): void {
  for (let i = 0; i < yields.values.length; i++) {
    const y = yields.values[i]!;
    if (y < YIELD_RANGE.min || y > YIELD_RANGE.max) {
      throw new UserError(
        `the cash series ${yields.source} has ${y} on ${yields.dates[i]}, which is no annual yield in percent ` +
          `(expected ${YIELD_RANGE.min} to ${YIELD_RANGE.max}): --cash-rate takes a series of yields such as TB3MS, not prices`,
      );
    }
  }
}

/** The error for a decision row whose cash return is unknown. */
export function missingYield(series: Pick<PriceSeries, 'dates' | 'frequency'>, yields: YieldSeries, row: number): UserError {
  const label = (i: number) => periodLabel(series.dates[i]!, series.frequency);
  const when =
    series.frequency === 'monthly'
      ? `month ${label(row)}`
      : yields.frequency === 'monthly'
        ? `the month before ${series.dates[row]} (a month's value is known once the month has ended)`
        : `${series.dates[row]} (nor earlier in its month or the month before)`;
  return new UserError(
    `the cash series ${yields.source} has no yield for ${when}, which the cash return over ${label(row + 1)} needs ` +
      `(${yields.source} covers ${yields.dates[0] ?? 'nothing'} .. ${yields.dates[yields.dates.length - 1] ?? ''}); ` +
      'choose --from/--to inside it, or another --cash-rate',
  );
}
