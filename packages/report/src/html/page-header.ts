import { escapeHtml as h } from './escape';

/** What the header line of a report says about a run or a compare. */
export interface HeaderFacts {
  readonly dataset: string;
  readonly frequency: string;
  readonly period: { readonly start: string; readonly end: string; readonly periods: number };
  readonly seed: number;
  readonly backend?: string;
}

/**
 * The line under a report's title: data, period, seed, backend, version and time, with `extra`
 * items (a compare's trial count) after the period. Shared by the run and compare reports.
 */
export function headerLine(s: HeaderFacts, record: { readonly version?: string; readonly createdAt?: string }, extra: readonly string[] = []): string {
  return [
    `${h(s.dataset)} (${h(s.frequency)})`,
    `${h(s.period.start)} .. ${h(s.period.end)}`,
    `${s.period.periods} periods`,
    ...extra,
    `seed ${s.seed}`,
    ...(s.backend ? [`backend ${h(s.backend)}`] : []),
    ...(record.version ? [`backtest ${h(record.version)}`] : []),
    ...(record.createdAt ? [`run ${h(record.createdAt)}`] : []),
  ].join(' · ');
}

/** The warnings box, or nothing when there are none. */
export function warningsBox(warnings: readonly string[]): string {
  return warnings.length
    ? `<div class="warnings" role="note"><strong>Warnings</strong><ul>${warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></div>`
    : '';
}
