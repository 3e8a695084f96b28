/**
 * The compare report at 50 configurations and with --seeds, through the built CLI, in headless
 * Chromium with the network cut off: at a 1400-pixel-wide window the page does not scroll
 * sideways and the results table fits, one line a row; the interval chart has a row per
 * configuration, sorted by the difference, with StepM's ringed; sorting by a column orders the
 * rows by the numbers of summary.json; the growth chart draws the best five and buy-and-hold
 * until the slider asks for all; the seeds chart draws every seed. Needs Chromium at
 * /usr/bin/chromium (or CHROMIUM_PATH), like compare-report.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shortLabels, summaryColumns, valueAt } from '@backtest/report';
import { chartMarks, launchChromium, openOffline } from './browser';
import { backtest, runsDir } from './helpers';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Result {
  sharpe: number;
  significance: { sharpeDiff: number };
  seeds?: { n: number; runs: { seed: number; sharpe: number }[]; sharpe: { median: number } };
  [k: string]: unknown;
}

interface Summary {
  configurations: string[];
  results: Record<string, Result>;
  benchmark: Record<string, unknown> & { sharpe: number };
  verdicts: { configuration: string; beats: boolean; text: string }[];
  jointVerdict: { beats: boolean; text: string };
  multipleTesting: { trials: string[]; stepM: { rejected: string[] }; pbo?: { value: number } };
}

const VIEWPORT = { width: 1400, height: 900 };

function compare(args: string[], name: string): { dir: string; summary: Summary } {
  const dir = path.join(runsDir, name);
  const r = backtest(['compare', ...args, '--out', dir], { timeout: 180_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { dir, summary: JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary };
}

/** Marks drawn in each chart, by kind (chartMarks), by chart id. */
async function marks(page: Page) {
  return Object.fromEntries((await chartMarks(page)).map((c) => [c.id, c]));
}

/** The numeric cells of the results table: each one's number must be summary.json's, its text its column's format of it. */
async function checkCells(page: Page, summary: Summary) {
  const cells = await page.$$eval('#results td[data-metric]', (tds) =>
    tds.map((td) => ({
      column: td.getAttribute('data-column')!,
      benchmark: td.getAttribute('data-benchmark') === 'true',
      metric: td.getAttribute('data-metric')!,
      value: td.getAttribute('data-value')!,
      text: td.textContent!.replace('▲', '').trim(),
    })),
  );
  const formats = new Map(summaryColumns(summary as never).map((c) => [c.path, c.format]));
  for (const cell of cells) {
    const expected = valueAt(cell.benchmark ? summary.benchmark : summary.results[cell.column], cell.metric);
    expect({ column: cell.column, metric: cell.metric, value: JSON.parse(cell.value) }).toEqual({ column: cell.column, metric: cell.metric, value: expected });
    expect({ metric: cell.metric, text: cell.text }).toEqual({ metric: cell.metric, text: formats.get(cell.metric)!(expected as number) });
  }
  return cells;
}

/** The y-axis labels of a chart, top to bottom. */
function rowLabels(page: Page, chart: string) {
  return page.$$eval(`[data-chart="${chart}"] svg .role-axis-label text`, (texts) =>
    texts
      .map((t) => ({ text: t.textContent!, top: t.getBoundingClientRect().top, left: t.getBoundingClientRect().left }))
      // The y axis' labels stand left of the plot, one per row; the x axis' share one line.
      .filter((t, _, all) => t.left < Math.min(...all.map((a) => a.left)) + 200 && all.filter((a) => Math.abs(a.top - t.top) < 1).length === 1)
      .sort((a, b) => a.top - b.top)
      .map((t) => t.text),
  );
}

describe('compare report at 50 configurations', () => {
  it('fits a 1400-pixel window, sorts, and draws a row per configuration', async () => {
    const windows = Array.from({ length: 50 }, (_, i) => i + 2);
    const { dir, summary } = compare(['--strategies', 'sma', '--grid', `sma:window=${windows.join('|')}`, '--samples', '200'], 'compare-wide');
    const configs = summary.configurations;
    expect(configs.length).toBe(50);
    const { page, errors, blocked } = await openOffline(browser, path.join(dir, 'report.html'), VIEWPORT);

    // No sideways scroll of the page; the table inside the window, each row one line high.
    // As a string: the tests are compiled without the DOM's types.
    const layout = (await page.evaluate(`(() => {
      const table = document.querySelector('#results');
      const rows = [...table.querySelectorAll('tbody tr')].map((tr) => tr.getBoundingClientRect().height);
      const line = Number.parseFloat(getComputedStyle(table.querySelector('tbody td')).lineHeight);
      return { scrollWidth: document.documentElement.scrollWidth, right: table.getBoundingClientRect().right, rows, line };
    })()`)) as { scrollWidth: number; right: number; rows: number[]; line: number };
    expect(layout.scrollWidth).toBeLessThanOrEqual(VIEWPORT.width);
    expect(layout.right).toBeLessThanOrEqual(VIEWPORT.width);
    expect(layout.rows.length).toBe(50);
    expect(Math.max(...layout.rows)).toBeLessThan(2 * layout.line);

    const cells = await checkCells(page, summary);
    expect(cells.filter((c) => c.metric === 'significance.sharpeDiff').length).toBe(50);
    // The joint verdict is said first; the 50 verdicts are folded away.
    expect(await page.$eval('.joint .text', (e) => e.textContent)).toBe(summary.jointVerdict.text);
    expect(await page.$eval('details.verdicts', (d) => d.hasAttribute('open'))).toBe(false);
    expect(await page.$$eval('ul.verdicts li', (lis) => lis.length)).toBe(50);

    // Unfolded, the all-metrics table scrolls inside its box, and the 50 verdicts take no width: the page still does not scroll sideways.
    await page.click('details.all-metrics > summary');
    await page.click('details.verdicts > summary');
    const opened = (await page.evaluate(
      `({ scrollWidth: document.documentElement.scrollWidth, box: document.querySelector('details.all-metrics .table-scroll').getBoundingClientRect().right, rows: document.querySelectorAll('#all-metrics tbody tr').length })`,
    )) as { scrollWidth: number; box: number; rows: number };
    expect(opened.rows).toBe(50);
    expect(opened.scrollWidth).toBeLessThanOrEqual(VIEWPORT.width);
    expect(opened.box).toBeLessThanOrEqual(VIEWPORT.width);

    // The interval chart: a point, an interval and two ticks per configuration, the zero line, StepM's ringed; sorted by the difference.
    const m = await marks(page);
    expect(m['sharpe-diff']).toMatchObject({ rendered: true, points: 50, rules: 51, rects: 100 });
    expect(m['sharpe-diff']!.rings).toBe(summary.multipleTesting.stepM.rejected.length);
    const short = new Map(configs.map((l, i) => [l, shortLabels(configs).headings[i]!]));
    const byDiff = [...configs].sort((a, b) => summary.results[b]!.significance.sharpeDiff - summary.results[a]!.significance.sharpeDiff);
    expect(await rowLabels(page, 'sharpe-diff')).toEqual(byDiff.map((l) => short.get(l)));
    expect(m.pbo).toMatchObject({ rendered: true });
    // PBO over the 50: a bar per bin of the histogram, whose share of splits at or below 0 is summary.json's.
    const data = JSON.parse(await page.$eval('#chart-data', (el) => el.textContent!)) as Record<string, { lo?: number; hi?: number; count?: number }[]>;
    const bins = Object.entries(data).find(([k, v]) => k.startsWith('pbo__') && v[0]?.count !== undefined)![1];
    expect(m.pbo!.rects).toBe(bins.length);
    const splits = bins.reduce((n, b) => n + b.count!, 0);
    expect(bins.filter((b) => b.hi! <= 0).reduce((n, b) => n + b.count!, 0) / splits).toBeCloseTo(summary.multipleTesting.pbo!.value, 12);

    // Growth: the best five and buy-and-hold, then all of them when the slider says 50.
    expect(m.growth).toMatchObject({ rendered: true, lines: 6 });
    await page.$eval('[data-chart="growth"] input[type=range]', (input) => {
      (input as unknown as { value: string }).value = '50';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForFunction(`document.querySelectorAll('[data-chart="growth"] svg .mark-line.role-mark path').length === 51`, undefined, { timeout: 10_000 });

    // Sorting by the difference: every row's number at most the one above it, nulls last.
    await page.click('#results thead th[data-sort]:text-is("Diff.")');
    const sorted = await page.$$eval('#results tbody tr', (trs) =>
      trs.map((tr) => ({ row: tr.getAttribute('data-row')!, value: tr.querySelector('td[data-metric="significance.sharpeDiff"]')!.getAttribute('data-value')! })),
    );
    const values = sorted.map((r) => (r.value === 'null' ? null : Number(r.value)));
    const numbers = values.filter((v): v is number => v !== null);
    expect(values.slice(numbers.length).every((v) => v === null)).toBe(true);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]!).toBeLessThanOrEqual(numbers[i - 1]!);
    for (const r of sorted) expect(Number(r.value)).toBe(summary.results[r.row]!.significance.sharpeDiff);
    // The order of the run, back with the # column.
    await page.click('#results thead th[data-col="0"]');
    expect(await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-row')))).toEqual(configs);

    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('compare report with --seeds', () => {
  it('draws each seed of each stochastic configuration against buy-and-hold', async () => {
    const { dir, summary } = compare(['--strategies', 'sma,nn-sma', '--grid', 'nn-sma:hidden=5|10;epochs=5;refit=120', '--seeds', '3', '--samples', '200'], 'compare-wide-seeds');
    const stochastic = summary.configurations.filter((l) => summary.results[l]!.seeds);
    expect(stochastic.length).toBe(2);
    const { page, errors, blocked } = await openOffline(browser, path.join(dir, 'report.html'), VIEWPORT);
    const m = await marks(page);
    expect(Object.keys(m)).toEqual(['sharpe-diff', 'seeds', 'pbo', 'growth']);
    const runs = stochastic.flatMap((l) => summary.results[l]!.seeds!.runs.filter((r) => Number.isFinite(r.sharpe)));
    expect(m.seeds).toMatchObject({ rendered: true, seedPoints: runs.length, medians: stochastic.length, ranges: stochastic.length, benchmark: 1 });
    // The seeds' Sharpe ratios the chart draws are summary.json's.
    const data = JSON.parse(await page.$eval('#chart-data', (s) => s.textContent!)) as Record<string, { configuration?: string; seed?: number; sharpe?: number }[]>;
    const drawn = Object.entries(data)
      .filter(([k]) => k.startsWith('seeds__'))
      .flatMap(([, v]) => v.filter((p) => p.seed !== undefined));
    expect(drawn.length).toBe(runs.length);
    for (const p of drawn) {
      const run = summary.results[p.configuration!]!.seeds!.runs.find((r) => r.seed === p.seed)!;
      expect(p.sharpe!).toBeCloseTo(run.sharpe, 5);
    }
    // Rows sorted by the median seed, and the seeds' columns in the table.
    const byMedian = [...stochastic].sort((a, b) => summary.results[b]!.seeds!.sharpe.median - summary.results[a]!.seeds!.sharpe.median);
    const short = shortLabels(summary.configurations);
    expect(await rowLabels(page, 'seeds')).toEqual(byMedian.map((l) => short.headings[summary.configurations.indexOf(l)]));
    const cells = await checkCells(page, summary);
    expect(cells.filter((c) => c.metric === 'seeds.sharpe.median').map((c) => c.column)).toEqual(stochastic);
    // StepM over every seed: the rings are the configurations with a seed StepM finds better.
    const rejected = new Set(summary.multipleTesting.stepM.rejected);
    expect(m['sharpe-diff']!.rings).toBe(
      summary.configurations.filter((l) => summary.multipleTesting.trials.some((t) => rejected.has(t) && (t === l || t.startsWith(`${l} seed `)))).length,
    );
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 180_000);
});
