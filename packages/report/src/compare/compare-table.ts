import { type Html, html, joinHtml } from '../html/html';
import { best, type Better, METRIC_ROWS, num, pct } from '../terminal-table';
import { type CompareSummaryDoc, trialLabel } from './compare-record';
import { labelParts, shortLabels } from './short-labels';

/** One row of the compare table: where its number is in a column's result, and how it reads. */
export interface CompareRow {
  readonly label: string;
  /** Dotted path into `results.<label>` (and into `benchmark` when `benchmark` is set): `significance.sharpeDiffCI.0`. */
  readonly path: string;
  readonly format: (v: number) => string;
  readonly better: Better;
  /** Buy-and-hold has this number too (the metrics); significance is of a configuration against it. */
  readonly benchmark: boolean;
  readonly group: 'metrics' | 'forecast' | 'significance';
}

const count = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : 'n/a');
/** p-values as the terminal table prints them: three decimals, very small ones as <0.001. */
export const pValue = (v: number) => (!Number.isFinite(v) ? 'n/a' : v < 0.001 ? '<0.001' : v.toFixed(3));

/**
 * Every row of the compare table, in order: the metrics, forecast quality (when a configuration
 * forecasts), and the significance of each configuration against buy-and-hold. The same rows
 * and units as the terminal table of `backtest compare`, plus the few extra numbers of
 * summary.json it has no room for.
 */
export function compareRows(s: CompareSummaryDoc): CompareRow[] {
  const rows: CompareRow[] = METRIC_ROWS.map((r) => ({ label: r.label, path: String(r.key), format: r.format, better: r.better, benchmark: true, group: 'metrics' }));
  const add = (group: CompareRow['group'], label: string, path: string, format: (v: number) => string) =>
    rows.push({ label, path, format, better: 'none', benchmark: false, group });
  if (s.configurations.some((l) => s.results[l]?.forecast)) {
    add('forecast', 'Forecast RMSE (of the return)', 'forecast.rmse', pct);
    add('forecast', 'Forecast MAE (of the return)', 'forecast.mae', pct);
    add('forecast', 'Directional accuracy', 'forecast.directionalAccuracy', pct);
    add('forecast', 'Out-of-sample R² (vs historical mean)', 'forecast.r2OutOfSample', num(4));
    if (s.configurations.some((l) => (s.results[l]?.forecast as { target?: string } | undefined)?.target === 'direction')) {
      add('forecast', 'Direction accuracy (target=direction)', 'forecast.accuracy', pct);
      add('forecast', 'Log loss (target=direction)', 'forecast.logLoss', num(4));
      add('forecast', 'Brier score (target=direction)', 'forecast.brier', num(4));
      add('forecast', 'ROC AUC (target=direction)', 'forecast.auc', num(3));
    }
    add('forecast', 'Forecasts scored', 'forecast.n', count);
    add('forecast', 'DM vs no-change: statistic', 'significance.dm.statistic', num(2));
    add('forecast', 'DM vs no-change: p-value', 'significance.dm.pValue', pValue);
    add('forecast', 'Models trained', 'fits', count);
  }
  add('significance', 'PSR (Sharpe > 0)', 'significance.psr', num(3));
  add('significance', 'PSR (Sharpe > B&H)', 'significance.psrVsBenchmark', num(3));
  add('significance', `DSR (${s.trials} trials)`, 'significance.dsr', num(3));
  add('significance', 'Sharpe diff vs B&H', 'significance.sharpeDiff', num(3));
  add('significance', '95% bootstrap interval: low', 'significance.sharpeDiffCI.0', num(2));
  add('significance', '95% bootstrap interval: high', 'significance.sharpeDiffCI.1', num(2));
  add('significance', 'Bootstrap p-value', 'significance.sharpeDiffPValue', pValue);
  add('significance', 'Studentised bootstrap p-value (Ledoit-Wolf 2008)', 'significance.studentised.pValue', pValue);
  add('significance', 'Ledoit-Wolf p-value', 'significance.ledoitWolf.pValue', pValue);
  add('significance', 'Ledoit-Wolf standard error', 'significance.ledoitWolf.standardError', num(3));
  add('significance', 'Bootstrap block length (periods)', 'significance.blockLength', num(1));
  add('significance', 'Sharpe per period', 'significance.sharpePerPeriod', num(4));
  add('significance', 'Skewness of excess returns', 'significance.skewness', num(3));
  add('significance', 'Kurtosis of excess returns', 'significance.kurtosis', num(3));
  return rows;
}

/** The value at a dotted path (`undefined` where the path does not exist; JSON's null for NaN is kept). */
export function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Signed, for differences: `+0.123`. */
const signed = (d: number) => (v: number) => (!Number.isFinite(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(d)}`);

/** How many of a configuration's runs (its seeds, with --seeds; else itself) StepM finds better than buy-and-hold; undefined without the joint tests. */
export function stepMOf(s: CompareSummaryDoc, label: string): { rejected: number; of: number } | undefined {
  const mt = s.multipleTesting;
  if (!mt) return undefined;
  const seeds = s.results[label]?.seeds;
  const runs = seeds ? seeds.runs.map((r) => trialLabel(label, r.seed)) : [label];
  const rejected = new Set(mt.stepM.rejected);
  return { rejected: runs.filter((t) => rejected.has(t)).length, of: runs.length };
}

/** One numeric column of the results table: a number of `results.<label>` (and of `benchmark` when `benchmark`). */
interface SummaryColumn {
  readonly head: string;
  /** What the heading abbreviates (its tooltip). */
  readonly title: string;
  /** Dotted path into the result, as in CompareRow. */
  readonly path: string;
  readonly format: (v: number) => string;
  readonly better: Better;
  readonly benchmark: boolean;
  /** The heading above a run of columns. */
  readonly group: string;
}

/**
 * The compact columns of the results table, one row per configuration: the Sharpe ratio and
 * the figures read with it, its difference to buy-and-hold with interval and p-value, the
 * deflation, and with --seeds the spread over the seeds. Narrow enough for 50 rows in a page.
 */
export function summaryColumns(s: CompareSummaryDoc): SummaryColumn[] {
  const perf = 'Performance';
  const diff = 'Sharpe difference vs buy-and-hold';
  const defl = 'P(Sharpe > 0)';
  // A metric of the run: formatted and ranked as the metrics table's row of it.
  const metric = (path: string, head: string, title: string): SummaryColumn => {
    const row = METRIC_ROWS.find((r) => r.key === path)!;
    return { head, title, path, format: row.format, better: row.better, benchmark: true, group: perf };
  };
  const cols: SummaryColumn[] = [
    metric('sharpe', 'Sharpe', 'Sharpe ratio, annualised, over the cash return'),
    metric('cagr', 'CAGR', 'Compound annual growth rate'),
    metric('volatility', 'Vol.', 'Volatility, annualised'),
    metric('maxDrawdown', 'Max DD', 'Maximum drawdown'),
    metric('calmar', 'Calmar', 'Calmar ratio: CAGR over the maximum drawdown'),
    { head: 'Diff.', title: 'Sharpe ratio minus buy-and-hold’s', path: 'significance.sharpeDiff', format: signed(3), better: 'none', benchmark: false, group: diff },
    {
      head: '95% low',
      title: '95% paired stationary-bootstrap interval of the difference: low end',
      path: 'significance.sharpeDiffCI.0',
      format: signed(2),
      better: 'none',
      benchmark: false,
      group: diff,
    },
    {
      head: '95% high',
      title: '95% paired stationary-bootstrap interval of the difference: high end',
      path: 'significance.sharpeDiffCI.1',
      format: signed(2),
      better: 'none',
      benchmark: false,
      group: diff,
    },
    {
      head: 'p',
      title: 'Bootstrap p-value of the difference (one configuration alone, not deflated)',
      path: 'significance.sharpeDiffPValue',
      format: pValue,
      better: 'none',
      benchmark: false,
      group: diff,
    },
    {
      head: 'PSR',
      title: 'Probabilistic Sharpe ratio: the probability that the true Sharpe ratio is above 0',
      path: 'significance.psr',
      format: num(3),
      better: 'none',
      benchmark: false,
      group: defl,
    },
    {
      head: 'DSR',
      title: `Deflated Sharpe ratio: the PSR with the bar raised to the best Sharpe ratio expected of ${s.trials} trials by chance`,
      path: 'significance.dsr',
      format: num(3),
      better: 'none',
      benchmark: false,
      group: defl,
    },
  ];
  if (s.configurations.some((l) => s.results[l]?.seeds)) {
    const seeds = 'Over the seeds';
    cols.push(
      {
        head: 'Median',
        title: 'Median Sharpe ratio over the seeds (the row’s other figures are of that seed)',
        path: 'seeds.sharpe.median',
        format: num(3),
        better: 'none',
        benchmark: false,
        group: seeds,
      },
      { head: 'Min', title: 'Lowest Sharpe ratio over the seeds', path: 'seeds.sharpe.min', format: num(3), better: 'none', benchmark: false, group: seeds },
      { head: 'Max', title: 'Highest Sharpe ratio over the seeds', path: 'seeds.sharpe.max', format: num(3), better: 'none', benchmark: false, group: seeds },
      {
        head: '> B&H',
        title: 'Share of the seeds whose Sharpe ratio beats buy-and-hold’s',
        path: 'seeds.beatBenchmark',
        format: pct,
        better: 'none',
        benchmark: false,
        group: seeds,
      },
    );
  }
  return cols;
}

/**
 * `data-value` holds the number exactly as summary.json has it (null for an undefined one), so
 * a reader or a test can check a cell against the file; a cell a row has no number for
 * (significance of buy-and-hold, forecast quality of a rule) is a dash without data attributes.
 */
const NONE = html`<td class="none">—</td>`;

function cell(name: string, isBenchmark: boolean, result: unknown, path: string, format: (v: number) => string, marked: boolean): Html {
  const value = valueAt(result, path);
  if (value === undefined) return NONE;
  const n = typeof value === 'number' ? value : NaN;
  const raw = Number.isFinite(n) ? String(n) : 'null';
  const cls = marked ? html` class="better" title="best of the column"` : '';
  const bench = isBenchmark ? html` data-benchmark="true"` : '';
  return html`<td data-column="${name}"${bench} data-metric="${path}" data-value="${raw}"${cls}>${format(n)}${marked ? html`<span class="mark" aria-hidden="true">▲</span>` : ''}</td>`;
}

/** Index of each column's best value over the configurations and buy-and-hold (-1: none), the configurations first. */
function bestOf(values: unknown[], better: Better): number {
  return best(
    values.map((v) => (typeof v === 'number' ? v : NaN)),
    better,
  );
}

/** A configuration's row heading: the strategy id quiet, the parameters that vary plain; the full label on hover. */
function labelCell(full: string, short: string): Html {
  const p = labelParts(short);
  const params = p.params.length ? html` <span class="params">${p.params.join(' ')}</span>` : '';
  return html`<th scope="row" class="label" title="${full}"><span class="sid">${p.id}</span>${params}</th>`;
}

/** What a sortable heading needs: its column's index in a row and how it sorts. */
function sortHead(text: string, title: string, col: number, kind: 'number' | 'text', extra: Html | string = ''): Html {
  return html`<th scope="col" data-col="${String(col)}" data-sort="${kind}" title="${title}"${extra}>${text}</th>`;
}

/** The parameters said once above the table, by strategy. */
export function commonParams(s: CompareSummaryDoc): Html {
  const short = shortLabels(s.configurations, 'row');
  if (!short.shared.length) return html``;
  return html`<p class="common">${joinHtml(
    short.shared.map((x) => html`<span><strong>${x.id}</strong>: <code>${x.params.join(' ')}</code> in every configuration</span>`),
    '; ',
  )}. Each row shows what varies; hover a row’s name for its full label.</p>`;
}

/**
 * The results table: one row per configuration (in the order they ran, sortable by any
 * column), buy-and-hold pinned first, the compact columns of summaryColumns, whether the
 * configuration's verdict says it beats buy-and-hold, and how many of its runs StepM finds
 * better (familywise, over every run tried).
 */
export function compareTable(s: CompareSummaryDoc, benchmarkName: string): Html {
  const cols = summaryColumns(s);
  const short = shortLabels(s.configurations, 'row').headings;
  const seeds = s.configurations.some((l) => s.results[l]?.seeds);
  const joint = s.multipleTesting !== undefined;
  // Heading rows: groups above, then one sortable heading per column.
  const groups: { name: string; span: number }[] = [];
  for (const c of cols) {
    const last = groups[groups.length - 1];
    if (last && last.name === c.group) last.span++;
    else groups.push({ name: c.group, span: 1 });
  }
  const first = 3;
  const top = html`<tr class="groups"><th scope="col" rowspan="2" class="num" data-col="0" data-sort="number" data-first="ascending" title="Order they ran in">#</th>${sortHead('Configuration', 'Sort by name', 1, 'text', html` rowspan="2"`)}${sortHead('Beats B&H', 'The configuration’s own verdict: beats buy-and-hold on Sharpe after deflation over the trials', 2, 'number', html` rowspan="2"`)}${groups.map((g) => html`<th scope="colgroup" colspan="${String(g.span)}">${g.name}</th>`)}${joint ? sortHead('StepM', seeds ? 'How many of its seeds Romano-Wolf’s StepM finds better than buy-and-hold (familywise 5%, over every run tried)' : 'Romano-Wolf’s StepM finds it better than buy-and-hold (familywise 5%, over every run tried)', first + cols.length, 'number', html` rowspan="2"`) : ''}</tr>`;
  const second = html`<tr class="columns">${cols.map((c, i) => sortHead(c.head, c.title, first + i, 'number'))}</tr>`;
  const marks = bestMarks(s, cols);
  const n = s.configurations.length;
  const benchRow = html`<tr class="benchmark"><td class="num"></td><th scope="row" class="label">${benchmarkName}</th><td class="none">—</td>${cols.map((c, i) =>
    c.benchmark ? cell(benchmarkName, true, s.benchmark, c.path, c.format, marks[i] === n) : NONE,
  )}${joint ? NONE : ''}</tr>`;
  const verdicts = new Map(s.verdicts.map((v) => [v.configuration, v.beats]));
  const rows = s.configurations.map((label, k) => {
    const beats = verdicts.get(label);
    const verdict = beats === undefined ? NONE : html`<td class="verdict ${beats ? 'yes' : 'no'}" data-sort-value="${beats ? '1' : '0'}">${beats ? '✓ yes' : 'no'}</td>`;
    const sm = stepMOf(s, label);
    const stepM =
      sm === undefined
        ? ''
        : html`<td class="stepm ${sm.rejected > 0 ? 'yes' : 'no'}" data-sort-value="${String(sm.of ? sm.rejected / sm.of : 0)}" data-stepm="${String(sm.rejected)}">${
            seeds && s.results[label]?.seeds ? `${sm.rejected}/${sm.of}` : sm.rejected > 0 ? '✓ yes' : 'no'
          }</td>`;
    return html`<tr data-row="${label}"${beats ? html` class="beats"` : ''}><td class="num" data-sort-value="${String(k + 1)}">${String(k + 1)}</td>${labelCell(label, short[k]!)}${verdict}${cols.map(
      (c, i) => cell(label, false, s.results[label], c.path, c.format, marks[i] === k),
    )}${stepM}</tr>`;
  });
  return html`<table class="metrics compare summary sortable" id="results"><thead>${top}
${second}
${benchRow}</thead><tbody>${joinHtml(rows, '\n')}</tbody></table>`;
}

/** For each column, the row (a configuration's position, or n for buy-and-hold) of its best value; -1 where buy-and-hold has none. */
function bestMarks(s: CompareSummaryDoc, cols: readonly { readonly path: string; readonly better: Better; readonly benchmark: boolean }[]): number[] {
  return cols.map((c) => (c.benchmark ? bestOf([...s.configurations.map((l) => valueAt(s.results[l], c.path)), valueAt(s.benchmark, c.path)], c.better) : -1));
}

/**
 * Every number of summary.json's results, one row per configuration and a column per row of
 * compareRows (metrics, forecast quality, significance), buy-and-hold pinned first; wider than
 * a page, so it scrolls inside its box.
 */
export function allMetricsTable(s: CompareSummaryDoc, benchmarkName: string): Html {
  const rows = compareRows(s);
  const short = shortLabels(s.configurations, 'row').headings;
  const head = html`<tr>${sortHead('Configuration', 'Sort by name', 0, 'text')}${rows.map((r, i) => sortHead(r.label, `results.${r.path} in summary.json`, i + 1, 'number'))}</tr>`;
  const n = s.configurations.length;
  const marks = bestMarks(s, rows);
  const bench = html`<tr class="benchmark"><th scope="row" class="label">${benchmarkName}</th>${rows.map((r, i) =>
    r.benchmark ? cell(benchmarkName, true, s.benchmark, r.path, r.format, marks[i] === n) : NONE,
  )}</tr>`;
  const body = s.configurations.map(
    (label, k) => html`<tr data-row="${label}">${labelCell(label, short[k]!)}${rows.map((r, i) => cell(label, false, s.results[label], r.path, r.format, marks[i] === k))}</tr>`,
  );
  return html`<div class="table-scroll"><table class="metrics compare all sortable" id="all-metrics"><thead>${head}
${bench}</thead><tbody>${joinHtml(body, '\n')}</tbody></table></div>`;
}
