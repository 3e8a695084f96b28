import { UserError } from '@backtest/core';

/** Which past rows train a model: all of them, or the most recent N. */
export type TrainingWindow = { readonly kind: 'expanding' } | { readonly kind: 'rolling'; readonly rows: number };

/** `expanding` or `rolling:N` (N >= 2). */
export function parseTrainingWindow(text: string): TrainingWindow {
  if (text === 'expanding') return { kind: 'expanding' };
  const m = /^rolling:(\d+)$/.exec(text);
  if (m && Number(m[1]) >= 2) return { kind: 'rolling', rows: Number(m[1]) };
  throw new UserError(`training window must be "expanding" or "rolling:N" with N >= 2, got "${text}"`);
}

/**
 * Training rows [start, end) for a decision at row t: rows whose features are complete and
 * whose target, the close of the next row, is known at t (so s <= t - 1).
 */
export function trainingRows(firstComplete: number, t: number, window: TrainingWindow): { start: number; end: number } {
  const end = t;
  const start = window.kind === 'expanding' ? firstComplete : Math.max(firstComplete, end - window.rows);
  return { start, end: Math.max(start, end) };
}
