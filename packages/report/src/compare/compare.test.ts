import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeMetrics, pbo } from '@backtest/metrics';
import { parseCsv } from '../csv';
import { GROWTH_SHOWN, growthChart, pboHistogram, seedsStripChart, sharpeDiffChart } from './compare-charts';
import { compareReturnsCsv, writeCompareFolder } from './compare-folder';
import { type CompareRecord, compareRecordFrom, type CompareSummaryDoc } from './compare-record';
import { buildCompareReport } from './compare-report';
import { allMetricsTable, compareRows, compareTable, stepMOf, summaryColumns, valueAt } from './compare-table';
import { shortLabels } from './short-labels';

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

function record(o: { seeds?: boolean; configurations?: string[] } = {}): CompareRecord {
  const base = {
    'half[x=1,2]': { ...metrics(half), params: { x: [1, 2] }, significance: sig(0.4, [0.1, 0.7], 0.0004) },
    rule: {
      ...metrics(asset),
      forecast: { rmse: 0.04, mae: 0.03, directionalAccuracy: 0.55, r2OutOfSample: NaN, n: 20 },
      fits: 2,
      params: {},
      significance: sig(-0.1, [-0.5, 0.3], 0.6, true),
    },
  };
  // A grid of o.configurations: each in the asset one period in k + 2, else in cash.
  const grid = (o.configurations ?? []).map((label, k) => ({ label, returns: asset.map((r, i) => (i % (k + 2) ? r : cash[i]!)) }));
  const configurations = o.configurations ?? ['half[x=1,2]', 'rule'];
  const returnsOf: Record<string, number[]> = o.configurations ? Object.fromEntries(grid.map((g) => [g.label, g.returns])) : { 'half[x=1,2]': half, rule: asset };
  const results: CompareSummaryDoc['results'] = o.configurations
    ? Object.fromEntries(grid.map((g, k) => [g.label, { ...metrics(g.returns), params: { x: k }, significance: sig(0.1 * k, [0.1 * k - 0.3, 0.1 * k + 0.3], 0.5) }]))
    : base;
  // With seeds: the first configuration ran under three, its median one the headline.
  const seedRuns = [42, 43, 44].map((seed, j) => ({ seed, returns: half.map((r, i) => r + (j - 1) * 0.001 * Math.cos(i)) }));
  if (o.seeds) {
    const sharpes = seedRuns.map((x) => metrics(x.returns).sharpe);
    const sorted = [...sharpes].sort((a, b) => a - b);
    results['half[x=1,2]'] = {
      ...results['half[x=1,2]']!,
      seeds: {
        n: 3,
        headlineSeed: 43,
        runs: seedRuns.map((x, j) => ({ ...metrics(x.returns), seed: x.seed, sharpe: sharpes[j]! })),
        sharpe: { median: sorted[1]!, p25: (sorted[0]! + sorted[1]!) / 2, p75: (sorted[1]! + sorted[2]!) / 2, min: sorted[0]!, max: sorted[2]! },
        benchmarkSharpe: metrics(asset).sharpe,
        beatBenchmark: sharpes.filter((v) => v > metrics(asset).sharpe).length / 3,
      },
    } as CompareSummaryDoc['results'][string];
  }
  const trials = o.seeds ? [...seedRuns.map((x) => `half[x=1,2] seed ${x.seed}`), ...configurations.slice(1)] : configurations;
  const trialReturns = (t: string) => (o.seeds && t.startsWith('half[x=1,2] seed ') ? seedRuns.find((x) => t.endsWith(` ${x.seed}`))!.returns : returnsOf[t]!);
  const overfit = pbo({ returns: trials.map((t) => Float64Array.from(trialReturns(t), (r, i) => r - cash[i]!)), blocks: 16 });
  const summary: CompareSummaryDoc = {
    command: 'compare',
    dataset: 'fixture',
    frequency: 'monthly',
    period: { start: labels[0]!, end: labels[23]!, periods: 24 },
    configurations,
    results,
    benchmark: metrics(asset),
    verdicts: o.configurations
      ? configurations.map((c, k) => ({ configuration: c, beats: k === 1, text: `${c} verdict` }))
      : [
          { configuration: 'half[x=1,2]', beats: true, text: 'half beats <it>' },
          { configuration: 'rule', beats: false, text: 'rule does not' },
        ],
    trials: trials.length,
    seed: 1,
    conventions: { periodsPerYear: 12, cashRate: 0, costBps: 0, verdict: 'beats buy-and-hold when the p-value times the trials is below 0.05' },
    warnings: [],
    multipleTesting: {
      statistic: 'the mean per-period return difference against buy-and-hold',
      trials,
      realityCheck: { pValue: 0.04 },
      spa: { pValue: 0.03 },
      stepM: { rejected: o.seeds ? trials.slice(0, 2) : [trials[0]!] },
      blockLength: 1.5,
      samples: 100,
      pbo: { value: overfit.value, blocks: overfit.blocks, splits: overfit.splits, degradation: overfit.degradation },
    },
    jointVerdict: { beats: true, text: 'Taken together, the best beats <b>' },
  };
  const walk = (r: number[]) => ({ walk: { labels, assetReturns: asset, cashReturns: cash, strategyReturns: r, benchmarkReturns: asset } });
  return compareRecordFrom(
    {
      summary,
      runs: configurations.map((c) => walk(returnsOf[c]!)),
      ...(o.seeds ? { trials: trials.map((t) => ({ label: t, returns: trialReturns(t) })) } : {}),
    },
    { config: { seed: 1 }, data: { path: '/d.csv', sha256: 'ab'.repeat(32) }, version: '0.1.0' },
  );
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

/** The cells of a table's HTML with data attributes, in order. */
function cellsOf(text: string): { column: string; metric: string; value: string; benchmark: boolean }[] {
  return [...text.matchAll(/<td data-column="([^"]*)"( data-benchmark="true")? data-metric="([^"]*)" data-value="([^"]*)"/g)].map((m) => ({
    column: m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
    benchmark: m[2] !== undefined,
    metric: m[3]!,
    value: m[4]!,
  }));
}

describe('compare table and report', () => {
  const rec = record();
  const s = JSON.parse(JSON.stringify(rec.summary)) as CompareSummaryDoc;
  const all = allMetricsTable(s, 'buy-and-hold').text;
  const summary = compareTable(s, 'buy-and-hold').text;

  it('the all-metrics table holds each number as summary.json has it, dashes where a configuration has none', () => {
    expect(all).toContain('<td data-column="half[x=1,2]" data-metric="significance.sharpeDiffPValue" data-value="0.0004">&lt;0.001');
    expect(all).toContain('data-column="rule" data-metric="forecast.r2OutOfSample" data-value="null">n/a');
    expect(all).toContain('data-column="rule" data-metric="significance.sharpeDiffCI.0" data-value="-0.5">-0.50');
    // Buy-and-hold has metrics but no significance against itself; a rule has no forecast rows.
    expect(all).not.toMatch(/data-benchmark="true" data-metric="significance/);
    expect(all).not.toMatch(/data-column="half\[x=1,2\]" data-metric="forecast/);
    const cells = cellsOf(all);
    const expected = compareRows(s).reduce((n, r) => n + s.configurations.filter((l) => valueAt(s.results[l], r.path) !== undefined).length + (r.benchmark ? 1 : 0), 0);
    expect(cells.length).toBe(expected);
    for (const c of cells) expect(JSON.parse(c.value)).toEqual(valueAt(c.benchmark ? s.benchmark : s.results[c.column], c.metric));
  });

  it('the results table has a row per configuration, buy-and-hold pinned first in the heading, and the compact columns', () => {
    // Buy-and-hold's row is in <thead>, so sorting the body never moves it.
    const head = summary.slice(0, summary.indexOf('</thead>'));
    expect(head).toContain('<tr class="benchmark">');
    expect([...summary.matchAll(/<tr data-row="([^"]*)"/g)].map((m) => m[1])).toEqual(s.configurations);
    const cells = cellsOf(summary);
    const cols = summaryColumns(s);
    expect(cells.length).toBe(cols.reduce((n, c) => n + s.configurations.filter((l) => valueAt(s.results[l], c.path) !== undefined).length + (c.benchmark ? 1 : 0), 0));
    for (const c of cells) expect(JSON.parse(c.value)).toEqual(valueAt(c.benchmark ? s.benchmark : s.results[c.column], c.metric));
    // The verdict and StepM columns, from the summary's verdicts and multipleTesting.
    expect(summary).toMatch(/<tr data-row="half\[x=1,2\]" class="beats">.*<td class="verdict yes" data-sort-value="1">/);
    expect(summary).toMatch(/<tr data-row="rule">.*<td class="verdict no" data-sort-value="0">no<\/td>/);
    expect(summary).toMatch(/<tr data-row="half\[x=1,2\]".*<td class="stepm yes" data-sort-value="1" data-stepm="1">/);
    expect(summary).toMatch(/<tr data-row="rule">.*<td class="stepm no" data-sort-value="0" data-stepm="0">/);
    // Sortable headings: every column of a row has one, and its index is the cell's.
    const row = /<tr data-row="rule">(.*?)<\/tr>/.exec(summary)![1]!;
    const cellCount = (row.match(/<t[dh][ >]/g) ?? []).length;
    const indices = [...head.matchAll(/data-col="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: cellCount }, (_, i) => i));
  });

  it('says once the parameters a strategy’s configurations share, and keeps what varies', () => {
    const labels = ['nn[hidden=5 epochs=20]', 'nn[hidden=10 epochs=20]', 'sma[window=6]', 'ols'];
    const short = shortLabels(labels, 'row');
    expect(short.headings).toEqual(['nn[hidden=5]', 'nn[hidden=10]', 'sma[window=6]', 'ols']);
    expect(short.shared).toEqual([{ id: 'nn', params: ['epochs=20'] }]);
    expect(short.common).toEqual(['nn: epochs=20 in every row']);
    // Labels that would become alike stay whole.
    expect(shortLabels(['a[x=1 y=2]', 'a[x=1 y=2]']).headings).toEqual(['a[x=1 y=2]', 'a[x=1 y=2]']);
  });

  it('sorts the interval chart by the difference and rings what StepM rejects', () => {
    const spec = sharpeDiffChart(rec) as unknown as { data: { values: { configuration: string; diff: number; stepM: string }[] } };
    const values = spec.data.values;
    expect(values.map((v) => v.diff)).toEqual([...values.map((v) => v.diff)].sort((a, b) => b - a));
    expect(values[0]).toMatchObject({ configuration: 'half[x=1,2]', diff: 0.4, low: 0.1, high: 0.7 });
    const ringed = values.filter((v) => v.stepM.startsWith('StepM:')).map((v) => v.configuration);
    expect(ringed).toEqual(s.multipleTesting!.stepM.rejected);
    const page = buildCompareReport(rec);
    expect(page.includes('half beats &lt;it&gt;')).toBe(true);
    expect(page.includes('A configuration beats buy-and-hold when the p-value times the trials is below 0.05. Trials: 2 = 2 configurations in this compare;')).toBe(true);
    // The joint verdict before the configurations' own.
    expect(page.indexOf('data-joint="true"')).toBeGreaterThan(0);
    expect(page.indexOf('data-joint="true"')).toBeLessThan(page.indexOf('data-configuration='));
  });

  it('PBO’s histogram: its share of logits at or below 0 is the summary’s PBO, and the logits are CSCV’s, recomputed here', () => {
    const h = pboHistogram(rec)!;
    const total = h.bins.reduce((n, b) => n + b.count, 0);
    expect(total).toBe(12870);
    const overfit = h.bins.filter((b) => b.overfit).reduce((n, b) => n + b.count, 0);
    expect(overfit / total).toBe(rec.summary.multipleTesting!.pbo!.value);
    expect(h.bins.every((b) => (b.overfit ? b.hi <= 0 : b.lo >= 0))).toBe(true);
    // Independently: for two runs, the in-sample best is at or below the median out of sample when it is not strictly better there.
    const cashOf = cash;
    const excess = [half, asset].map((r) => r.map((v, i) => v - cashOf[i]!));
    const share = bruteForcePbo(excess, 16);
    expect(overfit / total).toBeCloseTo(share, 12);
  });

  it('draws each seed’s Sharpe ratio, the median and buy-and-hold’s', () => {
    const r = record({ seeds: true });
    const spec = seedsStripChart(r) as unknown as { layer: { name: string; data: { values: { sharpe?: number; seed?: number }[] } }[] };
    const seeds = spec.layer.find((l) => l.name === 'seed')!.data.values;
    expect(seeds.map((p) => p.seed)).toEqual([42, 43, 44]);
    expect(seeds.map((p) => p.sharpe)).toEqual(r.summary.results['half[x=1,2]']!.seeds!.runs.map((x) => Number(x.sharpe.toPrecision(6))));
    expect(spec.layer.find((l) => l.name === 'benchmark')!.data.values[0]!.sharpe).toBeCloseTo(r.summary.benchmark.sharpe, 5);
    expect(seedsStripChart(rec)).toBeUndefined();
    // StepM counts a stochastic configuration's seeds.
    expect(stepMOf(r.summary, 'half[x=1,2]')).toEqual({ rejected: 2, of: 3 });
  });

  it('a summary without the joint tests (an older folder) still makes a page: no StepM column, no PBO histogram, no joint box', () => {
    const r = record();
    const { multipleTesting: _, jointVerdict: __, ...older } = r.summary;
    const old = { ...r, summary: older as CompareSummaryDoc };
    expect(pboHistogram(old)).toBeUndefined();
    const page = buildCompareReport(old);
    expect(page).not.toContain('data-joint="true"');
    expect(page).not.toContain('class="stepm');
    expect(page).not.toContain('id="chart-pbo"');
    expect(page).toContain('id="chart-sharpe-diff"');
    expect(page).toContain('data-configuration="rule"');
  });

  it('the growth chart draws the best few by Sharpe ratio, and a slider for the rest', () => {
    const labels7 = Array.from({ length: 7 }, (_, k) => `half[x=${k}]`);
    const r = record({ configurations: labels7 });
    const spec = growthChart(r, 'buy-and-hold') as unknown as {
      params?: { value: number; bind: { max: number } }[];
      transform: { from?: { data: { values: { name: string; rank: number; configuration: string }[] } } }[];
    };
    expect(spec.params![0]!.value).toBe(GROWTH_SHOWN);
    expect(spec.params![0]!.bind.max).toBe(7);
    const series = spec.transform.find((t) => t.from)!.from!.data.values;
    const bySharpe = [...labels7].sort((a, b) => r.summary.results[b]!.sharpe - r.summary.results[a]!.sharpe);
    expect(series.filter((x) => x.rank > 0).map((x) => x.configuration)).toEqual(bySharpe);
    expect(growthChart(rec, 'buy-and-hold')).not.toHaveProperty('params');
  });
});

/** CSCV's PBO for the per-period Sharpe ratio, the slow way: every split, each run's Sharpe ratio on the rows of its blocks. */
function bruteForcePbo(returns: number[][], blocks: number): number {
  const t = returns[0]!.length;
  const len = Math.floor(t / blocks);
  const offset = t - blocks * len;
  const sharpe = (rows: number[]) => {
    const m = rows.reduce((a, b) => a + b, 0) / rows.length;
    const sd = Math.sqrt(rows.reduce((a, b) => a + (b - m) ** 2, 0) / (rows.length - 1));
    return sd > 0 ? m / sd : NaN;
  };
  let overfit = 0;
  let splits = 0;
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === blocks / 2) {
      splits++;
      const train = new Set(chosen);
      const rowsOf = (r: number[], inTrain: boolean) => r.filter((_, i) => i >= offset && train.has(Math.floor((i - offset) / len)) === inTrain);
      const is = returns.map((r) => sharpe(rowsOf(r, true)));
      const oos = returns.map((r) => sharpe(rowsOf(r, false)));
      let best = 0;
      for (let k = 1; k < is.length; k++) if (is[k]! > is[best]!) best = k;
      const below = oos.filter((v, k) => k !== best && v < oos[best]!).length;
      const equal = oos.filter((v, k) => k !== best && v === oos[best]!).length;
      const w = (1 + below + equal / 2) / (returns.length + 1);
      if (Math.log(w / (1 - w)) <= 0) overfit++;
      return;
    }
    for (let b = start; b < blocks; b++) pick(b + 1, [...chosen, b]);
  };
  pick(0, []);
  return overfit / splits;
}
