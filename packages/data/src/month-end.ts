import type { PriceSeries } from '@backtest/core';
import { printable } from '@backtest/core/internal';
import { formatISO } from 'date-fns/formatISO';
import { isWeekend } from 'date-fns/isWeekend';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { subDays } from 'date-fns/subDays';

type Aggregate = (values: Float64Array, start: number, end: number) => number;

const last: Aggregate = (v, _s, e) => v[e - 1]!;
const firstKnown: Aggregate = (v, s, e) => {
  for (let i = s; i < e; i++) if (!Number.isNaN(v[i]!)) return v[i]!;
  return NaN;
};
const extreme =
  (pick: (a: number, b: number) => number): Aggregate =>
  (v, s, e) => {
    let out = NaN;
    for (let i = s; i < e; i++) if (!Number.isNaN(v[i]!)) out = Number.isNaN(out) ? v[i]! : pick(out, v[i]!);
    return out;
  };
const knownSum: Aggregate = (v, s, e) => {
  let out = NaN;
  for (let i = s; i < e; i++) if (!Number.isNaN(v[i]!)) out = Number.isNaN(out) ? v[i]! : out + v[i]!;
  return out;
};

// A month's bar is built as a chart would draw it; any other column is read on the month's last day.
const AGGREGATES: Readonly<Record<string, Aggregate>> = {
  open: firstKnown,
  high: extreme(Math.max),
  low: extreme(Math.min),
  volume: knownSum,
};

/** The last Monday-to-Friday of the month containing `isoDate`, as yyyy-MM-dd. */
export function lastWeekdayOfMonth(isoDate: string): string {
  const first = new Date(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, 1);
  let day = lastDayOfMonth(first);
  while (isWeekend(day)) day = subDays(day, 1);
  return formatISO(day, { representation: 'date' });
}

/**
 * Month-end rows from daily rows: each calendar month's last row, keeping its close and ISO date.
 * Open is the month's first known open, high and low its extremes, volume its sum; any other
 * column, and the return index, is the value on that last day.
 *
 * A trailing month whose last row falls before the month's last weekday is dropped with a
 * warning: its close is not a month-end close. Without an exchange calendar this also drops a
 * final month whose last weekday was a holiday (March 2024 ending on Good Friday); months inside
 * the series are never affected. A monthly series is returned unchanged.
 */
export function toMonthEnd(series: PriceSeries): { series: PriceSeries; warnings: string[] } {
  if (series.frequency === 'monthly') return { series, warnings: [] };
  const { dates, close } = series;
  const ends: number[] = [];
  const starts: number[] = [];
  // One prefix per month rather than a slice per row: rows outnumber months twenty to one.
  let month = '';
  for (let i = 0; i < dates.length; i++) {
    if (month === '' || !dates[i]!.startsWith(month)) {
      if (i > 0) ends.push(i);
      starts.push(i);
      month = dates[i]!.slice(0, 8);
    }
  }
  if (dates.length > 0) ends.push(dates.length);

  const warnings: string[] = [];
  const lastRow = dates[dates.length - 1];
  if (lastRow !== undefined) {
    const monthEnd = lastWeekdayOfMonth(lastRow);
    if (lastRow < monthEnd) {
      starts.pop();
      ends.pop();
      warnings.push(`${printable(series.source)}: dropped the incomplete month ${lastRow.slice(0, 7)} (the data ends on ${lastRow}, before the month's last weekday ${monthEnd})`);
    }
  }

  const months = ends.length;
  const pickLast = (values: Float64Array): Float64Array => {
    const out = new Float64Array(months);
    for (let m = 0; m < months; m++) out[m] = values[ends[m]! - 1]!;
    return out;
  };
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(series.columns)) {
    const aggregate = AGGREGATES[name] ?? last;
    const out = new Float64Array(months);
    for (let m = 0; m < months; m++) out[m] = aggregate(values, starts[m]!, ends[m]!);
    columns[name] = out;
  }
  return {
    series: {
      source: series.source,
      frequency: 'monthly',
      dates: ends.map((e) => dates[e - 1]!),
      close: pickLast(close),
      ...(series.returnIndex ? { returnIndex: pickLast(series.returnIndex) } : {}),
      columns,
    },
    warnings,
  };
}
