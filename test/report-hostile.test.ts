/**
 * Values from files never become markup. A run folder whose summary.json (and CSV header) hold
 * hostile text in every field the page shows is rebuilt by `backtest report` into a page where
 * each value is text: no tag or attribute of theirs, no `</script>` out of the embedded JSON,
 * no raw U+2028 or control character; Chromium runs none of it. The compare page is checked the
 * same way. And a folder whose files have the wrong types or shapes is exit 2 naming the file
 * and the key (or line and column), never an internal error.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { UserError } from '@backtest/core';
import {
  buildCompareReport,
  buildReport,
  compareRecordFrom,
  type CompareSummaryDoc,
  parseCompareSummaryJson,
  readRunFolder,
  type RunRecord,
  writeCompareFolder,
} from '@backtest/report';
import { launchChromium, openOffline } from './browser';
import { backtest } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Markup, script ends, attribute breaks, template syntax, separators and control characters. */
const ATTACKS = [
  '<script>window.__pwned=1;document.title="pwned"</script>',
  '"><img src=x onerror="window.__pwned=2;document.title=\'pwned\'">',
  "'><svg onload='window.__pwned=3'>",
  '</script><script>window.__pwned=4;document.title="pwned"</script>',
  '</SCRIPT ><!-- <script>',
  '<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
  '" onmouseover="window.__pwned=6" x="',
  '"]+(window.__pwned=7)+["',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile value that looks like a template placeholder, on purpose
  '${document.title="pwned"} {{constructor.constructor("window.__pwned=8")()}}',
  '&amp; &lt;b&gt;',
  'line\u2028sep\u2029par',
  'ctl\u0000\u0007\u0008\u000b\u000c\u001b[31m\u007f\u009b',
];
const PAYLOAD = ATTACKS.join(' ');
const hostile = (field: string) => `${field}|${PAYLOAD}`;
/** 200,000 characters, then the payload. */
const LONG = 'L'.repeat(200_000) + PAYLOAD;

/** The page's escaping, restated: the five markup characters, and control characters as U+FFFD. */
function esc(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd');
}

const TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'noscript',
  'p',
  'h1',
  'h2',
  'span',
  'div',
  'strong',
  'ul',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'figure',
  'figcaption',
  'dl',
  'dt',
  'dd',
  'code',
  'pre',
  'script',
  'details',
  'summary',
]);
const ATTRIBUTES = new Set([
  'lang',
  'charset',
  'name',
  'content',
  'class',
  'role',
  'scope',
  'colspan',
  'rowspan',
  'style',
  'id',
  'type',
  'title',
  'aria-hidden',
  'data-strategy',
  'data-metric',
  'data-value',
  'data-chart',
  'data-column',
  'data-benchmark',
  'data-configuration',
  // The compare page's table (sorting, buy-and-hold's row, the verdict and StepM columns) and folded lists.
  'data-col',
  'data-sort',
  'data-first',
  'data-sort-value',
  'data-row',
  'data-key',
  'data-beats',
  'data-stepm',
  'data-joint',
  'data-asset',
  'open',
]);

/**
 * The page up to the inlined runtimes (everything built from values: the body and the two JSON
 * scripts) holds only the page's own tags and attributes, exactly two <script> elements (the
 * JSON), and no raw separator or control character; the JSON parses; each shown value appears
 * escaped. Booleans and short lists only: a failure must not print a 1 MB page.
 */
function expectInert(page: string, shown: readonly string[]): { specs: string; data: string } {
  const dataAt = page.indexOf('<script id="chart-data" type="application/json">');
  const ours = page.slice(0, page.indexOf('</script>', dataAt) + '</script>'.length);
  const tags: string[] = [];
  const attributes: string[] = [];
  for (const m of ours.matchAll(/<([a-zA-Z][^\s>/]*)([^>]*)>/g)) {
    tags.push(m[1]!.toLowerCase());
    // Attributes one by one: name, then a quoted value (which, escaped, holds no quote of its own kind).
    const rest = m[2]!.replace(/\/$/, '');
    const attr = /\s*([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'))?/y;
    let at = 0;
    while (at < rest.length) {
      const a = attr.exec(rest);
      if (a === null || a[0].length === 0) break;
      attributes.push(a[1]!.toLowerCase());
      at = attr.lastIndex;
    }
    if (rest.slice(at).trim() !== '') attributes.push(`<unparsed: ${rest.slice(at, at + 40)}>`);
  }
  expect([...new Set(tags)].filter((t) => !TAGS.has(t))).toEqual([]);
  expect([...new Set(attributes)].filter((t) => !ATTRIBUTES.has(t))).toEqual([]);
  expect(ours.match(/<script\b[^>]*>/gi)).toEqual(['<script id="chart-specs" type="application/json">', '<script id="chart-data" type="application/json">']);
  expect(ours.match(/<\/script/gi)?.length).toBe(2);
  // No control character anywhere (U+FFFD in text, \uXXXX in JSON); no line separator in the JSON either
  // (HTML text may hold one: there it is only a space).
  const raw = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.exec(ours) ?? /[\u2028\u2029]/.exec(ours.slice(ours.indexOf('<script id="chart-specs"')));
  expect(raw && { code: raw[0].charCodeAt(0).toString(16), after: JSON.stringify(raw.input.slice(raw.index - 60, raw.index)) }).toBeNull();
  // In the markup, no attribute of theirs; in the JSON (whose quotes are \", so a `" onmouseover` may show there), no < > & at all.
  const markup = ours.slice(0, ours.indexOf('<script id="chart-specs"'));
  const jsonPart = ours.slice(markup.length).replace(/<script id="chart-(specs|data)" type="application\/json">|<\/script>/g, '');
  for (const needle of ['<img', '<svg', '<iframe', 'onerror="', '" onmouseover', "' onmouseover", "'><"]) {
    expect({ needle, found: markup.split(needle).length - 1 }).toEqual({ needle, found: 0 });
  }
  expect(/[<>&]/.test(jsonPart)).toBe(false);
  const missing = shown.filter((s) => !ours.includes(s));
  expect(missing.map((s) => s.slice(0, 60))).toEqual([]);
  const json = (id: string) => {
    const start = ours.indexOf(`<script id="${id}" type="application/json">`);
    const text = ours.slice(ours.indexOf('>', start) + 1, ours.indexOf('</script>', start));
    return JSON.stringify(JSON.parse(text));
  };
  return { specs: json('chart-specs'), data: json('chart-data') };
}

/**
 * A string's inside as it appears in the parsed-and-restringified chart JSON: the charts carry
 * U+2028 and U+2029 as spaces (Vega's expressions cannot hold them).
 */
const inJson = (s: string) => JSON.stringify(s.replace(/[\u2028\u2029]/g, ' ')).slice(1, -1);

/** A parsed JSON document, read and edited by path. */
// biome-ignore lint/suspicious/noExplicitAny: the documents' own schemas are what the report checks
type Doc = Record<string, any>;

let base: string;
let hostileDir: string;
let doc: Doc;
/** What `backtest report <hostile folder>` said. */
let rebuilt: { code: number; stdout: string; stderr: string };

beforeAll(() => {
  base = path.join(tmp, 'base');
  const r = backtest(['--strategy', 'ols-sma', '--out', base]);
  if (r.code !== 0) throw new Error(r.stderr);
  // The hostile folder: the base run's files, every text field of summary.json replaced.
  hostileDir = path.join(tmp, 'hostile');
  cpSync(base, hostileDir, { recursive: true });
  doc = JSON.parse(readFileSync(path.join(base, 'summary.json'), 'utf8'));
  const strategy = hostile('strategy');
  doc.results = { [strategy]: doc.results['ols-sma'], 'buy-and-hold': doc.results['buy-and-hold'], [hostile('extra-result')]: doc.results['buy-and-hold'] };
  doc.strategy = strategy;
  doc.dataset = hostile('dataset');
  doc.params = { ...doc.params, [hostile('param-key')]: hostile('param-value'), nested: { [hostile('nested-key')]: [hostile('nested-value'), 1, null] } };
  doc.warnings = [hostile('warning'), LONG];
  doc.conventions = {
    ...doc.conventions,
    timing: hostile('timing'),
    sharpe: hostile('sharpe'),
    cash: hostile('cash'),
    cashRate: hostile('cash-rate'),
    [hostile('convention-key')]: hostile('convention-value'),
  };
  doc.backend = hostile('backend');
  doc.trainer = hostile('trainer');
  doc.version = hostile('version');
  doc.createdAt = hostile('created');
  doc.data = { path: hostile('data-path'), sha256: hostile('sha256') };
  doc.config = { ...doc.config, [hostile('config-key')]: hostile('config-value'), long: LONG };
  writeFileSync(path.join(hostileDir, 'summary.json'), JSON.stringify(doc, null, 2));
  // A feature column named by the payload (CSV-quoted): read back, never shown, still never markup.
  const pred = path.join(hostileDir, 'predictions.csv');
  const text = readFileSync(pred, 'utf8');
  writeFileSync(pred, text.replace('feature_close', `"feature_${PAYLOAD.replace(/"/g, '""')}"`));
  const r2 = backtest(['report', hostileDir]);
  rebuilt = { code: r2.code, stdout: r2.stdout.trim(), stderr: r2.stderr };
});

/** Every field the run page shows, as it must appear there: escaped text (params and config as escaped JSON). */
function shownRunFields(): string[] {
  const text = [
    'strategy',
    'extra-result',
    'dataset',
    'param-key',
    'warning',
    'timing',
    'sharpe',
    'cash',
    'convention-key',
    'convention-value',
    'backend',
    'trainer',
    'version',
    'created',
    'data-path',
    'sha256',
  ];
  return [
    ...text.map((f) => esc(hostile(f))),
    esc(LONG),
    esc(JSON.stringify(hostile('param-value'))),
    esc(JSON.stringify(hostile('nested-key'))),
    esc(JSON.stringify(hostile('config-key'))),
    esc(JSON.stringify(hostile('config-value'))),
  ];
}

describe('hostile values in a run folder', () => {
  it('backtest report rebuilds the page with every value as text, and the chart data embedded safely', () => {
    expect(rebuilt).toEqual({ code: 0, stdout: path.join(hostileDir, 'report.html'), stderr: '' });
    const page = readFileSync(path.join(hostileDir, 'report.html'), 'utf8');
    const { specs } = expectInert(page, shownRunFields());
    // The JSON gives the values back: the chart titles name the strategy and the dataset.
    expect(specs.includes(inJson(`Monthly returns of ${hostile('strategy')}`))).toBe(true);
    expect(specs.includes(inJson(`${hostile('dataset')} close (log scale)`))).toBe(true);
    const title = page.slice(page.indexOf('<title>'), page.indexOf('</title>') + 8);
    expect(title).toBe(`<title>${esc(`${hostile('strategy')} against buy-and-hold on ${hostile('dataset')}`)}</title>`);
  });

  it('labels are checked where they are read, and hostile ones built into a page in-process are text too', () => {
    const record = readRunFolder(hostileDir);
    const tag = (l: string) => `${l}${PAYLOAD}`;
    const labelled: RunRecord = {
      ...record,
      prices: { ...record.prices, labels: record.prices.labels.map(tag) },
      periods: { ...record.periods, labels: record.periods.labels.map(tag) },
      forecasts: record.forecasts!.map((f) => ({ ...f, label: tag(f.label) })),
      summary: { ...record.summary, period: { ...record.summary.period, start: tag(record.summary.period.start), end: tag(record.summary.period.end) } },
    };
    const { data } = expectInert(buildReport(labelled), [...shownRunFields(), esc(tag(record.prices.labels[0]!))]);
    expect(data.includes(inJson(tag(record.periods.labels[5]!)))).toBe(true);
  });

  it('Chromium runs none of it: no injected script, the title unchanged, every chart drawn', async () => {
    const browser: Browser = await launchChromium();
    try {
      const file = path.join(hostileDir, 'report.html');
      const { page, blocked } = await openOffline(browser, file);
      // A string: these tests are compiled without the DOM's types.
      const seen = (await page.evaluate(`({
        pwned: window.__pwned === undefined ? null : window.__pwned,
        title: document.title,
        injected: document.querySelectorAll('main img, main iframe, main object, main embed, main svg[onload], [onerror], [onmouseover]').length,
        scripts: document.scripts.length,
        boxes: document.querySelectorAll('[data-chart]').length,
        rendered: Number(document.body.getAttribute('data-charts-rendered')),
        warning: document.querySelector('.warnings li') ? document.querySelector('.warnings li').textContent : '',
        failed: Array.from(document.querySelectorAll('.chart-error'), (e) => e.textContent.slice(0, 200)),
      })`)) as { pwned: unknown; title: string; injected: number; scripts: number; boxes: number; rendered: number; warning: string; failed: string[] };
      await page.close();
      const normal = (s: string) =>
        s
          .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd')
          .replace(/[\t\n\f\r ]+/g, ' ')
          .trim();
      expect(seen).toEqual({
        pwned: null,
        title: normal(`${hostile('strategy')} against buy-and-hold on ${hostile('dataset')}`),
        injected: 0,
        scripts: 5,
        boxes: seen.boxes,
        rendered: seen.boxes, // every chart drawn, hostile names and all
        failed: [],
        warning: hostile('warning').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd'),
      });
      expect(seen.boxes).toBeGreaterThanOrEqual(5);
      expect(blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('hostile values in a compare report', () => {
  function compareSummary(): CompareSummaryDoc {
    const a = hostile('configuration-a');
    const b = hostile('configuration-b');
    const result = doc.results[hostile('strategy')];
    const sig = {
      sharpePerPeriod: 0.1,
      skewness: -0.2,
      kurtosis: 3,
      psr: 0.9,
      psrVsBenchmark: 0.5,
      dsr: 0.8,
      trials: 2,
      sharpeDiff: 0.1,
      sharpeDiffCI: [-0.1, 0.3] as [number, number],
      sharpeDiffPValue: 0.2,
      blockLength: 1.5,
      ledoitWolf: { pValue: 0.3, standardError: 0.1 },
    };
    return {
      command: 'compare',
      dataset: hostile('dataset'),
      frequency: 'monthly',
      period: doc.period,
      configurations: [a, b],
      results: {
        [a]: { ...result, params: { [hostile('param-key')]: hostile('param-value') }, significance: sig },
        [b]: { ...result, params: {}, significance: { ...sig, dm: { statistic: 1, pValue: 0.3 } } },
      },
      benchmark: doc.results['buy-and-hold'],
      verdicts: [
        { configuration: a, beats: false, text: hostile('verdict-a') },
        { configuration: b, beats: true, text: LONG },
      ],
      trials: 2,
      seed: 42,
      backend: hostile('backend'),
      trainer: hostile('trainer'),
      conventions: { ...doc.conventions, verdict: hostile('verdict-rule') },
      warnings: [hostile('warning')],
    };
  }

  it('the compare page shows every value as text, in the table, verdicts, configurations and conventions', () => {
    const record = readRunFolder(hostileDir);
    const summary = compareSummary();
    const walk = {
      labels: record.periods.labels,
      assetReturns: record.periods.assetReturns,
      cashReturns: record.periods.cashReturns,
      strategyReturns: record.periods.strategyReturns,
      benchmarkReturns: record.periods.benchmarkReturns,
    };
    const rec = compareRecordFrom(
      { summary, runs: [{ walk }, { walk }] },
      { config: { [hostile('config-key')]: hostile('config-value') }, data: { path: hostile('data-path'), sha256: hostile('sha256') }, version: hostile('version') },
    );
    const dir = path.join(tmp, 'compare');
    writeCompareFolder(rec, dir);
    const page = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(page === buildCompareReport(rec)).toBe(true);
    const shown = [
      'configuration-a',
      'configuration-b',
      'verdict-a',
      'verdict-rule',
      'dataset',
      'param-key',
      'backend',
      'trainer',
      'warning',
      'convention-key',
      'convention-value',
      'timing',
      'data-path',
      'sha256',
      'version',
    ];
    const { data } = expectInert(page, [
      ...shown.map((f) => esc(hostile(f))),
      esc(LONG),
      esc(JSON.stringify(hostile('param-value'))),
      esc(JSON.stringify(hostile('config-value'))),
    ]);
    expect(data.includes(inJson(hostile('configuration-a')))).toBe(true);
    // The folder's summary.json passes its schema and reads back the same values.
    const back = parseCompareSummaryJson(readFileSync(path.join(dir, 'summary.json'), 'utf8'), 'summary.json');
    expect(back.summary.configurations).toEqual(summary.configurations);
  });

  it('a compare summary.json of the wrong types is refused naming the key', () => {
    const good = JSON.parse(JSON.stringify(compareSummary())) as Doc;
    const cases: [(d: Doc) => void, string][] = [
      [(d) => (d.configurations = 'a,b'), '"configurations": expected a list'],
      [(d) => (d.verdicts[0].beats = 'yes'), '"verdicts[0].beats": expected true or false, found the text "yes"'],
      [(d) => (d.trials = 0), '"trials": expected a whole number (1 or more), found the number 0'],
      [(d) => (d.results[d.configurations[0]].significance.sharpeDiffCI = [1]), 'sharpeDiffCI": expected a list of 2 items'],
      [(d) => (d.benchmark = null), '"benchmark": expected an object, found null'],
      [(d) => d.configurations.push('missing'), '"configurations[2]" is "missing", but "results" has no entry of that name'],
    ];
    for (const [mutate, message] of cases) {
      const d = JSON.parse(JSON.stringify(good)) as Doc;
      mutate(d);
      let error: unknown;
      try {
        parseCompareSummaryJson(JSON.stringify(d), 'c/summary.json');
      } catch (e) {
        error = e;
      }
      expect({ message, user: error instanceof UserError, has: String((error as Error)?.message).includes(message) }).toEqual({ message, user: true, has: true });
    }
  });
});

/** A copy of the base folder with one file changed; returns what `backtest report` said. */
function reportOn(name: string, change: (dir: string) => void): { code: number; stderr: string } {
  const dir = path.join(tmp, 'cases', name);
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(base, dir, { recursive: true });
  change(dir);
  // The timeout is only a guard against a hang (a FIFO read), never a measure.
  const r = backtest(['report', dir], { timeout: 60_000 });
  return { code: r.code, stderr: r.stderr };
}

function editSummary(mutate: (d: Doc) => void): (dir: string) => void {
  return (dir) => {
    const file = path.join(dir, 'summary.json');
    const d = JSON.parse(readFileSync(file, 'utf8'));
    mutate(d);
    writeFileSync(file, JSON.stringify(d));
  };
}

function editCsv(name: string, edit: (lines: string[]) => void): (dir: string) => void {
  return (dir) => {
    const file = path.join(dir, name);
    const lines = readFileSync(file, 'utf8').split('\n');
    edit(lines);
    writeFileSync(file, lines.join('\n'));
  };
}

/** Replaces field `column` (0-based) of line `line` (1-based). */
const setCell = (lines: string[], line: number, column: number, value: string) => {
  const cells = lines[line - 1]!.split(',');
  cells[column] = value;
  lines[line - 1] = cells.join(',');
};

describe('wrong types in a run folder are exit 2 naming the file and the key, never an internal error', () => {
  const S = 'summary.json';
  // [case, change to summary.json, key path, what the message says was expected and found]
  const summaryCases: [string, (d: Doc) => void, string][] = [
    ['null period', (d) => (d.period = null), '"period": expected an object, found null'],
    ['string seed', (d) => (d.seed = 'x'), '"seed": expected a whole number, found the text "x"'],
    ['fractional seed', (d) => (d.seed = 1.5), '"seed": expected a whole number, found the number 1.5'],
    ['results as a list', (d) => (d.results = []), '"results": expected an object, found a list of 0 items'],
    ['missing benchmark', (d) => delete d.results['buy-and-hold'], '"results.buy-and-hold" (the benchmark\'s metrics): expected an object, found nothing (the key is missing)'],
    ['strategy without results', (d) => (d.strategy = 'sma'), '"results.sma" (the strategy\'s metrics): expected an object, found nothing (the key is missing)'],
    ['NaN-like periods', (d) => (d.period.periods = 'NaN'), '"period.periods": expected a whole number (0 or more), found the text "NaN"'],
    ['NaN-like metric', (d) => (d.results['ols-sma'].sharpe = 'NaN'), '"results.ols-sma.sharpe": expected a number or null, found the text "NaN"'],
    ['Infinity-like metric', (d) => (d.results['buy-and-hold'].cagr = 'Infinity'), '"results.buy-and-hold.cagr": expected a number or null, found the text "Infinity"'],
    ['metric as a list', (d) => (d.results['buy-and-hold'].alpha = [0]), '"results.buy-and-hold.alpha": expected a number or null, found a list of 1 item'],
    ['missing metric', (d) => delete d.results['ols-sma'].calmar, '"results.ols-sma.calmar": expected a number or null, found nothing (the key is missing)'],
    ['forecast as text', (d) => (d.results['ols-sma'].forecast = 'good'), '"results.ols-sma.forecast": expected an object, found the text "good"'],
    ['forecast metric missing', (d) => delete d.results['ols-sma'].forecast.rmse, '"results.ols-sma.forecast.rmse": expected a number or null, found nothing (the key is missing)'],
    ['negative fits', (d) => (d.results['ols-sma'].fits = -1), '"results.ols-sma.fits": expected a whole number (0 or more), found the number -1'],
    ['result null', (d) => (d.results['ols-sma'] = null), '"results.ols-sma": expected an object, found null'],
    ['numeric strategy', (d) => (d.strategy = 42), '"strategy": expected a string, found the number 42'],
    ['unknown frequency', (d) => (d.frequency = '<b>weekly</b>'), '"frequency": expected "monthly" or "daily", found the text "<b>weekly</b>"'],
    ['missing period', (d) => delete d.period, '"period": expected an object, found nothing (the key is missing)'],
    ['period start not a label', (d) => (d.period.start = '1991-13'), '"period.start": expected a period label (yyyy-MM or yyyy-MM-dd), found the text "1991-13"'],
    ['negative periods', (d) => (d.period.periods = -1), '"period.periods": expected a whole number (0 or more), found the number -1'],
    ['warnings as text', (d) => (d.warnings = 'none'), '"warnings": expected a list (each item a string), found the text "none"'],
    ['a warning as a number', (d) => (d.warnings = ['ok', 7]), '"warnings[1]": expected a string, found the number 7'],
    ['a convention as an object', (d) => (d.conventions.timing = { t: 1 }), '"conventions.timing": expected a string or a number, found an object'],
    ['periodsPerYear as text', (d) => (d.conventions.periodsPerYear = '12'), '"conventions.periodsPerYear": expected a number (1 or more), found the text "12"'],
    ['conventions null', (d) => (d.conventions = null), '"conventions": expected an object, found null'],
    ['params as a list', (d) => (d.params = [1]), '"params": expected an object, found a list of 1 item'],
    ['backend as a number', (d) => (d.backend = 7), '"backend": expected a string, found the number 7'],
    ['trainer null', (d) => (d.trainer = null), '"trainer": expected a string, found null'],
    ['data as text', (d) => (d.data = '/x.csv'), '"data": expected an object, found the text "/x.csv"'],
    ['sha256 as a number', (d) => (d.data.sha256 = 5), '"data.sha256": expected a string, found the number 5'],
    ['config as a list', (d) => (d.config = []), '"config": expected an object, found a list of 0 items'],
    ['version as a number', (d) => (d.version = 1), '"version": expected a string, found the number 1'],
    ['createdAt as an object', (d) => (d.createdAt = {}), '"createdAt": expected a string, found an object'],
    [
      'control characters in a key',
      (d) => {
        d.results['ols-sma']['\u001b[31m'] = 1;
        d.results['ols-sma'].calmar = '\u001b[2J';
      },
      '"results.ols-sma.calmar": expected a number or null, found the text "\\x1b[2J"',
    ],
  ];

  it.each(summaryCases)('summary.json: %s', (name, mutate, message) => {
    const r = reportOn(`summary-${name.replace(/\W+/g, '-')}`, editSummary(mutate));
    const file = path.join(tmp, 'cases', `summary-${name.replace(/\W+/g, '-')}`, S);
    expect(r).toEqual({ code: 2, stderr: `backtest: ${file}: ${message}\n` });
  });

  it('summary.json that is not an object, or not JSON', () => {
    for (const [name, text, message] of [
      ['list', '[]', 'the document: expected an object, found a list of 0 items'],
      ['null', 'null', 'the document: expected an object, found null'],
      ['broken', '{"strategy": ', 'not valid JSON'],
    ]) {
      const r = reportOn(`doc-${name}`, (dir) => writeFileSync(path.join(dir, S), text!));
      expect({ code: r.code, has: r.stderr.includes(`${path.join(tmp, 'cases', `doc-${name}`, S)}: ${message}`) }).toEqual({ code: 2, has: true });
    }
  });

  // [case, change, the message after "backtest: <dir>/"]
  const fileCases: [string, (dir: string) => void, string][] = [
    ['close not a number', editCsv('positions.csv', (l) => setCell(l, 5, 1, 'abc')), 'positions.csv, line 5, column "close": expected a number, found "abc"'],
    ['NaN return', editCsv('returns.csv', (l) => setCell(l, 3, 3, 'NaN')), 'returns.csv, line 3, column "strategy_return": expected a number, found "NaN"'],
    ['Infinity forecast', editCsv('predictions.csv', (l) => setCell(l, 4, 4, '1e999')), 'predictions.csv, line 4, column "forecast": expected a number, found "1e999"'],
    ['hex weight', editCsv('positions.csv', (l) => setCell(l, 300, 2, '0x1')), 'positions.csv, line 300, column "weight": expected a number, found "0x1"'],
    ['missing column', editCsv('returns.csv', (l) => (l[0] = l[0]!.replace('strategy_return', 'strategy_ret'))), 'returns.csv, line 1, column "strategy_return": no such column'],
    ['extra field', editCsv('returns.csv', (l) => (l[9] = `${l[9]},1`)), 'returns.csv, line 10: 10 fields, but the header has 9'],
    [
      'hostile label',
      editCsv('positions.csv', (l) => setCell(l, 2, 0, '<script>alert(1)</script>')),
      'positions.csv, line 2, column "month": expected a month (yyyy-MM), found "<script>alert(1)</script>"',
    ],
    [
      'date in a month column',
      editCsv('returns.csv', (l) => setCell(l, 2, 0, '1991-02-28')),
      'returns.csv, line 2, column "month": expected a month (yyyy-MM), found "1991-02-28"',
    ],
    ['no label column', editCsv('positions.csv', (l) => (l[0] = l[0]!.replace('month', 'when'))), 'positions.csv, line 1: no "month" or "date" column'],
  ];

  it.each(fileCases)('CSV: %s', (name, change, message) => {
    const r = reportOn(`csv-${name.replace(/\W+/g, '-')}`, change);
    const dir = path.join(tmp, 'cases', `csv-${name.replace(/\W+/g, '-')}`);
    expect({ code: r.code, starts: r.stderr.startsWith(`backtest: ${path.join(dir, message)}`) }).toEqual({ code: 2, starts: true });
  });

  it('CSV: an unterminated quote names the line its field starts on', () => {
    let line = 0;
    const r = reportOn(
      'csv-quote',
      editCsv('predictions.csv', (l) => {
        line = l.length - 1; // the last data line (the text ends with a line break)
        l[line - 1] = `"${l[line - 1]}`;
      }),
    );
    expect(r).toEqual({
      code: 2,
      stderr: `backtest: ${path.join(tmp, 'cases', 'csv-quote', 'predictions.csv')}, line ${line}: unterminated quoted field at the end of the file\n`,
    });
  });

  it('models/index.json, and files that are not regular files, are refused by name without hanging', () => {
    const cases: [string, (dir: string) => void, string][] = [
      [
        'index',
        (dir) => {
          mkdirSync(path.join(dir, 'models'));
          writeFileSync(path.join(dir, 'models/index.json'), '{"format":"backtest-models","fits":[{"fit":"0"}]}');
        },
        'models/index.json: "fits[0].fit": expected a whole number (0 or more), found the text "0"',
      ],
      [
        'summary dir',
        (dir) => {
          rmSync(path.join(dir, S));
          mkdirSync(path.join(dir, S));
        },
        `${S}: is a directory, not a JSON file`,
      ],
      [
        'returns fifo',
        (dir) => {
          rmSync(path.join(dir, 'returns.csv'));
          spawnSync('mkfifo', [path.join(dir, 'returns.csv')]);
        },
        "returns.csv: is a FIFO (named pipe), not a regular file: a run folder's file must be a file on disk",
      ],
    ];
    for (const [name, change, message] of cases) {
      const r = reportOn(`file-${name.replace(/\W+/g, '-')}`, change);
      expect({ name, code: r.code, stderr: r.stderr }).toEqual({ name, code: 2, stderr: `backtest: ${path.join(tmp, 'cases', `file-${name.replace(/\W+/g, '-')}`, message)}\n` });
    }
  });
});
