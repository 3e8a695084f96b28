/**
 * The joint answer of compare: every run tried (each seed of a stochastic configuration, with
 * --seeds) is tested together against buy-and-hold, and the figures are exactly those of the
 * tests run again here on the compare folder's own return series.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { streamSeed } from '@backtest/core/internal';
import { benchmarkDifferences, multipleTesting, pbo } from '@backtest/metrics';
import { backtest, runsDir } from './helpers';

type Doc = {
  configurations: string[];
  multipleTesting: {
    trials: string[];
    realityCheck: { pValue: number };
    spa: { pValue: number };
    stepM: { rejected: string[] };
    blockLength: number;
    samples: number;
    pbo?: { value: number; blocks: number; degradation: { slope: number } };
  };
  jointVerdict: { beats: boolean; text: string };
  seed: number;
};

it("tests every configuration together, and the figures are the tests of the folder's own return series", () => {
  const out = path.join(runsDir, 'compare-joint');
  const r = backtest(['compare', '--strategies', 'sma,ols-sma', '--grid', 'sma:window=6|12', '--from', '1980-01', '--samples', '500', '--out', out, '--json'], {
    timeout: 120_000,
  });
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as Doc;
  const mt = doc.multipleTesting;
  expect(mt.trials).toEqual(doc.configurations);
  const [header, ...rows] = readFileSync(path.join(out, 'returns.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const column = (name: string) => Float64Array.from(rows, (l) => Number(l.split(',')[cols.indexOf(name)]));
  const again = multipleTesting({
    differences: benchmarkDifferences(
      mt.trials.map((t) => column(t)),
      column('buy_and_hold_return'),
    ),
    samples: 500,
    seed: streamSeed(42, 'multiple-testing'),
  });
  expect(mt.realityCheck.pValue).toBe(again.realityCheck.pValue);
  expect(mt.spa.pValue).toBe(again.spa.pValue);
  expect(mt.blockLength).toBe(again.blockLength);
  expect(mt.stepM.rejected).toEqual(again.stepM.rejected.map((k) => mt.trials[k]));
  // PBO over the same runs' excess returns, 16 blocks.
  const cash = column('cash_return');
  const overfit = pbo({ returns: mt.trials.map((t) => column(t).map((r, i) => r - cash[i]!)), blocks: 16 });
  expect(mt.pbo!.value).toBe(overfit.value);
  expect(mt.pbo!.degradation.slope).toBe(overfit.degradation.slope);
  expect(doc.jointVerdict.text).toContain(`(PBO, 16 blocks) is ${overfit.value.toFixed(3)}.`);
  // Said first, on the page and in the terminal.
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  expect(html.indexOf('data-joint="true"')).toBeGreaterThan(0);
  expect(html.indexOf('data-joint="true"')).toBeLessThan(html.indexOf('data-configuration='));
  const terminal = backtest(['compare', '--strategies', 'sma,ols-sma', '--grid', 'sma:window=6|12', '--from', '1980-01', '--samples', '500', '--no-save']);
  const verdicts = terminal.stdout.slice(terminal.stdout.indexOf('Verdicts:'));
  // The joint verdict first, wrapped to the terminal's 120 columns.
  const first = verdicts
    .split('\n')
    .slice(1)
    .join('\n')
    .split(/\n(?= {2}\S)/)[0]!;
  expect(first.replace(/\n +/g, ' ')).toBe(`  ${doc.jointVerdict.text}`);
  expect(first.split('\n').every((l) => l.length <= 120)).toBe(true);
}, 180_000);

it("counts each seed of a stochastic configuration as a trial, and keeps every trial's returns in the folder", () => {
  const out = path.join(runsDir, 'compare-joint-seeds');
  const r = backtest(
    ['compare', '--strategies', 'sma', '--grid', 'nn-sma:epochs=5', '--seeds', '3', '--from', '1985-01', '--to', '2005-12', '--samples', '300', '--out', out, '--json'],
    {
      timeout: 120_000,
    },
  );
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as Doc;
  const trials = ['sma', 'nn-sma[epochs=5] seed 42', 'nn-sma[epochs=5] seed 43', 'nn-sma[epochs=5] seed 44'];
  expect(doc.multipleTesting.trials).toEqual(trials);
  const [header, ...rows] = readFileSync(path.join(out, 'trials.csv'), 'utf8').trim().split('\n');
  expect(header).toBe(['month', ...trials].join(','));
  const [rHeader, ...rRows] = readFileSync(path.join(out, 'returns.csv'), 'utf8').trim().split('\n');
  const bh = Float64Array.from(rRows, (l) => Number(l.split(',')[rHeader!.split(',').indexOf('buy_and_hold_return')]));
  const again = multipleTesting({
    differences: benchmarkDifferences(
      trials.map((_, k) => Float64Array.from(rows, (l) => Number(l.split(',')[k + 1]))),
      bh,
    ),
    samples: 300,
    seed: streamSeed(42, 'multiple-testing'),
  });
  expect(doc.multipleTesting.spa.pValue).toBe(again.spa.pValue);
  expect(doc.multipleTesting.realityCheck.pValue).toBe(again.realityCheck.pValue);
}, 180_000);
