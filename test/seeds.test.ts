/**
 * --seeds N: a stochastic strategy run under N seeds. Each seed's figures are exactly a plain run
 * with --seed that seed, the headline is the median seed's run (every figure, and the files), and
 * the distribution is recomputed here from the seeds' own runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest, runsDir } from './helpers';

type Metrics = Record<string, number> & { sharpe: number };
type Doc = {
  seed: number;
  warnings: string[];
  results: Record<string, Metrics & { seeds?: Seeds }>;
};
type Seeds = {
  n: number;
  headlineSeed: number;
  runs: (Metrics & { seed: number })[];
  sharpe: Record<'median' | 'p25' | 'p75' | 'min' | 'max', number>;
  benchmarkSharpe: number;
  beatBenchmark: number;
  ensemble?: Metrics & { members: number };
};

const ARGS = ['--strategy', 'nn-sma', '--from', '1985-01', '--to', '2005-12', '--param', 'epochs=5'];

function json(args: string[]): Doc {
  const r = backtest([...args, '--json', '--no-save'], { timeout: 120_000 });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Doc;
}

/** Type-7 quantile of sorted values, written out again here. */
function q7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

describe('--seeds 8 of nn-sma', () => {
  const doc = json([...ARGS, '--seeds', '8']);
  const seeds = doc.results['nn-sma']!.seeds!;
  const plain = Array.from({ length: 8 }, (_, k) => json([...ARGS, '--seed', String(42 + k)]));

  it('gives each seed exactly the figures of a plain run with --seed that seed', () => {
    expect(seeds.n).toBe(8);
    expect(seeds.runs.map((r) => r.seed)).toEqual([42, 43, 44, 45, 46, 47, 48, 49]);
    seeds.runs.forEach((r, k) => {
      const p = plain[k]!.results['nn-sma']!;
      for (const key of ['sharpe', 'cagr', 'totalReturn', 'volatility', 'sortino', 'maxDrawdown', 'calmar', 'exposure', 'trades']) expect(r[key]).toBe(p[key]);
    });
    // The seeds differ: a network's result depends on its seed.
    expect(new Set(seeds.runs.map((r) => r.sharpe)).size).toBeGreaterThan(4);
  }, 300_000);

  it("reports the median seed's run as the headline, every figure of it, and says which seed it is", () => {
    const sharpes = seeds.runs.map((r) => r.sharpe);
    const sorted = [...sharpes].sort((a, b) => a - b);
    // Eight seeds: the lower of the two middle ones.
    expect(sharpes[seeds.headlineSeed - 42]).toBe(sorted[3]);
    expect(doc.seed).toBe(seeds.headlineSeed);
    const { seeds: _, ...headline } = doc.results['nn-sma']!;
    expect(headline).toEqual(plain[seeds.headlineSeed - 42]!.results['nn-sma']);
  });

  it('summarises the Sharpe ratios as recomputed here, and the share that beat buy-and-hold', () => {
    const sorted = seeds.runs.map((r) => r.sharpe).sort((a, b) => a - b);
    expect(seeds.sharpe.min).toBe(sorted[0]);
    expect(seeds.sharpe.max).toBe(sorted[7]);
    expect(seeds.sharpe.median).toBeCloseTo((sorted[3]! + sorted[4]!) / 2, 14);
    expect(seeds.sharpe.p25).toBeCloseTo(q7(sorted, 0.25), 14);
    expect(seeds.sharpe.p75).toBeCloseTo(q7(sorted, 0.75), 14);
    const bh = plain[0]!.results['buy-and-hold']!.sharpe!;
    expect(seeds.benchmarkSharpe).toBe(bh);
    expect(seeds.beatBenchmark).toBe(seeds.runs.filter((r) => r.sharpe > bh).length / 8);
  });
});

it('adds the ensemble of the seeds beside their distribution, and draws the distribution in the report', () => {
  const out = path.join(runsDir, 'seeds-ensemble');
  const r = backtest([...ARGS, '--seeds', '3', '--ensemble', '--out', out, '--json'], { timeout: 120_000 });
  expect(r.code).toBe(0);
  const seeds = (JSON.parse(r.stdout) as Doc).results['nn-sma']!.seeds!;
  expect(seeds.ensemble!.members).toBe(3);
  expect(Number.isFinite(seeds.ensemble!.sharpe)).toBe(true);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  expect(html).toContain('Sharpe ratio over 3 seeds');
  // The folder reads back (its summary's seeds are checked like every key) and rebuilds.
  expect(backtest(['report', out]).code).toBe(0);
  expect(existsSync(path.join(out, 'report.html'))).toBe(true);
}, 120_000);

it('ignores --seeds for a deterministic strategy, saying so', () => {
  const doc = json(['--strategy', 'ols-sma', '--seeds', '3']);
  expect(doc.results['ols-sma']!.seeds).toBeUndefined();
  expect(doc.warnings).toContain('--seeds 3 ignored for ols-sma: it is deterministic (it draws no random numbers, so every seed gives the same result)');
  expect(json(['--strategy', 'ols-sma'])).toEqual({ ...doc, warnings: doc.warnings.filter((w) => !w.startsWith('--seeds')) });
});

it('refuses a seed count that is not a whole number from 1 to 1000', () => {
  for (const bad of ['0', '1.5', '1001']) {
    const r = backtest(['--strategy', 'nn-sma', '--seeds', bad, '--no-save']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^backtest: --seeds must be an integer from 1 to 1000, got /);
  }
});
