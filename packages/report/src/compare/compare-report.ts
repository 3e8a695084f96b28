import { type ChartPage, chartFigure, chartPageBytes, chartPageHtml, type PageChart } from '../html/chart-page';
import { type Html, html, joinHtml, trusted } from '../html/html';
import { facts, headerLine, samplingNote, warningsBox } from '../html/page-header';
import { paramsText } from '../html/report';
import { BENCHMARK_NAME } from '../summary';
import { GROWTH_SHOWN, growthChart, pboChart, pboHistogram, seedsStripChart, sharpeDiffChart } from './compare-charts';
import type { CompareRecord, CompareSummaryDoc } from './compare-record';
import { allMetricsTable, commonParams, compareRows, compareTable, pValue } from './compare-table';

/**
 * What the report adds to the run report's stylesheet: a wider page, so the results table fits
 * at 50 rows; compact, sortable tables; the joint verdict standing out; the folded lists.
 */
const COMPARE_CSS = trusted`<style>
main { max-width: 1280px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table.compare { font-size: 13px; }
table.compare th, table.compare td { padding: 3px 6px; }
table.compare thead th { vertical-align: bottom; white-space: normal; }
table.compare thead tr.columns th, table.compare thead th.num { text-align: right; }
table.compare.summary thead th[data-col="1"] { text-align: left; }
table.compare thead tr.groups th[scope=colgroup] { text-align: center; border-bottom: 1px solid #c9ccd1; color: var(--muted); font-weight: 600; }
table.compare thead th[data-sort] { user-select: none; }
/* The headings and buy-and-hold's row stay in view while 50 rows scroll past. */
table.compare.summary thead { position: sticky; top: 0; z-index: 2; background: #fff; box-shadow: 0 1px 0 #e0b97a; }
table.compare thead th.sortable { cursor: pointer; }
table.compare thead th.sortable:hover { background: #eef3fb; }
table.compare thead th[aria-sort=ascending]::after { content: " ▲"; font-size: 9px; }
table.compare thead th[aria-sort=descending]::after { content: " ▼"; font-size: 9px; }
table.compare tr.benchmark th, table.compare tr.benchmark td { background: #fdf3e6; border-bottom: 2px solid #e0b97a; }
table.compare th.label { white-space: nowrap; max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
table.compare th.label .sid { color: var(--muted); }
table.compare tr.benchmark th.label { text-align: left; font-weight: 600; }
table.compare tbody tr.beats th.label .params { font-weight: 600; color: #0b6b2f; }
table.compare td.num { color: var(--muted); text-align: right; }
table.compare td.verdict.yes, table.compare td.stepm.yes { color: #0b6b2f; font-weight: 600; }
table.compare td.verdict.no, table.compare td.stepm.no { color: var(--muted); }
table.compare td .mark { width: auto; margin-left: 2px; }
table.compare tbody tr:hover th, table.compare tbody tr:hover td { background: #f3f6fa; }
table.compare.all thead th { min-width: 64px; font-size: 12px; }
table.compare.all th.label { position: sticky; left: 0; background: #fff; z-index: 1; }
table.compare.all tr.benchmark th.label { background: #fdf3e6; }
.joint { margin: 12px 0 8px; padding: 12px 16px; border-left: 6px solid #9aa3ad; background: #f6f7f9; font-size: 16px; }
.joint.beats { border-left-color: #0b8a3e; background: #eef8f1; }
.joint .answer { display: block; font-size: 19px; font-weight: 700; margin-bottom: 4px; }
.joint dl.facts { margin-top: 8px; font-size: 14px; }
p.common { margin: 4px 0 8px; }
details { margin: 10px 0; }
details > summary { cursor: pointer; color: var(--accent); }
ul.verdicts { padding-left: 0; list-style: none; font-size: 14px; }
ul.verdicts li { margin: 4px 0; padding: 6px 10px; border-left: 4px solid #9aa3ad; background: #f6f7f9; }
ul.verdicts li.beats { border-left-color: #0b8a3e; background: #eef8f1; }
.vega-bindings { font-size: 13px; color: var(--muted); margin-top: 4px; }
.vega-bindings input[type=range] { vertical-align: middle; width: 260px; }
</style>`;

/**
 * Sorts a table.sortable by the heading clicked (or Enter on it): numbers by the cells'
 * `data-value` (else `data-sort-value`), nulls last either way; text by the full label, digits as numbers (window=6 before window=12); first
 * click largest first (names A to Z), a second click the other way. Rows in <thead>
 * (buy-and-hold) stay where they are. Without it the table is a plain table.
 */
const SORT_SCRIPT = trusted`<script>
(function () {
  function key(row, col, kind) {
    var cell = row.children[col];
    if (!cell) return null;
    var v = cell.getAttribute('data-value');
    if (v === null) v = cell.getAttribute('data-sort-value');
    if (kind === 'text') return (cell.getAttribute('title') || cell.textContent || '').toLowerCase();
    if (v === null || v === '' || v === 'null') return null;
    var n = Number(v);
    return isFinite(n) ? n : null;
  }
  function sortBy(table, th) {
    var col = Number(th.getAttribute('data-col'));
    var kind = th.getAttribute('data-sort');
    var now = th.getAttribute('aria-sort');
    var dir = now === 'descending' ? 'ascending' : now === 'ascending' ? 'descending' : th.getAttribute('data-first') || (kind === 'text' ? 'ascending' : 'descending');
    var heads = table.querySelectorAll('thead th[data-sort]');
    for (var h = 0; h < heads.length; h++) heads[h].setAttribute('aria-sort', 'none');
    th.setAttribute('aria-sort', dir);
    var sign = dir === 'ascending' ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (r, i) { return { r: r, k: key(r, col, kind), i: i }; });
    rows.sort(function (a, b) {
      if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
      var c = kind === 'text' ? a.k.localeCompare(b.k, undefined, { numeric: true }) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return c !== 0 ? sign * c : a.i - b.i;
    });
    rows.forEach(function (x) { body.appendChild(x.r); });
  }
  var tables = document.querySelectorAll('table.sortable');
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var heads = table.querySelectorAll('thead th[data-sort]');
      for (var h = 0; h < heads.length; h++) {
        (function (th) {
          th.classList.add('sortable');
          th.tabIndex = 0;
          th.setAttribute('aria-sort', 'none');
          th.title = (th.title ? th.title + ' ' : '') + '(click to sort)';
          th.addEventListener('click', function () { sortBy(table, th); });
          th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, th); } });
        })(heads[h]);
      }
    })(tables[t]);
  }
})();
</script>`;

/** Readable names of the conventions compare records; others are shown under their key. */
const CONVENTION_NAMES: Record<string, string> = {
  timing: 'Timing',
  firstDecision: 'First decision',
  periodsPerYear: 'Annualisation',
  sharpe: 'Sharpe ratio',
  cashRate: 'Cash rate',
  cash: 'Cash rate',
  costBps: 'Costs',
  psr: 'PSR',
  dsr: 'DSR',
  bootstrap: 'Bootstrap',
  dm: 'Diebold-Mariano',
};

/** Text: `facts` escapes it. */
function conventionText(key: string, v: string | number): string {
  if (key === 'cashRate' && typeof v === 'number') return `${(v * 100).toFixed(2)}% a year, compounded to a per-period return; uninvested weight earns it`;
  if (key === 'costBps') return `${v} basis points per unit of weight change (entering from cash pays once; buy-and-hold pays its entry too)`;
  if (key === 'periodsPerYear') return `${v} periods a year`;
  return String(v);
}

function conventions(s: CompareSummaryDoc): Html {
  const n = s.configurations.length;
  const prior = s.trials - n;
  const items: [string, Html | string][] = [
    [
      'Evaluation period',
      `${s.period.start} .. ${s.period.end}, ${s.period.periods} ${s.frequency === 'monthly' ? 'months' : 'periods'}, the same for every column: ` +
        'it starts where the configuration that needs the most history (or the latest test start) can first decide, and buy-and-hold is measured over exactly these periods.',
    ],
    [
      'Verdict',
      // The rule as the compare recorded it, then where its trial count comes from.
      html`A configuration ${String(s.conventions.verdict ?? '')}. Trials: ${s.trials} = ${n} configuration${n === 1 ? '' : 's'} in this compare${
        prior > 0 ? html` + ${prior} tried before (<code>--trials</code>)` : ''
      }; the DSR is deflated over the same count.`,
    ],
  ];
  // One cash row: a constant rate says itself; a yield series is said by the `cash` rule.
  const cashSeries = typeof s.conventions.cashRate === 'string';
  for (const [k, v] of Object.entries(s.conventions)) {
    if (k === 'verdict' || (k === 'cash' && !cashSeries) || (k === 'cashRate' && cashSeries)) continue;
    items.push([CONVENTION_NAMES[k] ?? k, conventionText(k, v)]);
  }
  return facts(items);
}

function paramsList(s: CompareSummaryDoc): Html {
  return facts(s.configurations.map((l) => [l, paramsText(s.results[l]!.params)]));
}

/** The charts of a compare report, in reading order: the seeds' and PBO's only when the compare has them. */
function compareCharts(record: CompareRecord): PageChart[] {
  const s = record.summary;
  const seeds = seedsStripChart(record);
  const histogram = pboHistogram(record);
  const n = s.configurations.length;
  return [
    {
      id: 'sharpe-diff',
      spec: sharpeDiffChart(record),
      caption:
        'An interval that crosses the dashed orange line (buy-and-hold) is a difference the data cannot tell from none. An interval clear of it is one configuration’s evidence alone: with several tried, the best of them is expected to look good by chance. StepM (green, ringed) accounts for that over every run tried; the table’s “Beats B&H” column gives each verdict, deflated over the trials.',
    },
    ...(seeds
      ? [
          {
            id: 'seeds',
            spec: seeds,
            caption:
              'How much of a stochastic configuration’s result is its seed: a wide line is a result the seed decides. The table’s figures are of each configuration’s median seed.',
          },
        ]
      : []),
    ...(histogram
      ? [
          {
            id: 'pbo',
            spec: pboChart(record, histogram),
            caption:
              'Recomputed here from the folder’s return series (returns.csv, trials.csv), as compare computed the PBO of summary.json. Mostly red: picking the in-sample best is no better than picking any; about half red is what pure noise gives.',
          },
        ]
      : []),
    {
      id: 'growth',
      spec: growthChart(record, BENCHMARK_NAME),
      caption:
        n > GROWTH_SHOWN
          ? `The ${GROWTH_SHOWN} best of the ${n} configurations by Sharpe ratio, in colour, and buy-and-hold, dashed; every curve starts at 1 before the first common period and compounds each period’s return, costs included. The slider draws more, best first, in grey.`
          : 'Every curve starts at 1 before the first common period and compounds each period’s return, costs included; buy-and-hold is dashed.',
    },
  ];
}

/** The configurations by name, or by count when the names (grid labels) would fill lines. */
function heading(s: CompareSummaryDoc): string {
  const names = s.configurations.join(', ');
  return names.length <= 60 ? names : `${s.configurations.length} configurations`;
}

/** The answer for all configurations together, first and large, with the joint tests' figures. */
function jointBox(s: CompareSummaryDoc): Html {
  const j = s.jointVerdict;
  if (!j) return html``;
  const mt = s.multipleTesting;
  const items: [string, Html | string][] = mt
    ? [
        [
          'Runs tested together',
          `${mt.trials.length} (${mt.trials.length === s.configurations.length ? 'every configuration' : 'each seed of a stochastic configuration counted apart'}), ${mt.samples} bootstrap samples, block length ${mt.blockLength.toFixed(2)}`,
        ],
        ['Hansen’s SPA p-value', pValue(mt.spa.pValue)],
        ['White’s Reality Check p-value', pValue(mt.realityCheck.pValue)],
        [
          'StepM (Romano-Wolf, 5% familywise)',
          mt.stepM.rejected.length
            ? `${mt.stepM.rejected.length} of ${mt.trials.length} runs better than buy-and-hold: ${mt.stepM.rejected.join(', ')}`
            : `none of the ${mt.trials.length} runs shown better than buy-and-hold`,
        ],
        ...(mt.pbo
          ? ([['Probability of backtest overfitting (CSCV)', `${pValue(mt.pbo.value)} (${mt.pbo.blocks} blocks, ${mt.pbo.splits} splits; histogram below)`]] as [string, string][])
          : []),
      ]
    : [];
  return html`<div class="joint ${j.beats ? 'beats' : 'not'}" data-joint="true" data-beats="${String(j.beats)}"><span class="answer">${
    j.beats ? 'Taken together: the best of them beats buy-and-hold on mean return.' : 'Taken together: no evidence that the best of them beats buy-and-hold on mean return.'
  }</span><span class="text">${j.text}</span>${items.length ? facts(items) : ''}</div>`;
}

/** Each configuration's verdict, folded: the table's “Beats B&H” column says them in a word. */
function verdictList(s: CompareSummaryDoc): Html {
  const beat = s.verdicts.filter((v) => v.beats).length;
  const items = s.verdicts.map((v) => html`<li class="${v.beats ? 'beats' : 'not'}" data-configuration="${v.configuration}">${v.text}</li>`);
  return html`<details class="verdicts"${s.verdicts.length <= 3 ? html` open` : ''}><summary>Each configuration’s verdict on its own (${String(beat)} of ${String(s.verdicts.length)} beat buy-and-hold after deflation over ${String(s.trials)} trials)</summary>
<ul class="verdicts">${joinHtml(items, '\n')}</ul></details>`;
}

function comparePage(record: CompareRecord): ChartPage {
  // Through JSON, as summary.json stores it: NaN becomes null in the table exactly as in the file.
  const s = JSON.parse(JSON.stringify(record.summary)) as CompareSummaryDoc;
  const charts = compareCharts(record);
  const meta = headerLine(s, record, [`${s.trials} trial${s.trials === 1 ? '' : 's'}`]);
  const warnings = warningsBox(s.warnings);
  const n = s.configurations.length;
  const params = paramsList(s);
  const body = html`${COMPARE_CSS}
<h1>${heading(s)} <span style="font-weight:normal;color:#5b6168">against ${BENCHMARK_NAME}</span></h1>
<p class="lede">${meta}</p>
${warnings}
<h2>Verdict</h2>
${jointBox(s)}
${verdictList(s)}
<h2>Results</h2>
${commonParams(s)}
${compareTable(s, BENCHMARK_NAME)}
<p class="note">Click a heading to sort (again to reverse); buy-and-hold stays first. ▲ marks the best value of a column where one direction is better. Returns are per period and total, annualised where marked; Sharpe is over the cash return. The difference, its 95% paired stationary-bootstrap interval and its p-value are of each configuration alone against buy-and-hold over the same periods; “Beats B&H” is its verdict deflated over the ${String(s.trials)} trials${s.multipleTesting ? '; StepM tests every run tried together' : ''}.</p>
<details class="all-metrics"><summary>All metrics of summary.json (${String(compareRows(s).length)} columns; scrolls sideways)</summary>
${allMetricsTable(s, BENCHMARK_NAME)}
</details>
<h2>Charts</h2>
${samplingNote(record.periods.labels.length, s.frequency === 'monthly' ? 'month' : 'day')}
${joinHtml(charts.map(chartFigure), '\n')}
<h2>Configurations</h2>
${n > 10 ? html`<details><summary>The ${String(n)} configurations’ parameters</summary>${params}</details>` : params}
<h2>Conventions</h2>
${conventions(s)}
<h2>Data</h2>
${facts([
  ['Dataset', s.dataset],
  ['File', html`<code>${record.data.path}</code>`],
  ['SHA-256', html`<code>${record.data.sha256}</code>`],
  ['Warnings', s.warnings.length ? `${s.warnings.length} (listed at the top)` : 'none'],
])}
<h2>Reproduce</h2>
<p>The resolved settings and compare options of this run (also in <code>summary.json</code>, with the data file’s hash):</p>
<pre>${JSON.stringify(record.config, null, 2)}</pre>`;
  return { title: `compare: ${heading(s)} against ${BENCHMARK_NAME} on ${s.dataset}`, body, charts, generator: `backtest ${record.version}`, script: SORT_SCRIPT };
}

/** The self-contained HTML report of a compare; a pure function of the record. */
export function buildCompareReport(record: CompareRecord): string {
  return chartPageHtml(comparePage(record));
}

/** The report as UTF-8 bytes, what the compare folder stores. */
export function compareReportBytes(record: CompareRecord): Buffer {
  return chartPageBytes(comparePage(record));
}
