/**
 * Returns compounded over calendar months and years, from period returns labelled `YYYY-MM`
 * (monthly runs) or `YYYY-MM-DD` (daily runs): a month's or year's return is
 * prod(1 + r) - 1 over the periods labelled in it. Periods are taken in order and a new group
 * starts when the label's month (year) changes.
 */
import { assertFinite, assertLength, type Series } from './validate';

/** One calendar month or year: its key (`YYYY-MM` or `YYYY`), compounded return and the periods in it. */
export interface CalendarReturn {
  key: string;
  value: number;
  /** Index of the group's first period and the number of periods in it. */
  first: number;
  periods: number;
}

/** Compounded return of each calendar month (`unit` 'month', key `YYYY-MM`) or year ('year', key `YYYY`). */
export function calendarReturns(labels: readonly string[], returns: Series, unit: 'month' | 'year'): CalendarReturn[] {
  assertFinite('returns', returns);
  if (labels.length !== returns.length) throw new RangeError(`labels has ${labels.length} elements but returns has ${returns.length}; they must cover the same periods`);
  const width = unit === 'month' ? 7 : 4;
  const out: CalendarReturn[] = [];
  let growth = 1;
  for (let i = 0; i < labels.length; i++) {
    const key = labels[i]!.slice(0, width);
    const last = out[out.length - 1];
    if (!last || last.key !== key) {
      if (last) last.value = growth - 1;
      out.push({ key, value: 0, first: i, periods: 0 });
      growth = 1;
    }
    growth *= 1 + (returns[i] as number);
    out[out.length - 1]!.periods++;
  }
  if (out.length) out[out.length - 1]!.value = growth - 1;
  return out;
}

/** Whether a period label ends a calendar year: `YYYY-12`, or a day of the last week of December. */
function endsYear(label: string): boolean {
  return label.slice(5, 7) === '12' && (label.length === 7 || Number(label.slice(8, 10)) >= 25);
}

export interface YearReturn {
  year: string;
  strategy: number;
  benchmark: number;
  periods: number;
  /**
   * The evaluation covers only part of the year: the first year unless the row before the first
   * period (`previousLabel`, the close the first period's return starts from) is in an earlier
   * year; the last year unless its last period ends the year (December, or a day from 25
   * December in a daily run).
   */
  partial: boolean;
}

/**
 * Calendar-year returns of a strategy and its benchmark over the same periods, compounded within
 * each year. `previousLabel` is the label of the row before the first period, if there is one.
 */
export function yearlyReturns(labels: readonly string[], strategy: Series, benchmark: Series, previousLabel?: string): YearReturn[] {
  assertLength('benchmark', benchmark, strategy.length);
  const s = calendarReturns(labels, strategy, 'year');
  const b = calendarReturns(labels, benchmark, 'year');
  return s.map((y, k) => {
    const firstPartial = k === 0 && !(previousLabel !== undefined && previousLabel.slice(0, 4) < y.key);
    const lastPartial = k === s.length - 1 && !endsYear(labels[y.first + y.periods - 1]!);
    return { year: y.key, strategy: y.value, benchmark: b[k]!.value, periods: y.periods, partial: firstPartial || lastPartial };
  });
}
