import type { RunRecord } from '../run-record';
import { BENCHMARK_NAME, benchmarkName, benchmarkText, periodsPerYearOf, type RunSummary, type UniverseAssetDoc, type UniverseSummaryDoc } from '../summary';
import { assetsTable } from './assets-table';
import { type ChartPage, chartFigure, chartPageBytes, chartPageHtml } from './chart-page';
import { type Html, html, joinHtml } from './html';
import { metricsTable } from './metrics-table';
import { facts, headerLine, samplingNote, warningsBox } from './page-header';
import { windowPeriods } from '../charts/rolling-risk-chart';
import { type ReportChart, reportCharts } from './report-charts';
import { drawdownsSection, signalLine, tradesSection, yearlySection } from './tearsheet';

function pctText(v: unknown): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : String(v);
}

function conventions(record: RunRecord, s: RunSummary): Html {
  const c = s.conventions;
  const ppy = c.periodsPerYear;
  const labels = record.prices.labels;
  const firstDecision = labels[labels.indexOf(s.period.start) - 1];
  const known = new Set([
    'periodsPerYear',
    'cashRate',
    'cash',
    'costBps',
    'timing',
    'sharpe',
    'hitRate',
    'informationRatio',
    'alpha',
    'maxDrawdownPeriods',
    'maxDrawdownMonths',
    'valueAtRisk95',
  ]);
  const said = (key: string, fallback: string): string => (typeof c[key] === 'string' ? String(c[key]) : fallback);
  // A universe's benchmark is its own (equal weight, or one asset held), not the one series' buy-and-hold.
  const benchmark = s.universe ? `the benchmark (${benchmarkText(s)})` : 'buy-and-hold';
  // Text only: `facts` escapes each value.
  const items: [string, string][] = [
    [
      'Evaluation period',
      `${s.period.start} .. ${s.period.end}, ${s.period.periods} ${s.frequency === 'monthly' ? 'months' : 'periods'}` +
        (firstDecision ? `; the first weight was decided at the close of ${firstDecision}` : '') +
        `. ${benchmark[0]!.toUpperCase()}${benchmark.slice(1)} is measured over exactly the same periods.`,
    ],
    ['Timing', `${String(c.timing ?? 'a weight decided at the close of period t is held over period t+1')}; a decision sees rows up to t only.`],
    ['Annualisation', `${ppy} periods a year: volatility = sd(r, n−1)·√${ppy}; CAGR = ∏(1+r)^(${ppy}/N) − 1`],
    ['Sharpe, Sortino', `${String(c.sharpe ?? '')}; Sortino divides by √(Σ min(excess, 0)² / N)`],
    [
      'Cash rate',
      typeof c.cashRate === 'number'
        ? `${pctText(c.cashRate)} a year, compounded to a per-period return; uninvested weight earns it`
        : `${String(c.cash ?? c.cashRate)}; uninvested weight earns it, and Sharpe, Sortino and alpha are over it`,
    ],
    ['Costs', `${c.costBps} basis points per unit of weight change (entering from cash pays once; ${benchmark} pays its entry too)`],
    [
      'Max drawdown',
      `on the equity curve with a starting value of 1 prepended (a negative fraction); duration: ${said('maxDrawdownPeriods', 'from peak to recovery, or to the end')}`,
    ],
    ['Alpha, beta', `OLS of the strategy’s returns on ${s.universe ? 'the benchmark’s' : 'buy-and-hold’s'}; alpha: ${said('alpha', `the intercept × ${ppy}`)}`],
    [
      'VaR, expected shortfall',
      said(
        'valueAtRisk95',
        'historical, 95%, per period: VaR is the empirical 5% quantile of the period returns, interpolated linearly between order statistics (numpy’s default: h = (N − 1) × 0.05 into the sorted returns); expected shortfall is the mean of the returns at or below it. Both are returns, negative for a loss, like max drawdown',
      ),
    ],
    [
      'Rolling charts',
      `volatility over the last ${windowPeriods(12, periodsPerYearOf(s))} periods (12 months), annualised as above; beta: the OLS slope over the last ${windowPeriods(36, periodsPerYearOf(s))} periods (36 months)`,
    ],
    ['Hit rate', said('hitRate', 'share of periods with a positive return')],
    ['Information ratio', said('informationRatio', 'mean(r − b) / sd(r − b), annualised')],
  ];
  for (const [k, v] of Object.entries(c)) if (!known.has(k)) items.push([k, String(v)]);
  return facts(items);
}

/** A parameter value as JSON (undefined, which JSON has not, as its name). */
function jsonText(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

export function paramsText(params: Record<string, unknown>): Html {
  const entries = Object.entries(params);
  return entries.length
    ? joinHtml(
        entries.map(([k, v]) => html`<code>${k}=${jsonText(v)}</code>`),
        ', ',
      )
    : html`none`;
}

/**
 * The self-contained HTML report of a run: plain-HTML tables and text, and charts drawn in the
 * browser from inlined specs by the inlined Vega runtime. A pure function of the record (no
 * clock, no environment), so rebuilding from the run folder gives the same bytes.
 */
export function buildReport(record: RunRecord): string {
  return chartPageHtml(reportPage(record));
}

/** The report as UTF-8 bytes, what run folders store. */
export function reportBytes(record: RunRecord): Buffer {
  return chartPageBytes(reportPage(record));
}

function reportPage(record: RunRecord): ChartPage {
  // Through JSON, as summary.json stores it: NaN becomes null whether the record came from a
  // run or from the folder, which keeps the two reports identical.
  const s = JSON.parse(JSON.stringify(record.summary)) as RunSummary;
  const charts = reportCharts(record);
  const meta = headerLine(s, record);
  const warnings = warningsBox(s.warnings);
  const labels = record.prices.labels;
  const against = benchmarkText(s);
  const body = html`<h1>${s.strategy} <span style="font-weight:normal;color:#5b6168">against ${against}</span></h1>
<p class="lede">${meta}</p>${signalLine(s)}
${warnings}
<h2>Results</h2>
${metricsTable(s, (id) => (id === BENCHMARK_NAME ? benchmarkName(s) : id))}
<p class="note">▲ marks the better value of a row where one direction is better. Returns are per period and total, annualised where marked; Sharpe, Sortino and alpha are over the cash return. Strategy parameters: ${paramsText(s.params)}.</p>${s.universe ? assetsSection(s.universe) : ''}
${drawdownsSection(record)}
${yearlySection(record)}
<h2>Charts</h2>
${samplingNote(labels.length, s.frequency === 'monthly' ? 'month' : 'day', { bands: !record.universe })}
${joinHtml(charts.map(chartFigure), '\n')}${omittedCharts(record, charts)}
${tradesSection(record)}
<h2>Conventions</h2>
${conventions(record, s)}
<h2>Data</h2>
${facts([
  ['Dataset', s.dataset],
  ['File', html`<code>${record.data.path}</code>`],
  ['SHA-256', html`<code>${record.data.sha256}</code>`],
  ...(s.universe?.assets ?? []).map((a): [string, Html] => [`Asset ${a.name}`, assetSource(a)]),
  ['Rows in the run’s range', `${labels.length} (${labels[0] ?? ''} .. ${labels[labels.length - 1] ?? ''}), warm-up included`],
  ['Warnings', s.warnings.length ? `${s.warnings.length} (listed at the top)` : 'none'],
])}
<h2>Reproduce</h2>
<p>The resolved settings of this run (also in <code>summary.json</code>, with the data file’s hash):</p>
<pre>${JSON.stringify(record.config, null, 2)}</pre>`;
  return { title: `${s.strategy} against ${against} on ${s.dataset}`, body, charts, generator: `backtest ${record.version}` };
}

/** What a short run leaves out: the rolling charts `reportCharts` did not draw because their window is longer than the run. */
function omittedCharts(record: RunRecord, charts: readonly ReportChart[]): Html {
  const ppy = periodsPerYearOf(record.summary);
  const n = record.periods.labels.length;
  const drawn = new Set(charts.map((c) => c.id));
  const left = [
    ...(drawn.has('rolling-volatility') ? [] : [`rolling 12-month volatility (${windowPeriods(12, ppy)} periods)`]),
    ...(drawn.has('rolling-sharpe') ? [] : [`rolling 36-month Sharpe ratio and beta (${windowPeriods(36, ppy)} periods)`]),
  ];
  return left.length ? html`\n<p class="note omitted">Not drawn: ${left.join('; ')}: the run has ${String(n)} periods, and each needs more than its window.</p>` : html``;
}

/** A universe's assets, after the results: what each was and did. */
function assetsSection(u: UniverseSummaryDoc): Html {
  return html`
<h2>Assets</h2>
${assetsTable(u)}
<p class="note">Mean weight: over the evaluation periods. Contribution: the sum over the periods of the weight held in the asset times its return. Total return: the asset’s own, compounded over the same periods, in its own currency.</p>`;
}

/** Where an asset's rows came from: its file, the SHA-256 of its bytes, its origin, as far as the summary says. */
function assetSource(a: UniverseAssetDoc): Html {
  const parts = [
    ...(a.file ? [html`<code>${a.file}</code>`] : []),
    ...(a.sha256 ? [html`SHA-256 <code>${a.sha256}</code>`] : []),
    ...(a.origin ? [a.origin] : []),
    ...(a.currency ? [`in ${a.currency}`] : []),
  ];
  return parts.length ? joinHtml(parts, ' · ') : html`—`;
}
