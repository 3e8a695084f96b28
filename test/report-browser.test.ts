/**
 * The HTML report of real runs, opened in headless Chromium with the network cut off: every
 * chart draws, nothing logs an error, the metrics table says what summary.json says, and the
 * file stays small. Needs Chromium at /usr/bin/chromium (CI installs it;
 * locally `apt-get install chromium`), or CHROMIUM_PATH.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openOffline } from './browser';
import { silentProgress } from '@backtest/core';
import { loadStrategyRegistry, type RunSettings, resolveSettings, runJob } from '@backtest/api';
import { METRIC_ROWS, runRecordFrom, writeRunFolder } from '@backtest/report';
import { chartJson, itWithRealData, readCsv, root } from './helpers';
import { plainVarEs } from './plain-metrics';
import { RUN_CHARTS, SHORT_RUN_CHARTS, UNIVERSE_CHARTS } from '../packages/report/src/__fixtures__/record';

const out = mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  // Screenshots stay for a reader to look at; the run folders go.
  for (const f of ['sma', 'ols-sma', 'nn-sma', 'universe', 'short', 'daily']) rmSync(path.join(out, f), { recursive: true, force: true });
});

async function runFolder(strategy: string, params: Record<string, string> = {}, more: Partial<RunSettings> = {}, name = strategy) {
  const settings = resolveSettings(root, undefined, { strategy, params, ...more });
  const outcome = await runJob(settings, loadStrategyRegistry(), root, silentProgress);
  const record = runRecordFrom(outcome, { config: { ...settings }, version: '0.1.0', createdAt: new Date('2026-01-01T00:00:00Z') });
  const written = writeRunFolder(record, path.join(out, name));
  return { dir: written.dir, record };
}

interface OpenedReport {
  consoleErrors: string[];
  blocked: string[];
  charts: { id: string; rendered: boolean; marks: number; svg: boolean }[];
  /** The price chart's text (title, legend, axes). */
  priceText: string;
  cells: { strategy: string; metric: string; value: string; text: string }[];
  /** Each row of the tearsheet tables (by the table's class): its cells by data-metric, a number's data-value or else the text. */
  tables: Record<'drawdowns' | 'yearly' | 'trades', Record<string, string>[]>;
  /** The next-position line's attributes, or null when the page has none. */
  signal: { asOf: string; weight: string } | null;
  /** The text of the page's notes and sections (without the charts). */
  text: string;
  html: string;
}

async function openReport(file: string, screenshot: string): Promise<OpenedReport> {
  const { page, errors: consoleErrors, blocked } = await openOffline(browser, file);
  const charts = await page.$$eval('[data-chart]', (boxes) =>
    boxes.map((b) => ({
      id: b.getAttribute('data-chart')!,
      rendered: b.getAttribute('data-rendered') === 'true',
      svg: !!b.querySelector('svg'),
      // Drawn data marks (not axes): paths and rects inside Vega's mark groups.
      marks: b.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark line').length,
    })),
  );
  const priceText = await page.$$eval('[data-chart="price"]', (b) => b[0]?.textContent ?? '');
  // Each body row: its cells by data-metric, a number's data-value or else the cell's text.
  const rowsOf = (cls: string) =>
    page.$$eval(`table.data.${cls} tbody tr`, (trs) =>
      trs.map((tr) =>
        Object.fromEntries(
          Array.from(tr.querySelectorAll('[data-metric]') as ArrayLike<{ getAttribute(name: string): string | null; textContent: string | null }>, (c) => [
            c.getAttribute('data-metric')!,
            c.getAttribute('data-value') ?? (c.textContent ?? '').trim(),
          ]),
        ),
      ),
    );
  const tables = { drawdowns: await rowsOf('drawdowns'), yearly: await rowsOf('yearly'), trades: await rowsOf('trades') };
  const signal = await page.$$eval('p.signal', (ps) =>
    ps[0] ? { asOf: ps[0].getAttribute('data-value') ?? '', weight: ps[0].querySelector('[data-metric="signal.weight"]')?.getAttribute('data-value') ?? '' } : null,
  );
  const text = await page.$eval('main', (m) => m.textContent ?? '');
  const cells = await page.$$eval('table.metrics td[data-metric]', (tds) =>
    tds.map((td) => ({
      strategy: td.getAttribute('data-strategy')!,
      metric: td.getAttribute('data-metric')!,
      value: td.getAttribute('data-value')!,
      text: td.textContent!.replace('▲', '').trim(),
    })),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { consoleErrors, blocked, charts, priceText, cells, tables, signal, text, html: readFileSync(file, 'utf8') };
}

// ---- Independent recomputation from the folder's CSV files, in plain code. ----

interface Folder {
  labels: string[];
  strategy: number[];
  benchmark: number[];
  /** positions.csv: every row's label, and the weight column (one series only). */
  rowLabels: string[];
  weights?: Map<string, number>;
  summary: { results: Record<string, Record<string, number | null>>; conventions: Record<string, unknown>; signal?: { asOf: string; weight: number } };
}

function readFolder(dir: string): Folder {
  const r = readCsv(path.join(dir, 'returns.csv'));
  const col = (name: string) => r.header.indexOf(name);
  const p = readCsv(path.join(dir, 'positions.csv'));
  const w = p.header.indexOf('weight');
  return {
    labels: r.rows.map((x) => x[0]!),
    strategy: r.rows.map((x) => Number(x[col('strategy_return')])),
    benchmark: r.rows.map((x) => Number(x[col('buy_and_hold_return')])),
    rowLabels: p.rows.map((x) => x[0]!),
    ...(w >= 0 ? { weights: new Map(p.rows.filter((x) => x[w] !== '').map((x) => [x[0]!, Number(x[w])])) } : {}),
    summary: JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')),
  };
}

/** Every drawdown episode of the equity curve started at 1: first period below the high, trough, recovery, depth, periods to recovery (or the end). */
function plainDrawdowns(labels: string[], r: number[]) {
  const out: { start: string; trough: string; recovery: string; depth: number; periods: number }[] = [];
  let e = 1;
  let high = 1;
  let highAt = 0;
  let cur: { start: string; trough: string; depth: number; peak: number } | undefined;
  r.forEach((x, i) => {
    e *= 1 + x;
    if (e >= high) {
      if (cur) out.push({ start: cur.start, trough: cur.trough, recovery: labels[i]!, depth: cur.depth, periods: i + 1 - cur.peak });
      cur = undefined;
      high = e;
      highAt = i + 1;
    } else if (!cur) cur = { start: labels[i]!, trough: labels[i]!, depth: e / high - 1, peak: highAt };
    else if (e / high - 1 < cur.depth) {
      cur.depth = e / high - 1;
      cur.trough = labels[i]!;
    }
  });
  if (cur) out.push({ start: cur.start, trough: cur.trough, recovery: 'not recovered', depth: cur.depth, periods: r.length - cur.peak });
  return out.sort((a, b) => a.depth - b.depth).slice(0, 5);
}

/** Calendar groups of the periods by label prefix (4: years, 7: months), compounded. */
function compound(labels: string[], r: number[], width: number) {
  const m = new Map<string, { g: number; n: number }>();
  labels.forEach((l, i) => {
    const k = l.slice(0, width);
    const v = m.get(k) ?? { g: 1, n: 0 };
    v.g *= 1 + r[i]!;
    v.n++;
    m.set(k, v);
  });
  return [...m].map(([key, v]) => ({ key, value: v.g - 1, periods: v.n }));
}

/** Checks the page's tearsheet tables and tail-risk cells against the folder's CSV files; returns how many numbers it compared. */
function expectTearsheetMatchesFolder(r: OpenedReport, dir: string, o: { trades: boolean }) {
  const f = readFolder(dir);
  let checked = 0;
  const close = (a: string | undefined, b: number) => {
    expect(Number(a)).toBeCloseTo(b, 12);
    checked++;
  };
  // Worst drawdowns: the brute force's five, the first the summary's max drawdown and its duration.
  const dd = plainDrawdowns(f.labels, f.strategy);
  expect(r.tables.drawdowns.map((d) => [d.start, d.trough, d.recovery, Number(d.periods)])).toEqual(dd.map((d) => [d.start, d.trough, d.recovery, d.periods]));
  r.tables.drawdowns.forEach((d, k) => close(d.depth, dd[k]!.depth));
  const strategyId = Object.keys(f.summary.results)[0]!;
  expect(Number(r.tables.drawdowns[0]!.depth)).toBe(f.summary.results[strategyId]!.maxDrawdown);
  expect(Number(r.tables.drawdowns[0]!.periods)).toBe(f.summary.results[strategyId]!.maxDrawdownPeriods);
  // Yearly: compounded within each year; partial: the row before the first period is in the same year, or the last period does not end December.
  const ys = compound(f.labels, f.strategy, 4);
  const yb = compound(f.labels, f.benchmark, 4);
  expect(r.tables.yearly.map((y) => y.year)).toEqual(ys.map((y) => y.key));
  const before = f.rowLabels[f.rowLabels.indexOf(f.labels[0]!) - 1]!;
  const last = f.labels[f.labels.length - 1]!;
  r.tables.yearly.forEach((y, k) => {
    close(y.strategy, ys[k]!.value);
    close(y.benchmark, yb[k]!.value);
    expect(Number(y.periods)).toBe(ys[k]!.periods);
    const firstPartial = k === 0 && before.slice(0, 4) === y.year;
    const lastPartial = k === ys.length - 1 && !(last.slice(5, 7) === '12' && (last.length === 7 || Number(last.slice(8)) >= 25));
    expect({ year: y.year, partial: y.partial === 'partial' }).toEqual({ year: y.year, partial: firstPartial || lastPartial });
  });
  // VaR and ES of both columns, from the returns.
  for (const [id, series] of [
    [strategyId, f.strategy],
    ['buy-and-hold', f.benchmark],
  ] as const) {
    const { q, es } = plainVarEs(series);
    close(r.cells.find((c) => c.strategy === id && c.metric === 'valueAtRisk95')?.value, q);
    close(r.cells.find((c) => c.strategy === id && c.metric === 'expectedShortfall95')?.value, es);
  }
  // The trades of a long/flat run: runs of weight > 0, compounded, the exit's cost applied.
  if (o.trades) {
    const cost = Number(f.summary.conventions.costBps ?? 0) / 10_000;
    const w = f.labels.map((l) => f.weights!.get(l)!);
    const trips: { entry: string; exit: string; periods: number; ret: number }[] = [];
    for (let i = 0; i < w.length; ) {
      if (!(w[i]! > 0)) {
        i++;
        continue;
      }
      const start = i;
      let g = 1;
      while (i < w.length && w[i]! > 0) g *= 1 + f.strategy[i++]!;
      const open = i === w.length;
      trips.push({ entry: f.labels[start]!, exit: open ? 'open' : f.labels[i - 1]!, periods: i - start, ret: g * (open ? 1 : 1 - cost * w[i - 1]!) - 1 });
    }
    const shown = trips.slice(-20).reverse();
    expect(r.tables.trades.map((t) => [t.entry, t.exit, Number(t.periods)])).toEqual(shown.map((t) => [t.entry, t.exit, t.periods]));
    r.tables.trades.forEach((t, k) => close(t.return, shown[k]!.ret));
    expect(r.html.includes(`<span data-metric="trades" data-value="${trips.length}">`)).toBe(true);
  } else expect(r.tables.trades).toEqual([]);
  // The next position, as the summary has it.
  expect(r.signal).toEqual(f.summary.signal ? { asOf: f.summary.signal.asOf, weight: String(f.summary.signal.weight) } : null);
  return checked;
}

/** One chart's detached datasets, as the page holds them. */
function chartData(page: string, id: string): Record<string, unknown>[][] {
  const { data } = chartJson(page);
  return Object.keys(data)
    .filter((k) => k.startsWith(`${id}__`))
    .map((k) => data[k]!);
}

/** The distribution chart's bars hold each series' months on shared bins; the heatmap's year column, each year compounded. */
function expectChartNumbersMatchFolder(page: string, dir: string) {
  const f = readFolder(dir);
  const bars = chartData(page, 'returns-distribution').flat() as { series: string; lo: number; hi: number; n: number }[];
  const names = [...new Set(bars.map((b) => b.series))];
  [f.strategy, f.benchmark].forEach((series, j) => {
    const months = compound(f.labels, series, 7).map((m) => m.value);
    const mine = bars.filter((b) => b.series === names[j]);
    expect(mine.reduce((a, b) => a + b.n, 0)).toBe(months.length);
    // Bin edges are rounded to 6 digits in the page: a month within 1e-9 of an edge could go either way; none is.
    for (const b of mine) expect({ lo: b.lo, n: b.n }).toEqual({ lo: b.lo, n: months.filter((m) => m >= b.lo - 1e-9 && m < b.hi - 1e-9).length });
  });
  const years = compound(f.labels, f.strategy, 4);
  const cells = (chartData(page, 'heatmap').flat() as { y: string; m: string; r: number }[]).filter((c) => c.m === 'Year');
  expect(cells.map((c) => c.y)).toEqual(years.map((y) => y.key));
  cells.forEach((c, k) => expect(Math.abs(c.r - years[k]!.value)).toBeLessThanOrEqual(1e-5 * Math.max(1e-3, Math.abs(years[k]!.value))));
  return bars.filter((b) => b.n > 0).length;
}

const drawnAll = (r: OpenedReport) => {
  for (const c of r.charts) expect({ id: c.id, rendered: c.rendered, svg: c.svg, drawn: c.marks > 0 }).toEqual({ id: c.id, rendered: true, svg: true, drawn: true });
};

function expectTableMatchesSummary(cells: OpenedReport['cells'], summaryFile: string) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { results: Record<string, Record<string, unknown>> };
  const format = new Map(METRIC_ROWS.map((r) => [String(r.key), r.format]));
  let checked = 0;
  for (const c of cells) {
    const [head, sub] = c.metric.split('.');
    const result = summary.results[c.strategy]!;
    const expected = sub ? (result[head!] as Record<string, unknown>)[sub] : result[head!];
    // data-value is the number as summary.json holds it (null for an undefined metric).
    expect({ metric: c.metric, strategy: c.strategy, value: JSON.parse(c.value) }).toEqual({ metric: c.metric, strategy: c.strategy, value: expected });
    const f = format.get(c.metric);
    if (f) expect({ metric: c.metric, text: c.text }).toEqual({ metric: c.metric, text: f(expected as number) });
    checked++;
  }
  return checked;
}

describe('HTML report in a browser', () => {
  it('sma over 55 years: every chart draws with no network, no console error, and the table equals summary.json', async () => {
    const { dir, record } = await runFolder('sma');
    const file = path.join(dir, 'report.html');
    const bytes = statSync(file).size;
    const shot = path.join(out, 'report-sma.png');
    const r = await openReport(file, shot);
    expect(record.periods.labels.length).toBeGreaterThan(600);
    expect(r.consoleErrors).toEqual([]);
    expect(r.blocked).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(RUN_CHARTS);
    // The SMA the strategy declared, named in the legend.
    expect(r.priceText).toContain('sp500 with its 10-month SMA');
    expect(r.priceText).toContain('10-month SMA');
    for (const c of r.charts) expect({ id: c.id, rendered: c.rendered, svg: c.svg, drawn: c.marks > 0 }).toEqual({ id: c.id, rendered: true, svg: true, drawn: true });
    // Every metric of both columns: every row x 2 strategies.
    expect(expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'))).toBe(METRIC_ROWS.length * 2);
    // The tearsheet: 5 drawdowns, 56 years x 2, VaR/ES x 2, 20 trades.
    expect(expectTearsheetMatchesFolder(r, dir, { trades: true })).toBeGreaterThan(5 + 2 * 50 + 4 + 20);
    expect(r.tables.drawdowns).toHaveLength(5);
    expect(r.tables.trades).toHaveLength(20);
    expect(r.signal).not.toBeNull();
    const bins = expectChartNumbersMatchFolder(r.html, dir);
    // A drawn bar per non-empty bin of each series; a cell per month and year of the heatmap; a line each for the rolling charts.
    const marks = (id: string) => r.charts.find((c) => c.id === id)!.marks;
    expect(marks('returns-distribution')).toBeGreaterThanOrEqual(bins);
    expect(marks('heatmap')).toBeGreaterThanOrEqual(record.periods.labels.length + 56);
    expect(marks('rolling-volatility')).toBeGreaterThanOrEqual(2);
    expect(marks('rolling-beta')).toBeGreaterThanOrEqual(1);
    // Both drawdowns: the strategy's area and line, the benchmark's line.
    expect(marks('drawdown')).toBeGreaterThanOrEqual(3);
    // Rolling volatility and beta, recomputed from returns.csv (6 significant digits in the page).
    const f = readFolder(dir);
    const sd = (x: number[]) => {
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
    };
    const vol = chartData(r.html, 'rolling-volatility').flat() as Record<string, number | string | null>[];
    const beta = chartData(r.html, 'rolling-beta').flat() as Record<string, number | string | null>[];
    let rolled = 0;
    f.labels.forEach((l, i) => {
      const v = vol.find((x) => x.t === l)?.sma;
      if (i >= 11 && typeof v === 'number') {
        expect(Math.abs(v - sd(f.strategy.slice(i - 11, i + 1)) * Math.sqrt(12))).toBeLessThan(1e-5 * v + 1e-12);
        rolled++;
      }
      const b = beta.find((x) => x.t === l)?.['sma beta'];
      if (i >= 35 && typeof b === 'number') {
        const s = f.strategy.slice(i - 35, i + 1);
        const m = f.benchmark.slice(i - 35, i + 1);
        const ms = s.reduce((a, x) => a + x, 0) / 36;
        const mb = m.reduce((a, x) => a + x, 0) / 36;
        const slope = s.reduce((a, x, k) => a + (x - ms) * (m[k]! - mb), 0) / m.reduce((a, x) => a + (x - mb) ** 2, 0);
        expect(Math.abs(b - slope)).toBeLessThan(1e-5 * Math.abs(slope) + 1e-9);
        rolled++;
      }
    });
    expect(rolled).toBeGreaterThan(1200);
    // The growth chart's log axis: round ticks, 1 among them.
    const specs = chartJson(r.html).specs as { equity: { layer: { encoding: { y: unknown } }[] } };
    const y = specs.equity.layer[0]!.encoding.y as { scale: { domain: [number, number] }; axis: { values: number[] } };
    const [lo, hi] = y.scale.domain;
    // Every 1-2-5 value in the domain (few decades here, so all of them), and the domain holds the start value 1.
    const round = [-2, -1, 0, 1, 2, 3, 4].flatMap((e) => [1, 2, 5].map((m) => Number((m * 10 ** e).toPrecision(1)))).filter((v) => v >= lo / 1.0001 && v <= hi * 1.0001);
    expect(lo).toBeLessThanOrEqual(1);
    expect(y.axis.values).toEqual(round);
    expect(y.axis.values).toContain(1);
    expect(bytes).toBeLessThan(2_000_000);
    const html = readFileSync(file, 'utf8');
    // Booleans: a failing match would print the whole 1 MB page.
    expect(/<noscript>[^<]*<p[^>]*>The charts of this page are drawn by JavaScript/.test(html)).toBe(true);
    expect(/<(script|link|img|iframe)[^>]+(src|href)=/i.test(html)).toBe(false);
  });

  it('ols-sma (a forecast strategy) adds forecast charts and forecast-quality rows', async () => {
    const { dir } = await runFolder('ols-sma');
    const r = await openReport(path.join(dir, 'report.html'), path.join(out, 'report-ols-sma.png'));
    expect(r.consoleErrors).toEqual([]);
    expect(r.blocked).toEqual([]);
    const ids = r.charts.map((c) => c.id);
    expect(ids).toEqual([...RUN_CHARTS, 'forecast-level', 'forecast-return']);
    drawnAll(r);
    expect(r.cells.some((c) => c.metric === 'forecast.rmse')).toBe(true);
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
    expectTearsheetMatchesFolder(r, dir, { trades: true });
  });

  it('nn-sma (trained networks) adds the training and validation loss chart', async () => {
    // Few fits and epochs keep it quick; the chart does not depend on the size.
    const { dir, record } = await runFolder('nn-sma', { epochs: '8', refit: '120', validation: '0.2' });
    expect(record.training!.some((t) => t.valLoss !== undefined)).toBe(true);
    const r = await openReport(path.join(dir, 'report.html'), path.join(out, 'report-nn-sma.png'));
    expect(r.consoleErrors).toEqual([]);
    expect(r.blocked).toEqual([]);
    // nn-sma's feature SMA is drawn over the price.
    expect(r.priceText).toContain('10-month SMA');
    const training = r.charts.find((c) => c.id === 'training');
    expect(training).toEqual({ id: 'training', rendered: true, svg: true, marks: expect.any(Number) });
    expect(training!.marks).toBeGreaterThan(2);
    drawnAll(r);
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
    expectTearsheetMatchesFolder(r, dir, { trades: true });
  });

  it('a universe run (sma over sp500, ndx, gold) draws every chart with no console error; its tables match its files, and it has no trade list', async () => {
    const { dir } = await runFolder('sma', {}, { universe: ['sp500', 'ndx', 'gold'] }, 'universe');
    const r = await openReport(path.join(dir, 'report.html'), path.join(out, 'report-universe.png'));
    expect(r.consoleErrors).toEqual([]);
    expect(r.blocked).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(UNIVERSE_CHARTS);
    drawnAll(r);
    expect(expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'))).toBe(METRIC_ROWS.length * 2);
    expectTearsheetMatchesFolder(r, dir, { trades: false });
    expect(r.text).toContain('No trade list for a universe');
    expectChartNumbersMatchFolder(r.html, dir);
  });

  it('a run of 14 months (25 bp costs) draws no rolling 36-month charts and says so; the others draw, and its trades pay the costs', async () => {
    const { dir, record } = await runFolder('sma', {}, { from: '2019-01', to: '2020-12', costBps: 25 }, 'short');
    expect(record.periods.labels.length).toBeLessThan(36);
    const r = await openReport(path.join(dir, 'report.html'), path.join(out, 'report-short.png'));
    expect(r.consoleErrors).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(SHORT_RUN_CHARTS);
    drawnAll(r);
    expect(r.text).toContain('Not drawn: rolling 36-month Sharpe ratio and beta (36 periods)');
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
    expectTearsheetMatchesFolder(r, dir, { trades: true });
    expectChartNumbersMatchFolder(r.html, dir);
  });

  // The daily file is real data (not in the repository: a fresh clone alone has its month-end extract only).
  itWithRealData('a daily run: months of days in the distribution and heatmap, 12- and 36-month windows of 252 and 756 days, the most recent 20 of its trades', async () => {
    const { dir, record } = await runFolder('sma', {}, { dataset: 'sp500-daily' }, 'daily');
    expect(record.periods.labels.length).toBeGreaterThan(10_000);
    const r = await openReport(path.join(dir, 'report.html'), path.join(out, 'report-daily.png'));
    expect(r.consoleErrors).toEqual([]);
    expect(r.blocked).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(RUN_CHARTS);
    drawnAll(r);
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
    expectTearsheetMatchesFolder(r, dir, { trades: true });
    expect(r.tables.trades).toHaveLength(20);
    expectChartNumbersMatchFolder(r.html, dir);
    expect(statSync(path.join(dir, 'report.html')).size).toBeLessThan(3_000_000);
  });
});
