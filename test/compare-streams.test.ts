/**
 * A configuration's statistics do not depend on what else is compared: its bootstrap stream is
 * seeded from the run's seed and its label, never from its position in the list.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { streamSeed } from '@backtest/core/internal';
import { ledoitWolfBootstrap } from '@backtest/metrics';
import { backtest, runsDir } from './helpers';

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

it("reports Ledoit and Wolf's studentised bootstrap beside the percentile one, recomputed here from the folder's returns", () => {
  const out = path.join(runsDir, 'compare-studentised');
  const r = backtest(['compare', '--strategies', 'ols-sma', '--samples', '400', '--out', out, '--json']);
  expect(r.code).toBe(0);
  const sig = (JSON.parse(r.stdout) as Doc).results['ols-sma']!.significance as { studentised: { pValue: number; interval: number[]; blockLength: number }; blockLength: number };
  const [header, ...rows] = readFileSync(path.join(out, 'returns.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const column = (name: string) => Float64Array.from(rows, (l) => Number(l.split(',')[cols.indexOf(name)]));
  const cash = column('cash_return');
  const excess = (name: string) => column(name).map((v, i) => v - cash[i]!);
  const again = ledoitWolfBootstrap(excess('ols-sma'), excess('buy_and_hold_return'), {
    samples: 400,
    seed: streamSeed(42, 'bootstrap:ols-sma'),
    blockLength: Math.round(sig.blockLength),
    periodsPerYear: 12,
  });
  expect(sig.studentised.blockLength).toBe(Math.round(sig.blockLength));
  expect(sig.studentised.pValue).toBe(again.pValue);
  expect(sig.studentised.interval).toEqual(again.interval);
}, 120_000);
