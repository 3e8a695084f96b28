import { UserError } from '@backtest/core';
import { isFredHeader, type LayoutName } from '../layout';
import { ChartFormatError, yahooChartError, yahooChartToCsv } from './yahoo-chart';

/** The public sources `fetchDataset` downloads from. */
export type FetchSourceName = 'stooq' | 'fred' | 'yahoo';

/** How one source is asked for a series and what it answers. */
export interface FetchSource {
  readonly name: FetchSourceName;
  /** The environment variable that overrides `defaultBase` (tests point it at a local server). */
  readonly baseEnv: string;
  readonly defaultBase: string;
  /** The layout of the CSV it gives (after conversion, for Yahoo's JSON). */
  readonly layout: LayoutName;
  /** The header the CSV starts with, for messages. */
  readonly header: string;
  /** The symbol as the source spells it. */
  spell(symbol: string): string;
  /** The download URL of the daily (or the series' own) history of `symbol`, already spelt. */
  url(base: string, symbol: string, now: Date): string;
  /** The CSV in the body; throws `Error` saying why when the body is something else. */
  toCsv(body: string): string;
  /** What an HTTP error body says, when the source explains its errors. */
  explain?(body: string): string | undefined;
}

/** The first non-blank line of a body, without a BOM or surrounding spaces. */
function firstLine(body: string): string {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') return line.trim();
  return '';
}

/** The body when its first line passes `isHeader`; else an Error quoting that line. */
function csvBody(body: string, isHeader: (line: string) => boolean, header: string): string {
  const first = firstLine(body);
  if (first !== '' && isHeader(first)) return body;
  const quoted = first.length > 80 ? `${first.slice(0, 80)}...` : first;
  throw new Error(first === '' ? `the answer is empty, not CSV with the header ${header}` : `the answer starts ${JSON.stringify(quoted)}, not CSV with the header ${header}`);
}

/** A header field as written, without surrounding spaces or quotes. */
const unquoted = (field: string) => field.trim().replace(/^"|"$/g, '');
const fields = (line: string) => line.split(',').map((f) => unquoted(f).toLowerCase());

const FETCH_SOURCES: Readonly<Record<FetchSourceName, FetchSource>> = {
  stooq: {
    name: 'stooq',
    baseEnv: 'BACKTEST_STOOQ_URL',
    defaultBase: 'https://stooq.com',
    layout: 'plain',
    header: 'Date,Open,High,Low,Close,Volume',
    spell: (symbol) => symbol.toLowerCase(),
    url: (base, symbol) => `${base}/q/d/l/?s=${encodeURIComponent(symbol)}&i=d`,
    // An unknown symbol is HTTP 200 with "No data"; an exhausted quota is 200 with a sentence too.
    toCsv: (body) =>
      csvBody(
        body,
        (line) => {
          const f = fields(line);
          return f[0] === 'date' && f.includes('close');
        },
        'Date,Open,High,Low,Close,Volume',
      ),
  },
  fred: {
    name: 'fred',
    baseEnv: 'BACKTEST_FRED_URL',
    defaultBase: 'https://fred.stlouisfed.org',
    layout: 'fred',
    header: 'observation_date,SERIES_ID',
    spell: (symbol) => symbol.toUpperCase(),
    url: (base, symbol) => `${base}/graph/fredgraph.csv?id=${encodeURIComponent(symbol)}`,
    toCsv: (body) => csvBody(body, (line) => isFredHeader(line.split(',').map(unquoted)), 'observation_date,SERIES_ID'),
  },
  yahoo: {
    name: 'yahoo',
    baseEnv: 'BACKTEST_YAHOO_URL',
    defaultBase: 'https://query1.finance.yahoo.com',
    layout: 'yahoo',
    header: 'Date,Open,High,Low,Close,Adj Close,Volume',
    spell: (symbol) => symbol.toUpperCase(),
    url: (base, symbol, now) => `${base}/v8/finance/chart/${encodeURIComponent(symbol)}?period1=0&period2=${Math.floor(now.getTime() / 1000)}&interval=1d&events=div`,
    toCsv: (body) => {
      try {
        return yahooChartToCsv(body);
      } catch (e) {
        if (e instanceof ChartFormatError) throw new Error(`${e.message}, not a chart of daily prices`);
        throw e;
      }
    },
    explain: yahooChartError,
  },
};

export const FETCH_SOURCE_NAMES = Object.keys(FETCH_SOURCES) as FetchSourceName[];

/** The source named `name`, or a UserError listing the sources. */
export function fetchSource(name: string): FetchSource {
  const source = (FETCH_SOURCES as Record<string, FetchSource | undefined>)[name];
  if (!source || !Object.hasOwn(FETCH_SOURCES, name)) {
    throw new UserError(`unknown source "${name}": choose one of ${FETCH_SOURCE_NAMES.join(', ')}`);
  }
  return source;
}

/** The source's base URL: its environment variable when set (checked), else the public host. No trailing slash. */
export function sourceBase(source: FetchSource, env: NodeJS.ProcessEnv): string {
  const raw = env[source.baseEnv]?.trim();
  if (raw === undefined || raw === '') return source.defaultBase;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UserError(`${source.baseEnv} must be an http(s) URL such as ${source.defaultBase}, not "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`${source.baseEnv} must be an http(s) URL such as ${source.defaultBase}, not "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}
