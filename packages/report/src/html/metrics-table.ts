import type { RunSummary, StrategyResult } from '../summary';
import { best, METRIC_ROWS, num, pct } from '../terminal-table';
import { escapeHtml } from './escape';

/** `data-value` holds the number exactly as summary.json has it, so a reader (or a test) can check the cell against the file. */
function cell(id: string, key: string, value: unknown, text: string, better: boolean): string {
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null';
  const cls = better ? ' class="better" title="better of the two"' : '';
  return `<td data-strategy="${escapeHtml(id)}" data-metric="${escapeHtml(key)}" data-value="${raw}"${cls}>${escapeHtml(text)}<span class="mark" aria-hidden="true">${better ? '▲' : ''}</span></td>`;
}

const FORECAST_ROWS: { key: 'rmse' | 'mae' | 'directionalAccuracy' | 'r2OutOfSample' | 'n'; label: string; format: (v: number) => string }[] = [
  { key: 'rmse', label: 'Forecast RMSE (of the return)', format: pct },
  { key: 'mae', label: 'Forecast MAE (of the return)', format: pct },
  { key: 'directionalAccuracy', label: 'Directional accuracy', format: pct },
  { key: 'r2OutOfSample', label: 'Out-of-sample R² (vs historical mean)', format: num(4) },
  { key: 'n', label: 'Forecasts scored', format: (v) => (Number.isFinite(v) ? String(v) : 'n/a') },
];

/**
 * The comparison table as plain HTML (readable with scripts off): the same rows, units and
 * better-value marks as the terminal table, from the same summary.
 */
export function metricsTable(summary: RunSummary): string {
  const ids = Object.keys(summary.results);
  const head = `<thead><tr><th scope="col">Metric</th>${ids.map((id) => `<th scope="col">${escapeHtml(id)}</th>`).join('')}</tr></thead>`;
  const rows: string[] = [];
  for (const r of METRIC_ROWS) {
    const values = ids.map((id) => summary.results[id]![r.key as keyof StrategyResult] as number);
    const b = best(values, r.better);
    rows.push(
      `<tr><th scope="row">${escapeHtml(r.label)}</th>${values.map((v, i) => cell(ids[i]!, String(r.key), v, r.format(v), i === b)).join('')}</tr>`,
    );
  }
  for (const id of ids) {
    const f = summary.results[id]!.forecast;
    if (!f) continue;
    for (const r of FORECAST_ROWS) {
      const cells = ids.map((x) => (x === id ? cell(id, `forecast.${r.key}`, f[r.key], r.format(f[r.key]), false) : '<td class="none">—<span class="mark"></span></td>'));
      rows.push(`<tr class="forecast"><th scope="row">${escapeHtml(r.label)}</th>${cells.join('')}</tr>`);
    }
    const fits = summary.results[id]!.fits;
    if (fits !== undefined) {
      rows.push(`<tr class="forecast"><th scope="row">Models trained</th>${ids.map((x) => (x === id ? cell(id, 'fits', fits, String(fits), false) : '<td class="none">—<span class="mark"></span></td>')).join('')}</tr>`);
    }
  }
  return `<table class="metrics">${head}<tbody>${rows.join('\n')}</tbody></table>`;
}
