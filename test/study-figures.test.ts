/**
 * study.html of a real `backtest study seed` run, opened in headless Chromium with the network
 * cut off: every Vega figure draws data marks across its plot, every architecture diagram has
 * its nodes and connections, nothing logs an error or a warning, and the leak is stated. Needs
 * Chromium at /usr/bin/chromium (`apt-get install chromium`), or CHROMIUM_PATH.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { backtest } from './helpers';

const out = mkdtempSync(path.join(os.tmpdir(), 'study-figures-'));
const folder = path.join(out, 'seed');
const screenshot = path.join(out, 'study.png');
let browser: Browser;

const FIGURES = ['price-sma', 'experiment-1', 'experiment-2', 'experiment-3', 'experiment-4', 'experiment-4-coefficients', 'experiment-5'];

beforeAll(async () => {
  const r = backtest(['study', 'seed', '--out', folder]);
  if (r.code !== 0) throw new Error(`backtest study seed failed (${r.code}): ${r.stderr}`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  // The screenshot stays for a reader to look at; the folder goes.
  rmSync(folder, { recursive: true, force: true });
});

test('study.html draws every figure offline, without console errors', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  const blocked: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  await page.goto(`file://${path.join(folder, 'study.html')}`);
  await page.waitForSelector('body[data-charts-rendered]', { timeout: 20_000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`study.html screenshot: ${screenshot}`);

  expect(problems).toEqual([]);
  expect(blocked).toEqual([]);
  expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(FIGURES.length));

  const charts = await page.$$eval('[data-chart]', (boxes) =>
    boxes.map((b) => {
      const marks = Array.from(b.querySelectorAll('svg .role-mark path, svg .role-mark line'));
      const widths = marks.map((m) => (m as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
      return { id: b.getAttribute('data-chart')!, rendered: b.getAttribute('data-rendered') === 'true', marks: marks.length, widest: Math.max(0, ...widths) };
    }),
  );
  expect(charts.map((c) => c.id)).toEqual(FIGURES);
  for (const c of charts) {
    expect({ id: c.id, rendered: c.rendered }).toEqual({ id: c.id, rendered: true });
    expect(c.marks).toBeGreaterThan(0);
    // A line spanning most of the plot, not a dot in a corner: the figure is readable.
    expect(c.widest).toBeGreaterThan(500);
  }

  const diagrams = await page.$$eval('.diagram', (ds) =>
    ds.map((d) => ({
      id: d.getAttribute('data-network')!,
      nodes: d.querySelectorAll('svg circle').length,
      edges: d.querySelectorAll('svg line').length,
      text: d.textContent ?? '',
    })),
  );
  expect(diagrams.map((d) => [d.id, d.nodes, d.edges])).toEqual([
    ['small', 13, 30],
    ['neuron', 3, 2],
    ['deep', 17, 70],
  ]);
  expect(diagrams[2]!.text).toContain('300 units · ReLU');
  expect(await page.textContent('.leak')).toMatch(/leaks the future/);
  await page.close();
});
