import { type CsvCell, formatCsv } from '@backtest/core/internal';

/** The header of the CSV a chart is converted to: the yahoo layout, as Yahoo's download gave it. */
const YAHOO_CSV_HEADER = ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'] as const;

/** Why a chart document cannot be converted (the caller adds the source and URL). */
export class ChartFormatError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `chart.error` of a Yahoo chart answer, in words ("Not Found: No data found, symbol may be delisted"). */
export function yahooChartError(body: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = isObject(doc) && isObject(doc.chart) ? doc.chart.error : undefined;
  if (!isObject(error)) return undefined;
  const parts = [error.code, error.description].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * Yahoo's chart API answer (`/v8/finance/chart/SYMBOL?interval=1d`) as a yahoo-layout CSV,
 * `Date,Open,High,Low,Close,Adj Close,Volume`, one row per timestamp: `chart.result[0].timestamp`
 * with `indicators.quote[0].{open,high,low,close,volume}` and `indicators.adjclose[0].adjclose`.
 * A null is an empty field (the loader drops a row without a close, and says so). Dates are the
 * timestamps' days in the exchange's time zone, by `meta.gmtoffset` (seconds east of UTC; 0 when
 * absent): a daily bar is stamped at the session's open, which is that day there. When two bars
 * fall on one day (Yahoo can repeat the live session's bar) the later one is kept.
 *
 * @throws ChartFormatError when the document is not such an answer or has no rows.
 */
export function yahooChartToCsv(body: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new ChartFormatError('the answer is not JSON');
  }
  const chart = isObject(doc) ? doc.chart : undefined;
  if (!isObject(chart)) throw new ChartFormatError('the answer has no "chart" object');
  const said = yahooChartError(body);
  if (said) throw new ChartFormatError(`the chart is an error: ${said}`);
  const result = Array.isArray(chart.result) ? chart.result[0] : undefined;
  if (!isObject(result)) throw new ChartFormatError('the answer has no chart.result[0]');
  const timestamps = result.timestamp;
  if (timestamps === undefined || (Array.isArray(timestamps) && timestamps.length === 0)) {
    throw new ChartFormatError('the chart has no rows (no chart.result[0].timestamp)');
  }
  if (!Array.isArray(timestamps) || !timestamps.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw new ChartFormatError('chart.result[0].timestamp is not a list of numbers');
  }
  const meta = isObject(result.meta) ? result.meta : {};
  const offset = typeof meta.gmtoffset === 'number' && Number.isFinite(meta.gmtoffset) ? meta.gmtoffset : 0;
  const indicators = isObject(result.indicators) ? result.indicators : {};
  const quote = Array.isArray(indicators.quote) ? indicators.quote[0] : undefined;
  const adj = Array.isArray(indicators.adjclose) ? indicators.adjclose[0] : undefined;
  if (!isObject(quote)) throw new ChartFormatError('the chart has no indicators.quote[0]');
  if (!isObject(adj)) throw new ChartFormatError('the chart has no indicators.adjclose[0] (the adjusted close)');
  const n = timestamps.length;
  const column = (owner: Json, key: string, path: string): (number | null)[] => {
    const values = owner[key];
    if (!Array.isArray(values) || values.length !== n) {
      throw new ChartFormatError(`${path}.${key} is not a list of ${n} values, one per timestamp`);
    }
    values.forEach((v, i) => {
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new ChartFormatError(`${path}.${key}[${i}] is ${JSON.stringify(v)}, not a number or null`);
      }
    });
    return values as (number | null)[];
  };
  const q = 'indicators.quote[0]';
  const open = column(quote, 'open', q);
  const high = column(quote, 'high', q);
  const low = column(quote, 'low', q);
  const close = column(quote, 'close', q);
  const volume = column(quote, 'volume', q);
  const adjclose = column(adj, 'adjclose', 'indicators.adjclose[0]');

  const cell = (v: number | null): CsvCell => (v === null ? undefined : v);
  const rows: CsvCell[][] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(((timestamps[i] as number) + offset) * 1000);
    if (Number.isNaN(day.getTime())) throw new ChartFormatError(`chart.result[0].timestamp[${i}] is not a time`);
    const date = day.toISOString().slice(0, 10);
    const row = [date, cell(open[i]!), cell(high[i]!), cell(low[i]!), cell(close[i]!), cell(adjclose[i]!), cell(volume[i]!)];
    if (rows.length > 0 && rows[rows.length - 1]![0] === date) rows[rows.length - 1] = row;
    else rows.push(row);
  }
  return formatCsv(YAHOO_CSV_HEADER, rows);
}
