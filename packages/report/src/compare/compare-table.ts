import { type Html, html, joinHtml } from '../html/html';
import { best, type Better, METRIC_ROWS, num, pct } from '../terminal-table';
import type { CompareSummaryDoc } from './compare-record';

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
const pValue = (v: number) => (!Number.isFinite(v) ? 'n/a' : v < 0.001 ? '<0.001' : v.toFixed(3));

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

interface Column {
  readonly name: string;
  readonly benchmark: boolean;
  readonly result: unknown;
}

/**
 * `data-value` holds the number exactly as summary.json has it (null for an undefined one), so
 * a reader or a test can check a cell against the file; a row a column has no number for
 * (significance of buy-and-hold, forecast quality of a rule) is a dash without data attributes.
 */
const NONE = html`<td class="none">—<span class="mark"></span></td>`;

function cell(col: Column, row: CompareRow, marked: boolean): Html {
  const value = row.benchmark || !col.benchmark ? valueAt(col.result, row.path) : undefined;
  if (value === undefined) return NONE;
  const n = typeof value === 'number' ? value : NaN;
  const raw = Number.isFinite(n) ? String(n) : 'null';
  const cls = marked ? html` class="better" title="best of the row"` : '';
  const bench = col.benchmark ? html` data-benchmark="true"` : '';
  return html`<td data-column="${col.name}"${bench} data-metric="${row.path}" data-value="${raw}"${cls}>${row.format(n)}<span class="mark" aria-hidden="true">${marked ? '▲' : ''}</span></td>`;
}

/** The comparison table as plain HTML: one column per configuration, buy-and-hold last. */
export function compareTable(s: CompareSummaryDoc, benchmarkName: string): Html {
  const cols: Column[] = [...s.configurations.map((l) => ({ name: l, benchmark: false, result: s.results[l] })), { name: benchmarkName, benchmark: true, result: s.benchmark }];
  const head = html`<thead><tr><th scope="col">Metric</th>${cols.map((c) => html`<th scope="col">${c.name}</th>`)}</tr></thead>`;
  const body: Html[] = [];
  let group: CompareRow['group'] | undefined;
  for (const row of compareRows(s)) {
    if (row.group !== group && group !== undefined) {
      const title = row.group === 'forecast' ? 'Forecast quality' : 'Significance against buy-and-hold';
      body.push(html`<tr class="group"><th scope="rowgroup" colspan="${cols.length + 1}">${title}</th></tr>`);
    }
    group = row.group;
    const values = cols.map((c) => valueAt(c.result, row.path));
    const b = row.benchmark
      ? best(
          values.map((v) => (typeof v === 'number' ? v : NaN)),
          row.better,
        )
      : -1;
    body.push(html`<tr class="${row.group}"><th scope="row">${row.label}</th>${cols.map((c, i) => cell(c, row, i === b))}</tr>`);
  }
  return html`<div class="table-scroll"><table class="metrics compare">${head}<tbody>${joinHtml(body, '\n')}</tbody></table></div>`;
}
