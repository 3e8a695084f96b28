/**
 * `backtest --strategy sma --universe sp500,ndx,gold` (Faber's tactical allocation: each asset
 * of the universe timed by its own 10-month SMA, 1/N of the book each) against a plain
 * recomputation from the raw files: each dataset's month-end closes (`monthEndCloses` of
 * ./plain-metrics, read by hand from the daily file or the embedded extract), aligned on the
 * months every asset has, a 10-month mean per asset, per-asset weights, the accounting of
 * MISSION.md (sum_i w_i r_i + (1 - sum_i |w_i|) cash - cost sum_i |w_i change|) and the metric
 * formulas (`plainMetrics`). Shares no code with the product. Agreement is asked to 1e-9: both
 * sides do the same arithmetic up to summation order, so anything looser would hide a
 * convention that differs only slightly (a cash share, a cost counted once instead of per asset).
 */
import * as path from 'node:path';
import { backtest, itWithRealData, monthEndRows } from './helpers';
import { monthEndCloses, type Plain, plainMetrics } from './plain-metrics';

const UNIVERSE = ['sp500', 'ndx', 'gold'];
const TO = '2020-12';
const WINDOW = 10;

/** The flags of the two runs: the defaults, and a cost and a cash rate, so that the cash share and the per-asset turnover count. */
const RUNS: { name: string; flags: string[]; costBps: number; cashRate: number }[] = [
  { name: 'the defaults (no cost, no cash return)', flags: [], costBps: 0, cashRate: 0 },
  { name: '--cost-bps 10 --cash-rate 0.02', flags: ['--cost-bps', '10', '--cash-rate', '0.02'], costBps: 10, cashRate: 0.02 },
];

interface PlainRun {
  /** Labels of the aligned rows. */
  labels: string[];
  /** Aligned month-end closes, one array per asset. */
  close: number[][];
  period: { start: string; end: string; periods: number; months: number };
  /** Weights held over each evaluation period, one per asset. */
  weights: number[][];
  strategy: number[];
  benchmark: number[];
  benchmarkWeights: number[][];
  cash: number;
  /** The smallest |close - mean| / mean over all decisions. */
  closestCall: number;
}

/** The whole run of the spec, by hand: alignment, Faber's rule per asset, accounting. */
function plainUniverseSma(assets: string[], options: { costBps: number; cashRate: number }): PlainRun {
  const byAsset = assets.map((a) => monthEndCloses(a, { to: TO }));
  const labels = [...byAsset[0]!.keys()].filter((m) => byAsset.every((c) => c.has(m))).sort();
  const close = byAsset.map((c) => labels.map((m) => c.get(m)!));
  const n = labels.length;
  const share = 1 / assets.length;
  const cash = (1 + options.cashRate) ** (1 / 12) - 1;
  const cost = options.costBps / 10_000;
  const periodReturn = (w: number[], prev: number[], t: number) =>
    w.reduce((a, wi, i) => a + wi * (close[i]![t]! / close[i]![t - 1]! - 1), 0) +
    (1 - w.reduce((a, wi) => a + Math.abs(wi), 0)) * cash -
    cost * w.reduce((a, wi, i) => a + Math.abs(wi - prev[i]!), 0);
  const none = assets.map(() => 0);
  const equal = assets.map(() => share);
  const weights: number[][] = [];
  const strategy: number[] = [];
  const benchmark: number[] = [];
  let closestCall = Infinity;
  // Decided at row t from rows t-9..t, held over row t+1.
  for (let t = WINDOW - 1; t < n - 1; t++) {
    const w = close.map((x) => {
      const mean = x.slice(t - WINDOW + 1, t + 1).reduce((a, v) => a + v, 0) / WINDOW;
      closestCall = Math.min(closestCall, Math.abs(x[t]! - mean) / mean);
      return x[t]! > mean ? share : 0;
    });
    strategy.push(periodReturn(w, weights.at(-1) ?? none, t + 1));
    benchmark.push(periodReturn(equal, benchmark.length === 0 ? none : equal, t + 1));
    weights.push(w);
  }
  return {
    labels,
    close,
    period: { start: labels[WINDOW]!, end: labels[n - 1]!, periods: n - WINDOW, months: n - WINDOW },
    weights,
    strategy,
    benchmark,
    benchmarkWeights: weights.map(() => equal),
    cash,
    closestCall,
  };
}

/** The metrics both results must have: the strategy's against the benchmark, the benchmark's against itself. */
function expectedResults(run: PlainRun): { sma: Plain; 'buy-and-hold': Plain } {
  return {
    sma: plainMetrics(run.strategy, run.benchmark, run.weights, { cash: run.cash }),
    'buy-and-hold': plainMetrics(run.benchmark, run.benchmark, run.benchmarkWeights, { cash: run.cash }),
  };
}

/** Metrics of `actual` off their expected values by more than 1e-9 (relative above 1, absolute below); NaN must be null. */
function disagreements(actual: Record<string, unknown>, expected: Plain, label: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k];
    const ok = Number.isNaN(v) ? a === null : typeof a === 'number' && Math.abs(a - v) <= 1e-9 * Math.max(1, Math.abs(v));
    if (!ok) out.push(`${label}.${k}: got ${String(a)}, expected ${v}`);
  }
  return out;
}

/** The parts of the command's JSON document that this test reads. */
interface RunDoc {
  strategy: string;
  dataset?: string;
  period: Record<string, unknown>;
  params: Record<string, unknown>;
  results: Record<'sma' | 'buy-and-hold', Record<string, unknown>>;
  universe?: { assets: string[] };
  warnings: unknown;
}

/** The command's JSON for `args`, after checking that it ran cleanly (its stderr shown if not). */
function runJson(args: string[]): RunDoc {
  const res = backtest(args);
  expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(res.stdout);
}

/** Period and every metric of both results, each key of the command's results recomputed. */
function expectAgreement(doc: RunDoc, run: PlainRun): void {
  expect(doc.strategy).toBe('sma');
  expect(doc.params).toMatchObject({ window: WINDOW });
  expect(doc.period).toMatchObject(run.period);
  const expected = expectedResults(run);
  const problems: string[] = [];
  for (const name of ['sma', 'buy-and-hold'] as const) {
    // A metric the command reports that this test does not recompute would go unchecked.
    expect({ [name]: Object.keys(doc.results[name]).sort() }).toEqual({ [name]: Object.keys(expected[name]).sort() });
    problems.push(...disagreements(doc.results[name], expected[name], name));
  }
  expect(problems).toEqual([]);
}

describe('the plain universe code on a universe of one (sp500 alone), which is the single-asset run', () => {
  // Validates the recomputation below against a run that needs no --universe: with one asset,
  // 1/N = 1 and the universe's conventions are the single-asset ones.
  it.each(RUNS)('agrees to 1e-9 with `backtest --strategy sma --to 2020-12` under $name', ({ flags, costBps, cashRate }) => {
    const run = plainUniverseSma(['sp500'], { costBps, cashRate });
    const doc = runJson(['--strategy', 'sma', '--to', TO, '--json', '--no-save', ...flags]);
    expect(doc.dataset).toBe('sp500');
    expectAgreement(doc, run);
  });
});

describe('sma on the universe sp500,ndx,gold, recomputed independently', () => {
  it.each(RUNS)('agrees to 1e-9 under $name', ({ flags, costBps, cashRate }) => {
    const run = plainUniverseSma(UNIVERSE, { costBps, cashRate });
    const doc = runJson(['--strategy', 'sma', '--universe', UNIVERSE.join(','), '--to', TO, '--json', '--no-save', ...flags]);
    // Wrapped, so that a run that ignores --universe fails with a diff rather than a matcher error.
    expect({ assets: (doc.universe as { assets?: { name: string }[] } | undefined)?.assets?.map((a) => a.name) }).toEqual({ assets: UNIVERSE });
    expect(Array.isArray(doc.warnings)).toBe(true);
    expectAgreement(doc, run);
  });

  it('is a recomputation that exercises per-asset weights, the cash share and per-asset turnover', () => {
    const run = plainUniverseSma(UNIVERSE, { costBps: 10, cashRate: 0.02 });
    // gold's data starts last, so the intersection starts with it.
    expect(run.labels[0]).toBe(monthEndCloses('gold').keys().next().value);
    expect(run.labels.at(-1)).toBe(TO);
    const held = run.weights.map((w) => w.filter((x) => x > 0).length);
    // Some periods hold exactly one or two of the three: the cash share 1 - sum|w| is neither 0 nor 1.
    expect(held.filter((h) => h === 1).length).toBeGreaterThan(0);
    expect(held.filter((h) => h === 2).length).toBeGreaterThan(0);
    // Every asset is timed on its own: each pair of assets is held differently in some period.
    for (let i = 0; i < UNIVERSE.length; i++) {
      for (let j = i + 1; j < UNIVERSE.length; j++) {
        expect({ [`${UNIVERSE[i]} vs ${UNIVERSE[j]}`]: run.weights.some((w) => w[i] !== w[j]) }).toEqual({ [`${UNIVERSE[i]} vs ${UNIVERSE[j]}`]: true });
      }
    }
    // Some period swaps one asset for another: the total weight is unchanged, but the turnover
    // (summed over assets) is 2/3, so a cost charged on the change of the total would be wrong.
    const swaps = run.weights.filter((w, k) => k > 0 && held[k] === held[k - 1] && w.some((v, i) => v !== run.weights[k - 1]![i]));
    expect(swaps.length).toBeGreaterThan(0);
    // No close sits so near its mean that the other side's summation order could flip a decision.
    expect(run.closestCall).toBeGreaterThan(1e-9);
    // Equal weight enters once from cash and stays fully invested (up to the rounding of 3 x 1/3).
    const bench = expectedResults(run)['buy-and-hold'];
    expect(Math.abs(bench.exposure! - 1)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(bench.turnover! - 1 / run.period.periods)).toBeLessThanOrEqual(1e-15);
    expect(bench.trades).toBe(1);
  });
});

describe('the month-end rows the universe recomputation reads', () => {
  // A clone with nothing beside it recomputes from the embedded extracts: the same months and closes.
  itWithRealData('are the same from the daily files and from the embedded extracts', () => {
    for (const asset of UNIVERSE) {
      const daily = monthEndRows(asset);
      const embedded = monthEndRows(asset, { embedded: true });
      expect(path.basename(daily.file)).toMatch(/-daily\.csv$/);
      expect({ [asset]: embedded.rows }).toEqual({ [asset]: daily.rows });
    }
  });
});
