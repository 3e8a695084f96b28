import type { UniverseSummaryDoc } from '../summary';
import { pct } from '../terminal-table';
import { type Html, html, joinHtml } from './html';

/** The figures of an asset the table shows, in its order. */
const ASSET_FIGURES = [
  { key: 'meanWeight', label: 'Mean weight' },
  { key: 'contribution', label: 'Contribution' },
  { key: 'totalReturn', label: 'Total return' },
] as const;

/**
 * A universe's assets as a plain-HTML table: each asset's currency, the mean weight the strategy
 * held in it, its contribution and its own total return. `data-value` holds each number exactly
 * as summary.json has it, as in the metrics table.
 */
export function assetsTable(u: UniverseSummaryDoc): Html {
  const head = html`<thead><tr><th scope="col">Asset</th><th scope="col">Currency</th>${ASSET_FIGURES.map((f) => html`<th scope="col">${f.label}</th>`)}</tr></thead>`;
  const rows = u.assets.map((a) => {
    const cells = ASSET_FIGURES.map((f) => {
      const v = a[f.key];
      const raw = typeof v === 'number' && Number.isFinite(v) ? String(v) : 'null';
      return html`<td data-asset="${a.name}" data-key="${f.key}" data-value="${raw}">${pct(v)}</td>`;
    });
    return html`<tr><th scope="row">${a.name}</th><td>${a.currency ?? '—'}</td>${cells}</tr>`;
  });
  return html`<table class="metrics assets">${head}<tbody>${joinHtml(rows, '\n')}</tbody></table>`;
}
