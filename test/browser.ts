/**
 * Headless Chromium for the tests that open the generated HTML pages: Debian's package at
 * /usr/bin/chromium (CI installs it), or CHROMIUM_PATH. Pages are opened offline: every request
 * other than the file itself is refused and recorded, and console errors are collected.
 */
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OfflinePage {
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** URLs the page tried to fetch (it must be self-contained: expected empty). */
  blocked: string[];
}

/** Opens `file` with the network blocked and waits until the page says its charts are drawn. */
export async function openOffline(browser: Browser, file: string, viewport = { width: 1100, height: 900 }): Promise<OfflinePage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const blocked: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-charts-rendered]', { timeout: 60_000 });
  return { page, errors, blocked };
}

/**
 * The marks drawn in each chart of a page, by kind: data marks only (role-mark), not the legends'
 * symbols; StepM's rings apart from the points, and the seeds chart's layers by name.
 */
export function chartMarks(page: Page) {
  return page.$$eval('[data-chart]', (boxes) =>
    boxes.map((b) => ({
      id: b.getAttribute('data-chart')!,
      rendered: b.getAttribute('data-rendered') === 'true',
      marks: b.querySelectorAll('svg .role-mark path, svg .role-mark rect, svg .role-mark line').length,
      points: b.querySelectorAll('svg .mark-symbol.role-mark:not(.stepm_marks) path').length,
      rings: b.querySelectorAll('svg .mark-symbol.role-mark.stepm_marks path').length,
      rules: b.querySelectorAll('svg .mark-rule.role-mark line').length,
      rects: b.querySelectorAll('svg .mark-rect.role-mark path').length,
      lines: b.querySelectorAll('svg .mark-line.role-mark path').length,
      seedPoints: b.querySelectorAll('svg .seed_marks path').length,
      medians: b.querySelectorAll('svg .median_marks path').length,
      ranges: b.querySelectorAll('svg .range_marks line').length,
      benchmark: b.querySelectorAll('svg .benchmark_marks line').length,
    })),
  );
}
