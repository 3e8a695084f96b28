// Subpath imports: the date-fns index loads every function (about 165 ms here), a subpath ~10 ms.
import { getDaysInMonth } from 'date-fns/getDaysInMonth';

/** A date cell read from a file: the ISO day it stands for, and whether the file gave only a month. */
export interface CalendarDate {
  /** yyyy-MM-dd; a yyyy-MM cell is dated the month's last calendar day (see `readIsoDate`). */
  readonly iso: string;
  readonly monthOnly: boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

// Consecutive rows nearly always share a month, so one date-fns call per month is enough;
// a per-row date-fns `parse` costs more than the rest of the loader put together.
let cachedMonthKey = -1;
let cachedDaysInMonth = 0;

function daysInMonth(year: number, month: number): number {
  const key = year * 12 + month;
  if (key !== cachedMonthKey) {
    // setFullYear, because the Date constructor maps years 0..99 to 1900..1999.
    const first = new Date(2000, 0, 1);
    first.setFullYear(year, month - 1, 1);
    cachedDaysInMonth = getDaysInMonth(first);
    cachedMonthKey = key;
  }
  return cachedDaysInMonth;
}

/**
 * Reads `yyyy-MM-dd` or `yyyy-MM` strictly (zero-padded, a real calendar day), or returns
 * undefined. A month-only row is dated the month's last calendar day because a monthly row is
 * known at the month's close, the same moment a month-end row from daily data is.
 *
 * @example readIsoDate('2020-02') // { iso: '2020-02-29', monthOnly: true }
 * @example readIsoDate('2021-02-29') // undefined
 */
export function readIsoDate(text: string): CalendarDate | undefined {
  const m = ISO_DATE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const last = daysInMonth(year, month);
  if (m[3] === undefined) {
    return { iso: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`, monthOnly: true };
  }
  const day = Number(m[3]);
  if (day < 1 || day > last) return undefined;
  return { iso: text, monthOnly: false };
}
