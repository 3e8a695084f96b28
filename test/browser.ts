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
