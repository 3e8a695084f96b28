import type { RunSummary, StrategyResult } from '../summary';
import { best, forecastRows, METRIC_ROWS } from '../terminal-table';
import { type Html, html, joinHtml } from './html';

/** `data-value` holds the number exactly as summary.json has it, so a reader (or a test) can check the cell against the file. */
function cell(id: string, key: string, value: unknown, text: string, better: boolean): Html {
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null';
  const cls = better ? html` class="better" title="better of the two"` : '';
  return html`<td data-strategy="${id}" data-metric="${key}" data-value="${raw}"${cls}>${text}<span class="mark" aria-hidden="true">${better ? '▲' : ''}</span></td>`;
}

const NONE = html`<td class="none">—<span class="mark"></span></td>`;

/**
 * The comparison table as plain HTML (readable with scripts off): the same rows, units and
 * better-value marks as the terminal table, from the same summary. `columnName(id)` heads the
 * column of the results `id`.
 */
export function metricsTable(summary: RunSummary, columnName: (id: string) => string): Html {
  const ids = Object.keys(summary.results);
  const head = html`<thead><tr><th scope="col">Metric</th>${ids.map((id) => html`<th scope="col">${columnName(id)}</th>`)}</tr></thead>`;
  const rows: Html[] = [];
  for (const r of METRIC_ROWS) {
    const values = ids.map((id) => summary.results[id]![r.key as keyof StrategyResult] as number);
    const b = best(values, r.better);
    rows.push(html`<tr><th scope="row">${r.label}</th>${values.map((v, i) => cell(ids[i]!, String(r.key), v, r.format(v), i === b))}</tr>`);
  }
  for (const id of ids) {
    const f = summary.results[id]!.forecast;
    if (!f) continue;
    for (const r of forecastRows(f)) {
      const cells = ids.map((x) => (x === id ? cell(id, `forecast.${r.key}`, r.value, r.text, false) : NONE));
      rows.push(html`<tr class="forecast"><th scope="row">${r.label}</th>${cells}</tr>`);
    }
    const fits = summary.results[id]!.fits;
    if (fits !== undefined) {
      rows.push(html`<tr class="forecast"><th scope="row">Models trained</th>${ids.map((x) => (x === id ? cell(id, 'fits', fits, String(fits), false) : NONE))}</tr>`);
    }
  }
  return html`<table class="metrics">${head}<tbody>${joinHtml(rows, '\n')}</tbody></table>`;
}
