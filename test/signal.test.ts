import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

/** Rows of a run folder's CSV file as records of strings. */
function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

const nextMonth = (label: string): string => {
  const [y, m] = label.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

describe('backtest signal', () => {
  // 2020-06 is between two refits of the forecast strategies (refit=12 from 1991-01); 2021-01 is a refit.
  const cases: [string, string][] = [];
  for (const strategy of ['sma', 'ols-sma', 'nn-sma']) for (const asOf of ['2020-06', '2021-01']) cases.push([strategy, asOf]);

  it.each(cases)('%s at %s: the weight and forecast a backtest one month longer holds over the next month', (strategy, asOf) => {
    const signal = backtest(['signal', '--strategy', strategy, '--to', asOf, '--json']);
    expect(signal.stderr).toBe('');
    expect(signal.code).toBe(0);
    const doc = JSON.parse(signal.stdout);
    expect(doc.asOf).toBe(asOf);
    expect(doc.strategy).toBe(strategy);
    expect(doc.data.lastRow.date.slice(0, 7)).toBe(asOf);
    expect(doc.data.sha256).toMatch(/^[0-9a-f]{64}$/);

    const out = path.join(mkdtempSync(path.join(tmpdir(), 'signal-')), 'run');
    const run = backtest(['--strategy', strategy, '--to', nextMonth(asOf), '--out', out, '--json']);
    expect(run.code).toBe(0);
    const positions = csvRows(path.join(out, 'positions.csv'));
    const held = positions.find((r) => r.month === nextMonth(asOf))!;
    expect(Number(held.weight)).toBe(doc.weight);
    // A run to asOf says the same next position at the top of its summary (and report).
    const upTo = backtest(['--strategy', strategy, '--to', asOf, '--json', '--no-save']);
    expect(upTo.code).toBe(0);
    expect(JSON.parse(upTo.stdout).signal).toEqual({ asOf, weight: doc.weight });

    if (strategy === 'sma') {
      expect(doc.forecast).toBeUndefined();
      return;
    }
    const prediction = csvRows(path.join(out, 'predictions.csv')).find((r) => r.month === asOf)!;
    expect(Number(prediction.forecast)).toBe(doc.forecast.price);
    expect(Number(prediction.close)).toBe(doc.forecast.close);
    expect(doc.forecast.impliedReturn).toBeCloseTo(doc.forecast.price / doc.forecast.close - 1, 15);
    expect(Number(prediction.fit)).toBe(doc.model.fit);
    // The model refits every 12 decisions from 1991-01 on the rows whose next close is known.
    const refitAt = asOf === '2021-01' ? '2021-01' : '2020-01';
    expect(doc.model).toMatchObject({ decision: refitAt, trainFrom: '1971-07', fits: JSON.parse(run.stdout).results[strategy].fits });
    const monthBefore = (l: string) => {
      const [y, m] = l.split('-').map(Number) as [number, number];
      return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    };
    expect(doc.model.trainTo).toBe(monthBefore(refitAt));
  });

  it("a universe run says each asset's next weight as signal does", () => {
    const args = ['--strategy', 'sma', '--universe', 'sp500,ndx', '--to', '2020-06', '--json'];
    const signal = JSON.parse(backtest(['signal', ...args]).stdout);
    const run = backtest([...args, '--no-save']);
    expect(run.code).toBe(0);
    const assets = signal.assets.map((a: { name: string; weight: number }) => ({ name: a.name, weight: a.weight }));
    expect(assets.map((a: { name: string }) => a.name)).toEqual(['sp500', 'ndx']);
    expect(JSON.parse(run.stdout).signal).toEqual({ asOf: '2020-06', weight: signal.weight, assets });
  });

  it('prints what to hold in one line, and refuses what a run refuses', () => {
    const r = backtest(['signal', '--strategy', 'sma', '--to', '2020-06']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sma: hold (cash|100% long) \(weight [01]\) over the month after 2020-06, decided at its close \(sp500 2020-06-30 close 3100\.29\)\n$/);
    const ols = backtest(['signal', '--strategy', 'ols-sma', '--to', '2020-06']);
    expect(ols.stdout).toMatch(
      /^ols-sma: hold (cash|100% long) \(weight [01]\) over the month after 2020-06, decided at its close \(sp500 2020-06-30 close 3100\.29\)\n {2}forecast next close [\d.]+ \([+-]\d+\.\d\d%\) by fit 29 of 30 \(numbered from 0\), ols, refitted at 2020-01 on \d+ rows 1971-07 \.\. 2019-12\n$/,
    );
    // A run to the same month ends its table with the same position.
    const position = /hold (cash|100% long) \(weight/.exec(r.stdout)![1];
    const run = backtest(['--strategy', 'sma', '--to', '2020-06', '--no-save']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`next: hold ${position} over the month after 2020-06 (decided at its close)`);
    const bad = backtest(['signal', '--strategy', 'smaa']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean "sma"/);
  });
});
