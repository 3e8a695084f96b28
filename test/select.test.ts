/**
 * --select through the command: the choices recorded per refit (and drawn in the report), the
 * candidates checked like the model's parameters, and refusals that say what to change.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest, runsDir } from './helpers';

type Doc = {
  params: Record<string, unknown>;
  results: Record<string, { fits: number }>;
  selection: { configurations: string[]; metric: string; validation: number; choices: { refit: string; chosen: string; scores: number[] }[] };
};

it('records what every refit chose and why, and draws it', () => {
  const out = path.join(runsDir, 'select');
  const r = backtest(['--strategy', 'nn-sma', '--select', 'hidden=3|6;epochs=5|10', '--from', '1980-01', '--to', '2005-12', '--out', out, '--json'], { timeout: 120_000 });
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as Doc;
  expect(doc.params['select']).toBe('hidden=3|6;epochs=5|10');
  expect(doc.selection.configurations).toEqual(['hidden=3 epochs=5', 'hidden=3 epochs=10', 'hidden=6 epochs=5', 'hidden=6 epochs=10']);
  expect(doc.selection.choices).toHaveLength(doc.results['nn-sma']!.fits);
  for (const c of doc.selection.choices) {
    expect(c.scores).toHaveLength(4);
    expect(c.chosen).toBe(doc.selection.configurations[c.scores.indexOf(Math.min(...c.scores))]);
  }
  expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Parameters chosen at each refit');
  // The same run twice: the same choices.
  const again = backtest(['--strategy', 'nn-sma', '--select', 'hidden=3|6;epochs=5|10', '--from', '1980-01', '--to', '2005-12', '--json', '--no-save'], { timeout: 120_000 });
  expect((JSON.parse(again.stdout) as Doc).selection).toEqual(doc.selection);
}, 180_000);

it.each([
  [['--select', 'hiden=3|6'], /--select: "hiden" is not a parameter of model "nn" \(did you mean "hidden"\?\)/],
  [['--select', 'hidden=3'], /--select "hidden=3" gives one candidate; give at least two alternatives/],
  [['--select', 'hidden=3|x'], /parameter "hidden" of model "nn" \(--select\) must be a comma-separated list of integers/],
  [
    ['--select', 'hidden=3|6', '--param', 'trainWindow=rolling:30'],
    /--select needs 24 training rows besides the 12 it holds out to score the candidates, but the fit refitted at 1991-01 has 30: use more training rows/,
  ],
])('refuses %j with exit 2, naming what to change', (args, message) => {
  const r = backtest(['--strategy', 'nn-sma', ...args, '--no-save']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});
