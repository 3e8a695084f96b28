import { type ChartPage, chartFigure, chartPageBytes, chartPageHtml, type PageChart } from '../html/chart-page';
import { type Html, html, joinHtml, trusted } from '../html/html';
import { facts, headerLine, samplingNote, warningsBox } from '../html/page-header';
import { paramsText } from '../html/report';
import { BENCHMARK_NAME } from '../summary';
import { compareEquityChart, sharpeDiffChart } from './compare-charts';
import type { CompareRecord, CompareSummaryDoc } from './compare-record';
import { compareTable } from './compare-table';

/** What the report adds to the run report's stylesheet: a wide table scrolls, row groups stand out. */
const COMPARE_CSS = trusted`<style>
.table-scroll { overflow-x: auto; }
table.compare thead th { vertical-align: bottom; }
table.compare thead th:last-child { white-space: nowrap; }
table.compare tr.group th { text-align: left; font-weight: 600; padding-top: 16px; border-bottom: 2px solid #c9ccd1; }
table.compare tr.significance th[scope=row], table.compare tr.forecast th[scope=row] { color: var(--muted); }
ul.verdicts { padding-left: 0; list-style: none; }
ul.verdicts li { margin: 6px 0; padding: 8px 12px; border-left: 4px solid #9aa3ad; background: #f6f7f9; }
ul.verdicts li.beats { border-left-color: #0b8a3e; background: #eef8f1; }
</style>`;

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

/** The charts of a compare report, in reading order. */
function compareCharts(record: CompareRecord): PageChart[] {
  return [
    {
      id: 'sharpe-diff',
      spec: sharpeDiffChart(record),
      caption:
        'An interval that crosses the dashed zero line is a difference the data cannot tell from none. Green: the verdict says the configuration beats buy-and-hold after deflation (its p-value times the trials is below 0.05), which a single interval clear of zero does not yet imply when several were tried.',
    },
    {
      id: 'equity',
      spec: compareEquityChart(record, BENCHMARK_NAME),
      caption: 'Every curve starts at 1 before the first common period and compounds each period’s return, costs included; buy-and-hold is dashed.',
    },
  ];
}

/** The configurations by name, or by count when the names (grid labels) would fill lines. */
function heading(s: CompareSummaryDoc): string {
  const names = s.configurations.join(', ');
  return names.length <= 60 ? names : `${s.configurations.length} configurations`;
}

function comparePage(record: CompareRecord): ChartPage {
  // Through JSON, as summary.json stores it: NaN becomes null in the table exactly as in the file.
  const s = JSON.parse(JSON.stringify(record.summary)) as CompareSummaryDoc;
  const charts = compareCharts(record);
  const meta = headerLine(s, record, [`${s.trials} trial${s.trials === 1 ? '' : 's'}`]);
  const warnings = warningsBox(s.warnings);
  const verdicts = joinHtml(
    [
      // The joint answer first (every run tried, tested together), then each configuration's.
      ...(s.jointVerdict ? [html`<li class="joint ${s.jointVerdict.beats ? 'beats' : 'not'}" data-joint="true"><strong>${s.jointVerdict.text}</strong></li>`] : []),
      ...s.verdicts.map((v) => html`<li class="${v.beats ? 'beats' : 'not'}" data-configuration="${v.configuration}">${v.text}</li>`),
    ],
    '\n',
  );
  const body = html`${COMPARE_CSS}
<h1>${heading(s)} <span style="font-weight:normal;color:#5b6168">against ${BENCHMARK_NAME}</span></h1>
<p class="lede">${meta}</p>
${warnings}
<h2>Verdicts</h2>
<ul class="verdicts">${verdicts}</ul>
<h2>Results</h2>
${compareTable(s, BENCHMARK_NAME)}
<p class="note">▲ marks the best value of a metric row where one direction is better. Returns are per period and total, annualised where marked; Sharpe, Sortino and alpha are over the cash return. Significance is of each configuration against buy-and-hold over the same periods; the interval is the 95% paired stationary-bootstrap interval of the Sharpe difference.</p>
<h2>Charts</h2>
${samplingNote(record.periods.labels.length, s.frequency === 'monthly' ? 'month' : 'day')}
${joinHtml(charts.map(chartFigure), '\n')}
<h2>Configurations</h2>
${paramsList(s)}
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
  return { title: `compare: ${s.configurations.join(', ')} against ${BENCHMARK_NAME} on ${s.dataset}`, body, charts, generator: `backtest ${record.version}` };
}

/** The self-contained HTML report of a compare; a pure function of the record. */
export function buildCompareReport(record: CompareRecord): string {
  return chartPageHtml(comparePage(record));
}

/** The report as UTF-8 bytes, what the compare folder stores. */
export function compareReportBytes(record: CompareRecord): Buffer {
  return chartPageBytes(comparePage(record));
}
