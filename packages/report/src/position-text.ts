import type { RunSignal } from './summary';

/** A weight in words: `cash`, `100% long`, `100% short`, `40.0% long, the rest in cash`. */
export function positionText(w: number): string {
  if (w === 0) return 'cash';
  if (w === 1) return '100% long';
  if (w === -1) return '100% short';
  return `${(Math.abs(w) * 100).toFixed(1)}% ${w > 0 ? 'long' : 'short'}${Math.abs(w) < 1 ? ', the rest in cash' : ''}`;
}

/**
 * The run's next position in one line, as the terminal and the report say it:
 * `hold 100% long over the month after 2026-03 (decided at its close)`; a universe's names
 * each asset's weight.
 */
export function nextPositionText(signal: RunSignal, frequency: string): string {
  const period = frequency === 'monthly' ? 'month' : 'day';
  const what = signal.assets
    ? signal.assets.map((a) => `${a.name} ${(a.weight * 100).toFixed(1)}%`).join(', ') +
      `, cash ${((1 - signal.assets.reduce((s, a) => s + Math.abs(a.weight), 0)) * 100).toFixed(1)}%`
    : positionText(signal.weight);
  return `hold ${what} over the ${period} after ${signal.asOf} (decided at its close)`;
}
