import { type PriceSeries, UserError } from '@backtest/core';
import { periodLabel, sliceSeries } from '@backtest/core/internal';

const LABEL = /^\d{4}-\d{2}(-\d{2})?$/;

function checkLabel(flag: string, value: string): void {
  if (!LABEL.test(value)) throw new UserError(`${flag} must look like YYYY-MM or YYYY-MM-DD, got "${value}"`);
  const month = Number(value.slice(5, 7));
  if (month < 1 || month > 12) throw new UserError(`${flag} has no month ${value.slice(5, 7)}: "${value}"`);
}

/**
 * The rows of `series` whose dates fall in [from, to], both ends inclusive, compared at the
 * precision given (`2020-12` includes every day of December 2020).
 */
export function restrictToRange(series: PriceSeries, from?: string, to?: string): PriceSeries {
  if (from !== undefined) checkLabel('--from', from);
  if (to !== undefined) checkLabel('--to', to);
  if (from !== undefined && to !== undefined) {
    const n = Math.min(from.length, to.length);
    if (from.slice(0, n) > to.slice(0, n)) throw new UserError(`--from ${from} is after --to ${to}`);
  }
  const dates = series.dates;
  let start = 0;
  let end = dates.length;
  if (from !== undefined) while (start < end && dates[start]!.slice(0, from.length) < from) start++;
  if (to !== undefined) while (end > start && dates[end - 1]!.slice(0, to.length) > to) end--;
  if (end <= start) {
    const covers = dates.length ? `${periodLabel(dates[0]!, series.frequency)}..${periodLabel(dates[dates.length - 1]!, series.frequency)}` : 'no rows';
    throw new UserError(`no rows of ${series.source} between ${from ?? 'the start'} and ${to ?? 'the end'} (the data covers ${covers})`);
  }
  return start === 0 && end === dates.length ? series : sliceSeries(series, start, end);
}

/** Index of the first row whose label is at or after `label`, or -1. */
export function firstRowAtOrAfter(series: Pick<PriceSeries, 'dates'>, label: string): number {
  checkLabel('--test-start', label);
  const dates = series.dates;
  for (let i = 0; i < dates.length; i++) if (dates[i]!.slice(0, label.length) >= label) return i;
  return -1;
}
