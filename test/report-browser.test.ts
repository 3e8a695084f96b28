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
import { loadStrategyRegistry, resolveSettings, runJob } from '@backtest/api';
import { METRIC_ROWS, runRecordFrom, writeRunFolder } from '@backtest/report';
import { root } from './helpers';

const out = mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  // Screenshots stay for a reader to look at; the run folders go.
  for (const f of ['sma', 'ols-sma', 'nn-sma']) rmSync(path.join(out, f), { recursive: true, force: true });
});

async function runFolder(strategy: string, params: Record<string, string> = {}) {
  const settings = resolveSettings(root, undefined, { strategy, params });
  const outcome = await runJob(settings, loadStrategyRegistry(), root, silentProgress);
  const record = runRecordFrom(outcome, { config: { ...settings }, version: '0.1.0', createdAt: new Date('2026-01-01T00:00:00Z') });
  const written = writeRunFolder(record, path.join(out, strategy));
  return { dir: written.dir, record };
}

interface OpenedReport {
  consoleErrors: string[];
  blocked: string[];
  charts: { id: string; rendered: boolean; marks: number; svg: boolean }[];
  /** The price chart's text (title, legend, axes). */
  priceText: string;
  cells: { strategy: string; metric: string; value: string; text: string }[];
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
  const priceText = await page.$eval('[data-chart="price"]', (b) => b.textContent ?? '');
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
  return { consoleErrors, blocked, charts, priceText, cells };
}

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
    expect(r.charts.map((c) => c.id)).toEqual(['equity', 'drawdown', 'price', 'rolling-sharpe', 'heatmap']);
    // The SMA the strategy declared, named in the legend.
    expect(r.priceText).toContain('sp500 with its 10-month SMA');
    expect(r.priceText).toContain('10-month SMA');
    for (const c of r.charts) expect({ id: c.id, rendered: c.rendered, svg: c.svg, drawn: c.marks > 0 }).toEqual({ id: c.id, rendered: true, svg: true, drawn: true });
    // Every metric of both columns: 15 rows x 2 strategies.
    expect(expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'))).toBe(METRIC_ROWS.length * 2);
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
    expect(ids).toEqual(expect.arrayContaining(['equity', 'drawdown', 'price', 'rolling-sharpe', 'heatmap', 'forecast-level', 'forecast-return']));
    for (const c of r.charts) expect({ id: c.id, rendered: c.rendered, drawn: c.marks > 0 }).toEqual({ id: c.id, rendered: true, drawn: true });
    expect(r.cells.some((c) => c.metric === 'forecast.rmse')).toBe(true);
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
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
    expectTableMatchesSummary(r.cells, path.join(dir, 'summary.json'));
  });
});
