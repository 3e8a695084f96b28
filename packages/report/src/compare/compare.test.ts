import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeMetrics } from '@backtest/metrics';
import { parseCsv } from '../csv';
import { sharpeDiffChart } from './compare-charts';
import { compareReturnsCsv, writeCompareFolder } from './compare-folder';
import { type CompareRecord, compareRecordFrom, type CompareSummaryDoc } from './compare-record';
import { buildCompareReport } from './compare-report';
import { compareRows, compareTable, valueAt } from './compare-table';

const labels = Array.from({ length: 24 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
const asset = labels.map((_, i) => Math.sin(i) * 0.03 + 0.005);
const cash = labels.map(() => 0.001);
const half = asset.map((r, i) => (i % 2 ? r : cash[i]!));
const metrics = (r: number[]) =>
  computeMetrics({ returns: Float64Array.from(r), benchmark: Float64Array.from(asset), weights: Float64Array.from(r, () => 1), cash: Float64Array.from(cash), periodsPerYear: 12 });
const sig = (diff: number, ci: [number, number], p: number, dm?: boolean) => ({
  sharpePerPeriod: 0.1,
  skewness: -0.2,
  kurtosis: 3.1,
  psr: 0.9,
  psrVsBenchmark: 0.6,
  dsr: 0.8,
  trials: 2,
  sharpeDiff: diff,
  sharpeDiffCI: ci,
  sharpeDiffPValue: p,
  blockLength: 1.5,
  ledoitWolf: { pValue: 0.3, standardError: 0.2 },
  ...(dm ? { dm: { statistic: -1.2, pValue: 0.23 } } : {}),
});

function record(): CompareRecord {
  const summary: CompareSummaryDoc = {
    command: 'compare',
    dataset: 'fixture',
    frequency: 'monthly',
    period: { start: labels[0]!, end: labels[23]!, periods: 24 },
    configurations: ['half[x=1,2]', 'rule'],
    results: {
      'half[x=1,2]': { ...metrics(half), params: { x: [1, 2] }, significance: sig(0.4, [0.1, 0.7], 0.0004) },
      rule: {
        ...metrics(asset),
        forecast: { rmse: 0.04, mae: 0.03, directionalAccuracy: 0.55, r2OutOfSample: NaN, n: 20 },
        fits: 2,
        params: {},
        significance: sig(-0.1, [-0.5, 0.3], 0.6, true),
      },
    },
    benchmark: metrics(asset),
    verdicts: [
      { configuration: 'half[x=1,2]', beats: true, text: 'half beats <it>' },
      { configuration: 'rule', beats: false, text: 'rule does not' },
    ],
    trials: 2,
    seed: 1,
    conventions: { periodsPerYear: 12, cashRate: 0, costBps: 0, verdict: 'beats buy-and-hold when the p-value times the trials is below 0.05' },
    warnings: [],
  };
  const walk = (r: number[]) => ({ walk: { labels, assetReturns: asset, cashReturns: cash, strategyReturns: r, benchmarkReturns: asset } });
  return compareRecordFrom({ summary, runs: [walk(half), walk(asset)] }, { config: { seed: 1 }, data: { path: '/d.csv', sha256: 'ab'.repeat(32) }, version: '0.1.0' });
}

describe('compare folder', () => {
  it('returns.csv has the common columns and one per configuration, under its label (quoted when it has a comma)', () => {
    const text = compareReturnsCsv(record());
    expect(text.split('\n')[0]).toBe('month,asset_return,cash_return,buy_and_hold_return,"half[x=1,2]",rule');
    const t = parseCsv(text, 'returns.csv');
    expect(t.rows.length).toBe(24);
    expect(t.rows.map((r) => Number(r[4]))).toEqual(half);
  });

  it('is written whole and refuses to replace an existing folder', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'compare-folder-')), 'c');
    const w = writeCompareFolder(record(), dir);
    expect(w.files).toEqual(['summary.json', 'returns.csv', 'report.html']);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'returns.csv', 'summary.json']);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    const doc = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(doc.data).toEqual({ path: '/d.csv', sha256: 'ab'.repeat(32) });
    expect(doc.results.rule.forecast.r2OutOfSample).toBeNull();
    expect(() => writeCompareFolder(record(), dir)).toThrow(/already exists/);
  });
});

describe('compare table and report', () => {
  const rec = record();
  const s = JSON.parse(JSON.stringify(rec.summary)) as CompareSummaryDoc;
  const html = compareTable(s, 'buy-and-hold').text;

  it('holds each number as summary.json has it, dashes where a column has none', () => {
    expect(html).toContain('<td data-column="half[x=1,2]" data-metric="significance.sharpeDiffPValue" data-value="0.0004">&lt;0.001');
    expect(html).toContain('data-column="rule" data-metric="forecast.r2OutOfSample" data-value="null">n/a');
    expect(html).toContain('data-column="rule" data-metric="significance.sharpeDiffCI.0" data-value="-0.5">-0.50');
    // Buy-and-hold has metrics but no significance against itself; a rule has no forecast rows.
    expect(html).not.toMatch(/data-benchmark="true" data-metric="significance/);
    expect(html).not.toMatch(/data-column="half\[x=1,2\]" data-metric="forecast/);
    const cells = html.match(/<td data-column/g)!.length;
    const expected = compareRows(s).reduce((n, r) => n + s.configurations.filter((l) => valueAt(s.results[l], r.path) !== undefined).length + (r.benchmark ? 1 : 0), 0);
    expect(cells).toBe(expected);
  });

  it('colours the interval chart by the verdict and the page escapes the verdict text', () => {
    const spec = JSON.stringify(sharpeDiffChart(rec));
    expect(spec).toContain('"configuration":"half[x=1,2]","diff":0.4,"low":0.1,"high":0.7');
    expect(spec).toContain('"verdict":"beats buy-and-hold (verdict)"');
    const page = buildCompareReport(rec);
    expect(page.includes('half beats &lt;it&gt;')).toBe(true);
    expect(page.includes('A configuration beats buy-and-hold when the p-value times the trials is below 0.05. Trials: 2 = 2 configurations in this compare;')).toBe(true);
  });
});
