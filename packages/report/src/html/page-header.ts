import { groupDigits } from '@backtest/core/internal';
import { bucketSize, isDecimated } from '../charts/decimate';
import { type Html, html, joinHtml } from './html';

/** What the header line of a report says about a run or a compare. */
export interface HeaderFacts {
  readonly dataset: string;
  readonly frequency: string;
  readonly period: { readonly start: string; readonly end: string; readonly periods: number };
  readonly seed: number;
  readonly backend?: string;
  readonly trainer?: string;
}

/**
 * The line under a report's title: data, period, seed, backend, trainer, version and time, with
 * `extra` items (a compare's trial count) after the period. Shared by the run and compare reports.
 */
export function headerLine(s: HeaderFacts, record: { readonly version?: string; readonly createdAt?: string }, extra: readonly string[] = []): Html {
  return joinHtml(
    [
      `${s.dataset} (${s.frequency})`,
      `${s.period.start} .. ${s.period.end}`,
      `${s.period.periods} periods`,
      ...extra,
      `seed ${s.seed}`,
      ...(s.backend ? [`backend ${s.backend}`] : []),
      ...(s.trainer ? [`trainer ${s.trainer}`] : []),
      ...(record.version ? [`backtest ${record.version}`] : []),
      ...(record.createdAt ? [`run ${record.createdAt}`] : []),
    ],
    ' · ',
  );
}

/** The warnings box, or nothing when there are none. */
export function warningsBox(warnings: readonly string[]): Html {
  return warnings.length ? html`<div class="warnings" role="note"><strong>Warnings</strong><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : html``;
}

/** A list of facts: each a name and its value (text, escaped, or Html). */
export function facts(items: readonly (readonly [string, Html | string])[]): Html {
  return html`<dl class="facts">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/**
 * What the page says when its series are too long to draw point by point (a long daily run):
 * how the charts were thinned (charts/decimate.ts), and that nothing else was. Nothing for a run
 * whose charts draw every point.
 */
export function samplingNote(rows: number, periodName: string, o: { bands?: boolean } = {}): Html {
  if (!isDecimated(rows)) return html``;
  // As pointsToDraw cuts them: blocks of `size` rows from the first, so up to BUCKETS of them, the last maybe shorter.
  const size = bucketSize(rows);
  const blocks = Math.ceil(rows / size);
  const last = rows - (blocks - 1) * size;
  const lastNote = last === size ? '' : ` (the last of ${groupDigits(last)})`;
  return html`<p class="note sampling">These series have ${groupDigits(rows)} ${periodName}s, more than a chart can show one by one, so the charts draw them in ${groupDigits(blocks)} blocks of ${groupDigits(size)} ${periodName}s${lastNote}: each line keeps every block’s first and last point and its lowest and highest, so peaks, troughs and the deepest drawdown stay where they are${o.bands ? ', and the position bands of the price chart are per block' : ''}. The tables, the metrics and the CSV files use every ${periodName}.</p>`;
}
