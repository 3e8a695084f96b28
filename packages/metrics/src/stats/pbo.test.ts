import { sharpeRatio } from '../sharpe';
import { gaussian } from './__fixtures__/simulate';
import { pbo } from './pbo';
import { mulberry32, type Rng } from './random';

function normalConfigs(rng: Rng, n: number, t: number, means: (k: number) => number = () => 0, sd = 1): Float64Array[] {
  return Array.from({ length: n }, (_, k) => {
    const r = new Float64Array(t);
    for (let i = 0; i < t; i++) r[i] = means(k) + sd * gaussian(rng);
    return r;
  });
}

/** Block sets of size k from 0..n-1 in lexicographic order, built recursively. */
function lexSubsets(n: number, k: number, from = 0): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = from; first <= n - k; first++) for (const rest of lexSubsets(n, k - 1, first + 1)) out.push([first, ...rest]);
  return out;
}

/** Rank in 1..N with ties averaged, by sorting (NaN lowest). */
function sortRank(values: number[], j: number): number {
  const key = (v: number) => (Number.isNaN(v) ? -Infinity : v);
  const order = values.map((v, i) => ({ v: key(v), i })).sort((a, b) => a.v - b.v);
  const pos = order.findIndex((o) => o.i === j);
  let lo = pos;
  let hi = pos;
  while (lo > 0 && order[lo - 1]!.v === order[pos]!.v) lo--;
  while (hi < order.length - 1 && order[hi + 1]!.v === order[pos]!.v) hi++;
  return (lo + hi) / 2 + 1;
}

/** Direct CSCV: concatenate the rows of every block set and call the metric on them. */
function bruteForce(returns: Float64Array[], s: number, metric: (r: Float64Array) => number) {
  const n = returns.length;
  const t = returns[0]!.length;
  const len = Math.floor(t / s);
  const drop = t % s;
  const rowsOf = (r: Float64Array, set: number[]) => {
    const rows: number[] = [];
    for (let b = 0; b < s; b++) if (set.includes(b)) for (let i = 0; i < len; i++) rows.push(r[drop + b * len + i]!);
    return Float64Array.from(rows);
  };
  const logits: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const train of lexSubsets(s, s / 2)) {
    const test = Array.from({ length: s }, (_, b) => b).filter((b) => !train.includes(b));
    const is = returns.map((r) => metric(rowsOf(r, train)));
    const oos = returns.map((r) => metric(rowsOf(r, test)));
    let best = 0;
    for (let k = 1; k < n; k++) if (is[k]! > is[best]!) best = k;
    const w = sortRank(oos, best) / (n + 1);
    logits.push(Math.log(w / (1 - w)));
    xs.push(is[best]!);
    ys.push(oos[best]!);
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return {
    value: logits.filter((l) => l <= 0).length / logits.length,
    logits,
    slope,
    intercept: my - slope * mx,
    probabilityOfLoss: ys.filter((y) => y < 0).length / ys.length,
  };
}

function expectAgrees(returns: Float64Array[], s: number, metric: (r: Float64Array) => number, custom?: (r: Float64Array) => number) {
  const ref = bruteForce(returns, s, metric);
  const got = pbo({ returns, blocks: s, metric: custom });
  expect(got.blocks).toBe(s);
  expect(got.splits).toBe(ref.logits.length);
  expect(got.value).toBe(ref.value);
  for (let c = 0; c < ref.logits.length; c++) expect(Math.abs(got.logits[c]! - ref.logits[c]!)).toBeLessThan(1e-9);
  // Relative to the size of the numbers (the Sharpe ratios reach thousands in the large-mean case).
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  close(got.degradation.slope, ref.slope);
  close(got.degradation.intercept, ref.intercept);
  expect(got.degradation.probabilityOfLoss).toBe(ref.probabilityOfLoss);
  return got;
}

const sharpe = (r: Float64Array) => sharpeRatio(r, 1);

describe('pbo (CSCV, Bailey, Borwein, López de Prado & Zhu 2015)', () => {
  it('agrees with a direct brute-force CSCV (S = 6, N = 5, T = 60; default Sharpe fast path)', () => {
    const rng = mulberry32(2015);
    // Mildly different means so that both overfit and non-overfit splits occur.
    const returns = normalConfigs(rng, 5, 60, (k) => 0.05 * k);
    const got = expectAgrees(returns, 6, sharpe);
    expect(got.splits).toBe(20);
  });

  it('the fast path is exact up to rounding with T mod S rows dropped and a large mean', () => {
    const rng = mulberry32(7);
    expectAgrees(
      normalConfigs(rng, 5, 63, (k) => 0.1 * k),
      6,
      sharpe,
    ); // first 3 rows dropped
    expectAgrees(
      normalConfigs(rng, 4, 40, (k) => 50 + 0.01 * k, 0.01),
      4,
      sharpe,
    ); // mean >> sd
  });

  it('a custom metric is called on the concatenated rows; ties are averaged and go to the lowest index', () => {
    const rng = mulberry32(11);
    // Integer returns and the sum as metric: many exact ties in and out of sample.
    const returns = Array.from({ length: 5 }, () => Float64Array.from({ length: 60 }, () => rng.nextInt(3) - 1));
    const total = (r: Float64Array) => r.reduce((a, b) => a + b, 0);
    expectAgrees(returns, 6, total, total);
  });

  it('pure noise: PBO near 1/2 on average (N = 20, T = 480, S = 16, 20 seeded datasets)', () => {
    // One dataset's PBO is very noisy under the null (the splits share the same data): over
    // seeds 1..20 it ranged from 0.147 to 0.881, so only the average is held near 1/2.
    const values: number[] = [];
    let slopes = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const res = pbo({ returns: normalConfigs(mulberry32(seed), 20, 480) });
      expect(res.splits).toBe(12870);
      expect(res.value).toBeGreaterThan(0.05);
      expect(res.value).toBeLessThan(0.95);
      values.push(res.value);
      slopes += res.degradation.slope;
    }
    const avg = values.reduce((a, b) => a + b, 0) / values.length;
    // Recorded: mean 0.479 (first five 0.810, 0.881, 0.789, 0.596, 0.511).
    expect(avg).toBeGreaterThan(0.35);
    expect(avg).toBeLessThan(0.65);
    // Complementary halves of the same data: a high in-sample Sharpe means a low out-of-sample one.
    expect(slopes / 20).toBeLessThan(0); // recorded: every slope negative, mean -0.47
  });

  it('one configuration truly dominates (mean 0.3 sd, N = 10): PBO near 0', () => {
    const res = pbo({ returns: normalConfigs(mulberry32(42), 10, 480, (k) => (k === 3 ? 0.3 : 0)) });
    // Recorded: PBO = 11/12870 = 0.00085, probabilityOfLoss 0.00085.
    expect(res.value).toBeLessThan(0.1);
    expect(res.degradation.probabilityOfLoss).toBeLessThan(0.05);
  });

  it('hand computation: N = 2, S = 2, T = 5 (first row dropped, blocks of 2)', () => {
    /*
     * Rows 1-2 form block 0, rows 3-4 block 1. Sharpe of two values (a, b): mean / (|a - b| / sqrt 2).
     *   A: block 0 [1, 3]: 2 / sqrt2 = sqrt2;        block 1 [-1, 2]: 0.5 / (3 / sqrt2) = sqrt2 / 6
     *   B: block 0 [0, 1]: 0.5 / (1 / sqrt2) = sqrt2 / 2;  block 1 [1, 5]: 3 / (4 / sqrt2) = 3 sqrt2 / 4
     * Split 1 (train 0, test 1): in sample A wins (sqrt2 > sqrt2/2); out of sample A (sqrt2/6) <
     *   B (3 sqrt2/4), rank 1, w = 1/3, lambda = ln(1/2).
     * Split 2 (train 1, test 0): in sample B wins (3 sqrt2/4 > sqrt2/6); out of sample B (sqrt2/2) <
     *   A (sqrt2), rank 1, lambda = ln(1/2).
     * PBO = 2/2 = 1. Degradation through (sqrt2, sqrt2/6) and (3 sqrt2/4, sqrt2/2):
     *   slope = (sqrt2/2 - sqrt2/6) / (3 sqrt2/4 - sqrt2) = (1/3) / (-1/4) = -4/3,
     *   intercept = sqrt2/6 + (4/3) sqrt2 = 3 sqrt2 / 2; no out-of-sample loss.
     */
    const res = pbo({
      returns: [
        [99, 1, 3, -1, 2],
        [-99, 0, 1, 1, 5],
      ],
      blocks: 2,
    });
    expect(res.splits).toBe(2);
    expect(res.value).toBe(1);
    expect(res.logits[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(res.logits[1]).toBeCloseTo(Math.log(0.5), 12);
    expect(res.degradation.slope).toBeCloseTo(-4 / 3, 12);
    expect(res.degradation.intercept).toBeCloseTo((3 * Math.SQRT2) / 2, 12);
    expect(res.degradation.probabilityOfLoss).toBe(0);
  });

  it('rejects bad input with a RangeError naming the problem', () => {
    const ok = [
      [1, 2, 3, 4],
      [2, 1, 4, 3],
    ];
    expect(() => pbo({ returns: [[1, 2, 3, 4]], blocks: 2 })).toThrow(/at least 2 configurations/);
    expect(() =>
      pbo({
        returns: [
          [1, 2, 3, 4],
          [1, 2, 3],
        ],
        blocks: 2,
      }),
    ).toThrow(/returns\[1\] has 3 periods/);
    expect(() => pbo({ returns: ok, blocks: 6 })).toThrow(/fewer than blocks = 6/);
    expect(() => pbo({ returns: ok })).toThrow(/fewer than blocks = 16/);
    expect(() => pbo({ returns: ok, blocks: 3 })).toThrow(/blocks must be an even integer/);
    expect(() => pbo({ returns: ok, blocks: 0 })).toThrow(/blocks must be an even integer/);
    expect(() => pbo({ returns: ok, blocks: 2.5 })).toThrow(/blocks must be an even integer/);
    expect(() => pbo({ returns: [ok[0]!, [2, Number.NaN, 4, 3]], blocks: 2 })).toThrow(/returns\[1\]\[1\] is NaN/);
    expect(() => pbo({ returns: [ok[0]!, [2, 1, Infinity, 3]], blocks: 2 })).toThrow(/returns\[1\]\[2\] is Infinity/);
    for (const bad of [() => pbo({ returns: [[1, 2, 3, 4]], blocks: 2 }), () => pbo({ returns: ok, blocks: 3 })]) expect(bad).toThrow(RangeError);
  });
});
