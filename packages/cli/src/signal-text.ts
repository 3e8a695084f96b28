import type { SignalDocument } from '@backtest/api';
import { positionText } from '@backtest/report';

const percent = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;

/** What a forecast says, in words. */
function forecastText(f: NonNullable<SignalDocument['forecast']>): string {
  return 'probabilityUp' in f
    ? `forecast probability that next close is higher ${f.probabilityUp.toFixed(3)}`
    : `forecast next close ${f.price.toPrecision(6)} (${percent(f.impliedReturn, 2)})`;
}

/** A universe's signal: the sum held, then one line per asset with its weight and what it was decided on. */
function universeText(doc: SignalDocument, assets: NonNullable<SignalDocument['assets']>): string {
  const period = doc.frequency === 'monthly' ? 'month' : 'day';
  const cash = 1 - assets.reduce((a, x) => a + Math.abs(x.weight), 0);
  const width = Math.max(...assets.map((a) => a.name.length));
  return [
    `${doc.strategy}: over the ${period} after ${doc.asOf}, decided at its close, hold (cash ${(cash * 100).toFixed(1)}%):`,
    ...assets.map(
      (a) =>
        `  ${a.name.padEnd(width)}  ${`${(a.weight * 100).toFixed(1)}%`.padStart(7)}  (weight ${a.weight}; ${a.lastRow.date} close ${a.lastRow.close})` +
        (a.forecast ? `  ${forecastText(a.forecast)}` : ''),
    ),
  ].join('\n');
}

/** One short human line (two for a forecast strategy): what to hold and why. A universe's: a line per asset. */
export function signalText(doc: SignalDocument): string {
  if (doc.assets) return universeText(doc, doc.assets);
  const w = doc.weight;
  const position = positionText(w);
  const period = doc.frequency === 'monthly' ? 'month' : 'day';
  const lines = [
    `${doc.strategy}: hold ${position} (weight ${w}) over the ${period} after ${doc.asOf}, decided at its close ` +
      `(${doc.data.dataset} ${doc.data.lastRow?.date} close ${doc.data.lastRow?.close})`,
  ];
  if (doc.forecast) {
    const m = doc.model;
    const f = doc.forecast;
    lines.push(
      `  ${forecastText(f)}` +
        (m ? ` by fit ${m.fit} of ${m.fits} (numbered from 0)${m.kind ? `, ${m.kind}` : ''}, refitted at ${m.decision} on ${m.rows} rows ${m.trainFrom} .. ${m.trainTo}` : ''),
    );
  }
  return lines.join('\n');
}
