/**
 * The folder and HTML report of `backtest compare`, through the built CLI: the folder is
 * complete, returns.csv reproduces the Sharpe ratios of summary.json, and the report opens in
 * headless Chromium with the network cut off, draws every chart with the marks it should have,
 * logs no error, and its table says exactly what summary.json says. Needs Chromium at
 * /usr/bin/chromium (or CHROMIUM_PATH), like report-browser.test.ts.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { chartMarks, launchChromium, openOffline } from './browser';
import { compareRows, summaryColumns, valueAt } from '@backtest/report';
import { backtest, runsDir } from './helpers';

const shots = mkdtempSync(path.join(os.tmpdir(), 'compare-report-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const CONFIGS = ['sma[window=6]', 'sma[window=12]', 'ols-sma'];

interface Summary {
  configurations: string[];
  results: Record<string, Record<string, unknown> & { sharpe: number }>;
  benchmark: Record<string, unknown> & { sharpe: number };
  verdicts: { configuration: string; beats: boolean; text: string }[];
  jointVerdict?: { beats: boolean; text: string };
  trials: number;
  conventions: { periodsPerYear: number };
  data: { path: string; sha256: string };
  config: { compare: { samples: number } };
  [k: string]: unknown;
}

function sharpe(returns: number[], cash: number[], periodsPerYear: number): number {
  const x = returns.map((r, k) => r - cash[k]!);
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
  return (m / sd) * Math.sqrt(periodsPerYear);
}

async function openReport(file: string, screenshot: string) {
  const { page, errors, blocked } = await openOffline(browser, file);
  const charts = await chartMarks(page);
  const cells = await page.$$eval('table.compare td[data-metric]', (tds) =>
    tds.map((td) => ({
      table: td.closest('table')!.id,
      column: td.getAttribute('data-column')!,
      benchmark: td.getAttribute('data-benchmark') === 'true',
      metric: td.getAttribute('data-metric')!,
      value: td.getAttribute('data-value')!,
      text: td.textContent!.replace('▲', '').trim(),
    })),
  );
  const verdicts = await page.$$eval('ul.verdicts li', (lis) => lis.map((li) => ({ text: li.textContent, beats: li.classList.contains('beats') })));
  const joint = await page.$eval('.joint[data-joint]', (d) => ({ text: d.querySelector('.text')!.textContent, beats: d.classList.contains('beats') }));
  // The charts' data as the page holds it (the PBO histogram's bins).
  const data = JSON.parse(await page.$eval('#chart-data', (s) => s.textContent!)) as Record<string, Record<string, unknown>[]>;
  // Sorting: click the Sharpe heading of the results table, read the rows; again, reversed.
  const sortedBy = async (head: string) => {
    await page.click(`#results thead th[data-sort]:text-is("${head}")`);
    return page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-row')!));
  };
  const sharpeDown = await sortedBy('Sharpe');
  const sharpeUp = await sortedBy('Sharpe');
  const byName = await sortedBy('Configuration');
  const pinned = await page.$$eval('#results thead tr.benchmark th', (ths) => ths.map((th) => th.textContent));
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { errors, blocked, charts, cells, verdicts, joint, data, sharpeDown, sharpeUp, byName, pinned };
}

describe('backtest compare: run folder and report', () => {
  it('writes <stamp>-compare with summary.json, returns.csv and a report that draws and matches the summary', async () => {
    const before = new Set(readdirSync(runsDir));
    const r = backtest(['compare', '--strategies', 'sma,ols-sma', '--grid', 'sma:window=6|12', '--samples', '500', '--to', '2020-12']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const made = readdirSync(runsDir).filter((d) => !before.has(d));
    expect(made).toEqual([expect.stringMatching(/^\d{8}-\d{6}-compare(-\d+)?$/)]);
    const dir = path.join(runsDir, made[0]!);
    // The terminal output ends with where the folder and the report are, as a strategy run's does.
    expect(r.stdout.trimEnd().split('\n').slice(-2)).toEqual([`run folder: ${dir}`, `report:     ${path.join(dir, 'report.html')}`]);
    expect(readdirSync(dir).sort()).toEqual(['report.html', 'returns.csv', 'summary.json']);

    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary;
    expect(summary.configurations).toEqual(CONFIGS);
    expect(summary.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(summary.data.path)).toBe(true);
    expect(summary.config.compare.samples).toBe(500);

    // returns.csv: every column's Sharpe ratio recomputed from the file is the summary's.
    const [header, ...rows] = readFileSync(path.join(dir, 'returns.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(header).toEqual(['month', 'asset_return', 'cash_return', 'buy_and_hold_return', ...CONFIGS]);
    expect(rows.length).toBe((summary.period as { periods: number }).periods);
    const column = (name: string) => rows.map((row) => Number(row[header!.indexOf(name)]));
    const ppy = summary.conventions.periodsPerYear;
    expect(sharpe(column('buy_and_hold_return'), column('cash_return'), ppy)).toBeCloseTo(summary.benchmark.sharpe, 10);
    for (const c of CONFIGS) expect(sharpe(column(c), column('cash_return'), ppy)).toBeCloseTo(summary.results[c]!.sharpe, 10);

    const shot = path.join(shots, 'compare-report.png');
    const page = await openReport(path.join(dir, 'report.html'), shot);
    console.log(`compare report screenshot: ${shot}`);
    expect(page.errors).toEqual([]);
    expect(page.blocked).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(['sharpe-diff', 'pbo', 'growth']);
    for (const c of page.charts) expect({ id: c.id, rendered: c.rendered, drawn: c.marks > 0 }).toEqual({ id: c.id, rendered: true, drawn: true });
    const [diff, overfit, growth] = page.charts;
    const mt = summary.multipleTesting as { stepM: { rejected: string[] }; pbo: { value: number; splits: number } };
    // One point per configuration, an interval and its two end ticks each, and the zero line; a ring for each StepM finds better.
    expect(diff!.points).toBe(CONFIGS.length);
    expect(diff!.rules).toBe(CONFIGS.length + 1);
    expect(diff!.rects).toBe(2 * CONFIGS.length);
    expect(diff!.rings).toBe(CONFIGS.filter((c) => mt.stepM.rejected.includes(c)).length);
    // PBO's histogram: a bar per bin, every split counted, and the share at or below 0 is summary.json's PBO.
    const bins = Object.entries(page.data).find(([k, v]) => k.startsWith('pbo__') && v[0] && 'count' in v[0])![1] as { lo: number; hi: number; count: number; overfit: boolean }[];
    expect(overfit!.rects).toBe(bins.length);
    const splits = bins.reduce((n, b) => n + b.count, 0);
    expect(splits).toBe(mt.pbo.splits);
    expect(bins.filter((b) => b.hi <= 0).reduce((n, b) => n + b.count, 0) / splits).toBeCloseTo(mt.pbo.value, 12);
    expect(bins.every((b) => b.hi <= 0 || b.lo >= 0)).toBe(true);
    // One line per configuration (three: all of them among the best five) and buy-and-hold.
    expect(growth!.lines).toBe(CONFIGS.length + 1);

    // Every number of both tables is the summary's, and reads as its column's format says.
    const formats = {
      results: new Map(summaryColumns(summary as never).map((c) => [c.path, c.format])),
      'all-metrics': new Map(compareRows(summary as never).map((row) => [row.path, row.format])),
    };
    for (const cell of page.cells) {
      const source = cell.benchmark ? summary.benchmark : summary.results[cell.column];
      const expected = valueAt(source, cell.metric);
      expect({ column: cell.column, metric: cell.metric, value: JSON.parse(cell.value) }).toEqual({ column: cell.column, metric: cell.metric, value: expected });
      const format = formats[cell.table as keyof typeof formats].get(cell.metric)!;
      expect({ metric: cell.metric, text: cell.text }).toEqual({ metric: cell.metric, text: format(expected as number) });
    }
    // All of them: the metrics for every row, the rest for every configuration that has them.
    const count = (paths: string[], bench: (p: string) => boolean) =>
      paths.reduce((n, p) => n + CONFIGS.filter((c) => valueAt(summary.results[c], p) !== undefined).length + (bench(p) ? 1 : 0), 0);
    const allRows = compareRows(summary as never);
    const compact = summaryColumns(summary as never);
    expect(page.cells.filter((c) => c.table === 'all-metrics').length).toBe(
      count(
        allRows.map((r) => r.path),
        (p) => allRows.find((r) => r.path === p)!.benchmark,
      ),
    );
    expect(page.cells.filter((c) => c.table === 'results').length).toBe(
      count(
        compact.map((c) => c.path),
        (p) => compact.find((c) => c.path === p)!.benchmark,
      ),
    );
    expect(page.cells.filter((c) => c.metric === 'significance.sharpeDiffCI.0' && c.table === 'results').length).toBe(CONFIGS.length);
    expect(page.cells.some((c) => c.metric === 'forecast.rmse' && c.column === 'ols-sma')).toBe(true);
    // Sorted by a click on Sharpe: largest first, then smallest first; by name: A to Z. Buy-and-hold stays pinned.
    const sharpes = CONFIGS.map((c) => summary.results[c]!.sharpe);
    const bySharpe = [...CONFIGS].sort((a, b) => summary.results[b]!.sharpe - summary.results[a]!.sharpe);
    expect(new Set(sharpes).size).toBe(CONFIGS.length);
    expect(page.sharpeDown).toEqual(bySharpe);
    expect(page.sharpeUp).toEqual([...bySharpe].reverse());
    // Names with their numbers read as numbers: window=6 before window=12.
    expect(page.byName).toEqual(['ols-sma', 'sma[window=6]', 'sma[window=12]']);
    expect(page.pinned).toEqual(['buy-and-hold']);
    // The joint answer (every configuration tested together) first and apart, then each configuration's.
    expect(summary.jointVerdict).toBeDefined();
    expect(page.joint).toEqual({ text: summary.jointVerdict!.text, beats: summary.jointVerdict!.beats });
    expect(page.verdicts).toEqual(summary.verdicts.map((v) => ({ text: v.text, beats: v.beats })));

    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(/<(script|link|img|iframe)[^>]+(src|href)=/i.test(html)).toBe(false);
    expect(html.includes(`Trials: ${summary.trials} = 3 configurations in this compare`)).toBe(true);
    expect(html.includes(summary.data.sha256)).toBe(true);
  });

  it('--json with --out writes that folder and prints the summary without the folder lines; --no-save writes nothing', () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'compare-out-')), 'mine');
    const j = backtest(['compare', '--strategies', 'sma', '--samples', '200', '--to', '2020-12', '--out', out, '--json']);
    expect(j.stderr).toBe('');
    expect(j.code).toBe(0);
    const printed = JSON.parse(j.stdout) as Summary;
    const { config, data, version, createdAt, ...saved } = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as Summary;
    expect(saved).toEqual(printed);
    expect([config, data, version, createdAt].every((v) => v !== undefined)).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
    // The folder exists now: a second run with the same --out is refused, not overwritten.
    const again = backtest(['compare', '--strategies', 'sma', '--samples', '200', '--to', '2020-12', '--out', out, '--json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);

    const before = readdirSync(runsDir).length;
    const n = backtest(['compare', '--strategies', 'sma', '--samples', '200', '--to', '2020-12', '--no-save']);
    expect(n.code).toBe(0);
    expect(n.stdout).not.toMatch(/run folder:/);
    expect(readdirSync(runsDir).length).toBe(before);
  });
});
