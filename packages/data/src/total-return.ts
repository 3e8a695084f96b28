import { type PriceSeries, UserError } from '@backtest/core';
import { printable } from '@backtest/core/internal';

/**
 * Adds a total-return index (dividends reinvested) to a monthly series with a `dividend` column
 * holding the annualised dividend, as Shiller's data does: the month's growth is
 * (P_t + D_t / 12) / P_{t-1}. The index starts at the first close, so it reads in price units.
 * A month without a dividend (NaN) grows by the price return alone, and a warning says which.
 */
export function withTotalReturn(series: PriceSeries): { series: PriceSeries; warnings: string[] } {
  const dividend = series.columns.dividend;
  if (!dividend || series.frequency !== 'monthly') {
    throw new UserError(
      `${printable(series.source)}: a total return needs monthly rows with a dividend column ` +
        `(found ${series.frequency} rows with columns: ${
          Object.keys(series.columns)
            .map((c) => printable(c))
            .join(', ') || 'none'
        }); ` +
        'the sp500-shiller dataset has one',
    );
  }
  const { close, dates } = series;
  const index = new Float64Array(close.length);
  const missing: string[] = [];
  if (close.length > 0) index[0] = close[0]!;
  for (let t = 1; t < close.length; t++) {
    const d = dividend[t]!;
    if (Number.isNaN(d)) missing.push(dates[t]!.slice(0, 7));
    const growth = (close[t]! + (Number.isNaN(d) ? 0 : d / 12)) / close[t - 1]!;
    index[t] = index[t - 1]! * growth;
  }
  const warnings =
    missing.length === 0
      ? []
      : [
          `${printable(series.source)}: no dividend for ${missing.length} month${missing.length === 1 ? '' : 's'} ` +
            `(${missing[0]}${missing.length > 1 ? ` .. ${missing[missing.length - 1]}` : ''}); ` +
            'the total return uses the price return there',
        ];
  return { series: { ...series, returnIndex: index }, warnings };
}
