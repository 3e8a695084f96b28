import type { SignalDocument } from '@backtest/api';

const percent = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;

/** One short human line (two for a forecast strategy): what to hold and why. */
export function signalText(doc: SignalDocument): string {
  const w = doc.weight;
  const position = w === 0 ? 'cash' : w === 1 ? '100% long' : w === -1 ? '100% short' : `${(Math.abs(w) * 100).toFixed(1)}% ${w > 0 ? 'long' : 'short'}, the rest in cash`;
  const period = doc.frequency === 'monthly' ? 'month' : 'day';
  const lines = [
    `${doc.strategy}: hold ${position} (weight ${w}) over the ${period} after ${doc.asOf}, decided at its close ` +
      `(${doc.data.dataset} ${doc.data.lastRow.date} close ${doc.data.lastRow.close})`,
  ];
  if (doc.forecast) {
    const m = doc.model;
    const f = doc.forecast;
    lines.push(
      ('probabilityUp' in f
        ? `  forecast probability that next close is higher ${f.probabilityUp.toFixed(3)}`
        : `  forecast next close ${f.price.toPrecision(6)} (${percent(f.impliedReturn, 2)})`) +
        (m ? ` by fit ${m.fit} of ${m.fits} (numbered from 0)${m.kind ? `, ${m.kind}` : ''}, refitted at ${m.decision} on ${m.rows} rows ${m.trainFrom} .. ${m.trainTo}` : ''),
    );
  }
  return lines.join('\n');
}
