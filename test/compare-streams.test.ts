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

it('gives each point of an nn-sma grid the walk it has compared alone: the points share their samples, not their results', () => {
  type Results = { results: Record<string, Record<string, unknown>> };
  const compare = (extra: string[]): Results['results'] => {
    const r = backtest(['compare', ...extra, '--from', '1985-01', '--to', '2005-12', '--json', '--no-save']);
    if (r.code !== 0) throw new Error(r.stderr);
    return (JSON.parse(r.stdout) as Results).results;
  };
  // ols-sma and the grid's points have the same features and schedule: one walk's samples for all three.
  const together = compare(['--strategies', 'ols-sma', '--grid', 'nn-sma:hidden=5|20;epochs=20']);
  for (const hidden of [5, 20]) {
    const label = `nn-sma[hidden=${hidden} epochs=20]`;
    // Alone beside a rule (sma), which shares nothing with it.
    const alone = compare(['--strategies', 'sma', '--grid', `nn-sma:hidden=${hidden};epochs=20`]);
    const { significance: a, ...walkTogether } = together[label]!;
    const { significance: b, ...walkAlone } = alone[label]!;
    expect(walkTogether).toEqual(walkAlone);
    expect((a as Record<string, unknown>).sharpeDiffPValue).toEqual((b as Record<string, unknown>).sharpeDiffPValue);
  }
  expect(together['nn-sma[hidden=5 epochs=20]']!.sharpe).not.toEqual(together['nn-sma[hidden=20 epochs=20]']!.sharpe);
}, 120_000);
