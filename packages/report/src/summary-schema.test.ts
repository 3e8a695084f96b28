import { UserError } from '@backtest/core';
import { fixtureRecord } from './__fixtures__/record';
import { universeRecord } from './__fixtures__/universe-record';
import { parseSummaryJson, summaryJson } from './run-files';
import { checkJson, expected, found, obj, optional, record, str } from './schema';

const text = (doc: unknown) => JSON.stringify(doc);
// biome-ignore lint/suspicious/noExplicitAny: a summary.json document, edited by path
const summaryOf = (o: Parameters<typeof fixtureRecord>[0] = {}) => JSON.parse(summaryJson(fixtureRecord(o))) as Record<string, any>;

describe('summary.json schema', () => {
  it('reads a folder of the previous release: no winRate, the drawdown duration under its old name only', () => {
    const old = summaryOf();
    for (const m of Object.values(old.results) as Record<string, unknown>[]) {
      delete m.winRate;
      delete m.maxDrawdownPeriods;
    }
    const { summary } = parseSummaryJson(text(old), 's.json');
    expect(summary.results['sma']!.maxDrawdownPeriods).toBe(20);
    expect(summary.results['sma']!.winRate).toBeUndefined();
  });

  it('accepts what runs write: rules, forecasts, daily runs, buy-and-hold alone, a cash series, extra keys', () => {
    expect(parseSummaryJson(summaryJson(fixtureRecord()), 's.json').summary.strategy).toBe('sma');
    const forecast = summaryOf({ forecast: true });
    forecast.results['ols-sma'] = { ...forecast.results['ols-sma'], forecast: { rmse: 0.04, mae: 0.03, directionalAccuracy: 0.5, r2OutOfSample: null, n: 20 }, fits: 3 };
    expect((parseSummaryJson(text(forecast), 's.json').summary.results['ols-sma']!.forecast as { r2OutOfSample: unknown }).r2OutOfSample).toBeNull();
    const daily = summaryOf();
    daily.frequency = 'daily';
    daily.period = { start: '2020-01-02', end: '2020-12-31', periods: 250 };
    expect(() => parseSummaryJson(text(daily), 's.json')).not.toThrow();
    const bh = summaryOf();
    bh.strategy = 'buy-and-hold';
    delete bh.results.sma;
    expect(Object.keys(parseSummaryJson(text(bh), 's.json').summary.results)).toEqual(['buy-and-hold']);
    const cash = summaryOf();
    cash.conventions.cashRate = 'tb3ms';
    cash.backend = 'wasm';
    cash.trainer = 'simd';
    cash.somethingNewer = { any: ['thing'] };
    expect(() => parseSummaryJson(text(cash), 's.json')).not.toThrow();
  });

  it('accepts a universe: assets with or without provenance, figures and correlations a run could not compute (null)', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a summary.json document, edited by path
    const doc = JSON.parse(summaryJson(universeRecord())) as Record<string, any>;
    doc.universe.assets[0] = { name: 'sp500', meanWeight: null, contribution: null, totalReturn: 0.5 };
    doc.universe.correlation[1][2] = null;
    const { universe } = parseSummaryJson(text(doc), 's.json').summary;
    expect(universe!.assets[0]).toEqual({ name: 'sp500', meanWeight: null, contribution: null, totalReturn: 0.5 });
    expect(universe!.correlation[1]![2]).toBeNull();
    expect(universe!.benchmark).toBe('equal-weight');
    doc.universe.assets[1].currency = 840;
    expect(() => parseSummaryJson(text(doc), 's.json')).toThrow(new UserError('s.json: "universe.assets[1].currency": expected a string, found the number 840'));
  });

  it('says what a compare summary is instead of a run summary', () => {
    expect(() => parseSummaryJson(text({ command: 'compare' }), 'c.json')).toThrow(
      new UserError('c.json is the summary of a compare, not of a run: backtest report rebuilds run folders'),
    );
  });

  it('names odd keys readably, and shows found values short and escaped', () => {
    const s = record(obj({ name: str(), note: optional(str()) }));
    expect(() => checkJson({ 'a b': { name: 1 } }, s, 'f.json')).toThrow(new UserError('f.json: "["a b"].name": expected a string, found the number 1'));
    expect(() => checkJson({ x: { name: 'n', note: null } }, s, 'f.json')).toThrow('"x.note": expected a string, found null');
    expect(found(`\u001b[2J${'y'.repeat(100)}`)).toBe(`the text "\\x1b[2J${'y'.repeat(36)}…" (104 characters)`);
    expect(found([1, 2])).toBe('a list of 2 items');
    expect(expected(obj({}))).toBe('an object');
    // Own keys only: a "__proto__" or "constructor" key is data like any other.
    expect(() => checkJson(JSON.parse('{"__proto__": {"name": 5}}'), s, 'p.json')).toThrow('"__proto__.name": expected a string, found the number 5');
  });
});
