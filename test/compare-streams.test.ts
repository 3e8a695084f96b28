/**
 * A configuration's statistics do not depend on what else is compared: its bootstrap stream is
 * seeded from the run's seed and its label, never from its position in the list.
 */
import { backtest } from './helpers';

type Doc = { results: Record<string, { significance: Record<string, unknown> }> };

function significanceOf(strategies: string, id: string): Record<string, unknown> {
  const r = backtest(['compare', '--strategies', strategies, '--from', '1985-01', '--to', '2005-12', '--json', '--no-save']);
  if (r.code !== 0) throw new Error(r.stderr);
  const sig = { ...(JSON.parse(r.stdout) as Doc).results[id]!.significance };
  // The deflated figures count the trials, which do depend on how many were compared.
  delete sig['dsr'];
  delete sig['trials'];
  return sig;
}

it('gives nn-sma the same bootstrap p-value, interval and block length alone and among others', () => {
  const alone = significanceOf('nn-sma', 'nn-sma');
  expect(significanceOf('sma,nn-sma', 'nn-sma')).toEqual(alone);
  expect(significanceOf('ols-sma,sma,nn-sma', 'nn-sma')).toEqual(alone);
  expect(alone['sharpeDiffPValue']).toEqual(expect.any(Number));
}, 120_000);
