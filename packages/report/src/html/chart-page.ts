import type { TopLevelSpec } from '../charts/vega-types';
import { chartRuntime } from './chart-runtime';
import { detachData } from './detach-data';
import { type Html, html, scriptJsonHtml } from './html';
import { REPORT_CSS, RENDER_SCRIPT } from './page-assets';

/** One figure of a page: its container id (letters, digits, dashes), the spec, and what a reader should take from it. */
export interface PageChart {
  readonly id: string;
  readonly spec: TopLevelSpec;
  readonly caption?: string;
}

/** Where a chart goes in the page body: `chartFigure(chart)` gives its <figure>. */
export function chartFigure(c: PageChart): Html {
  const caption = c.caption ? html`<figcaption>${c.caption}</figcaption>` : '';
  return html`<figure class="chart" id="chart-${c.id}"><div class="vega" data-chart="${c.id}"></div>${caption}</figure>`;
}

export interface ChartPage {
  readonly title: string;
  /** The page body (inside <main>), built with `html`: text, tables, and the figures from `chartFigure`. */
  readonly body: Html;
  /** Every chart whose figure is in the body. */
  readonly charts: readonly PageChart[];
  /** Shown in <meta name="generator">. */
  readonly generator?: string;
  /**
   * A script of the page's own (a constant made with `trusted`, never from values), run after
   * the charts' runtime, outside the body: e.g. the compare table's sorting.
   */
  readonly script?: Html;
}

/**
 * A self-contained HTML page: the body as given, a <noscript> note, and the charts drawn in the
 * browser by the inlined Vega and Vega-Lite (no network, no other file). In pieces: text, and
 * the two runtimes as the bytes read from disk, so writing it never decodes 770 kB of script.
 */
function chartPageParts(page: ChartPage): (string | Buffer)[] {
  for (const c of page.charts) if (!/^[a-z0-9-]+$/i.test(c.id)) throw new Error(`chart id "${c.id}" must be letters, digits and dashes`);
  const datasets: Record<string, unknown[]> = {};
  const specs = Object.fromEntries(page.charts.map((c) => [c.id, detachData(c.spec, c.id, datasets)]));
  const runtime = chartRuntime();
  const head = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.generator ? html`<meta name="generator" content="${page.generator}">\n` : ''}<title>${page.title}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<noscript><p class="noscript">The charts of this page are drawn by JavaScript, which is turned off: the tables and text are complete without it.</p></noscript>
${page.body}
</main>
<script id="chart-specs" type="application/json">${scriptJsonHtml(specs)}</script>
<script id="chart-data" type="application/json">${scriptJsonHtml(datasets)}</script>
<script>`.text;
  const tail = html`</script>
<script>${RENDER_SCRIPT}</script>
${page.script ?? ''}</body>
</html>
`.text;
  return [head, runtime.vega, '</script>\n<script>', runtime.vegaLite, tail];
}

/** The page as text. */
export function chartPageHtml(page: ChartPage): string {
  return chartPageParts(page)
    .map((p) => (typeof p === 'string' ? p : p.toString('utf8')))
    .join('');
}

/** The page as UTF-8 bytes, for writing to a file. */
export function chartPageBytes(page: ChartPage): Buffer {
  return Buffer.concat(chartPageParts(page).map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}
