import { gaussian } from './__fixtures__/simulate';
import { optimalBlockLength } from './blockLength';
import { benchmarkDifferences, multipleTesting } from './multipleTesting';
import { mulberry32 } from './random';
import { stationaryBootstrapIndices } from './stationaryBootstrap';

/** K i.i.d. N(mu_k, 1) series of length n. */
function normalSeries(seed: number, n: number, mus: readonly number[]): Float64Array[] {
  const rng = mulberry32(seed);
  return mus.map((mu) => {
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[t] = mu + gaussian(rng);
    return x;
  });
}

/**
 * Plain re-implementation of the three tests from their definitions: nested arrays, means
 * recomputed from each resample, no shared helpers except the index generator (whose draws must
 * be identical for the numbers to agree).
 */
function reference(d: Float64Array[], B: number, seed: number, L: number, alpha: number) {
  const K = d.length;
  const n = d[0]!.length;
  const rng = mulberry32(seed);
  const meanOf = (x: ArrayLike<number>) => {
    let s = 0;
    for (let t = 0; t < x.length; t++) s += x[t]!;
    return s / x.length;
  };
  const dbar = d.map(meanOf);
  const boot: number[][] = []; // boot[b][k] = mean of resample b of series k
  for (let b = 0; b < B; b++) {
    const idx = stationaryBootstrapIndices(n, L, rng);
    const row: number[] = [];
    for (let k = 0; k < K; k++) {
      const xs: number[] = [];
      for (let t = 0; t < n; t++) xs.push(d[k]![idx[t]!]!);
      row.push(meanOf(xs));
    }
    boot.push(row);
  }
  const sq = Math.sqrt(n);
  // RC
  const V = Math.max(...dbar.map((m) => sq * m));
  let cnt = 0;
  for (let b = 0; b < B; b++) if (Math.max(...boot[b]!.map((m, k) => sq * (m - dbar[k]!))) >= V) cnt++;
  const rcP = (1 + cnt) / (B + 1);
  // SPA_c
  const omega = dbar.map((m, k) => {
    let s = 0;
    for (let b = 0; b < B; b++) s += (sq * (boot[b]![k]! - m)) ** 2;
    return Math.sqrt(s / B);
  });
  const thr = Math.sqrt(2 * Math.log(Math.log(n)));
  const tStat = dbar.map((m, k) => (sq * m) / omega[k]!);
  const T = Math.max(0, ...tStat);
  const muC = dbar.map((m, k) => (tStat[k]! >= -thr ? m : 0));
  let cntS = 0;
  for (let b = 0; b < B; b++) {
    const tb = Math.max(0, ...boot[b]!.map((m, k) => (sq * (m - muC[k]!)) / omega[k]!));
    if (tb >= T) cntS++;
  }
  const spaP = (1 + cntS) / (B + 1);
  // StepM
  let active = dbar.map((_, k) => k);
  const rejected: number[] = [];
  let steps = 0;
  for (;;) {
    steps++;
    const mx = boot.map((row) => Math.max(...active.map((k) => sq * (row[k]! - dbar[k]!)))).sort((a, b) => a - b);
    const h = (B - 1) * (1 - alpha);
    const lo = Math.floor(h);
    const c = mx[lo]! + (h - lo) * (mx[Math.min(lo + 1, B - 1)]! - mx[lo]!);
    const rej = active.filter((k) => sq * dbar[k]! > c);
    rejected.push(...rej);
    active = active.filter((k) => !rej.includes(k));
    if (rej.length === 0 || active.length === 0) break;
  }
  return { V, rcP, T, spaP, rejected: rejected.sort((a, b) => a - b), steps };
}

describe('multipleTesting: agreement with a plain reference', () => {
  it('matches RC, SPA_c and StepM to 1e-12 on a fixed dataset', () => {
    // Mixed means so that SPA recentres some strategies and not others, StepM takes 2+ steps.
    const mus = [0.6, 0.35, 0.25, 0.05, 0, -0.1, -0.5, -1, 0.3, -0.2];
    const d = normalSeries(42, 100, mus);
    const B = 500;
    const L = 3.5;
    const got = multipleTesting({ differences: d, samples: B, seed: 7, blockLength: L, alpha: 0.05 });
    const ref = reference(d, B, 7, L, 0.05);
    expect(Math.abs(got.realityCheck.statistic - ref.V)).toBeLessThan(1e-12);
    expect(Math.abs(got.realityCheck.pValue - ref.rcP)).toBeLessThan(1e-12);
    expect(Math.abs(got.spa.statistic - ref.T)).toBeLessThan(1e-12);
    expect(Math.abs(got.spa.pValue - ref.spaP)).toBeLessThan(1e-12);
    expect(got.stepM.rejected).toEqual(ref.rejected);
    expect(got.stepM.steps).toBe(ref.steps);
    expect(got.blockLength).toBe(L);
    expect(got.samples).toBe(B);
    // Non-trivial fixture: something is rejected, not everything.
    expect(ref.rejected.length).toBeGreaterThan(0);
    expect(ref.rejected.length).toBeLessThan(mus.length);
  });

  it('uses the mean of optimalBlockLength over the series by default, and is reproducible', () => {
    const rng = mulberry32(3);
    const d = [0, 1, 2].map((j) => {
      const x = new Float64Array(200);
      let prev = 0;
      for (let t = 0; t < 200; t++) x[t] = prev = 0.3 * j * prev + gaussian(rng);
      return x;
    });
    const expected = Math.max(1, d.reduce((s, x) => s + optimalBlockLength(x), 0) / d.length);
    const a = multipleTesting({ differences: d, samples: 50, seed: 1 });
    expect(a.blockLength).toBe(expected);
    expect(multipleTesting({ differences: d, samples: 50, seed: 1 })).toEqual(a);
    const ref = reference(d, 50, 1, expected, 0.05);
    expect(Math.abs(a.spa.pValue - ref.spaP)).toBeLessThan(1e-12);
  });
});

describe('multipleTesting: size and power by simulation', () => {
  const K = 10;
  const n = 120;
  const B = 200;
  const reps = 300;

  it('holds its size under the null (10 strategies, all mean 0)', () => {
    let rc = 0;
    let spa = 0;
    let fwer = 0;
    const nullReps = 1000;
    for (let r = 0; r < nullReps; r++) {
      const d = normalSeries(10000 + r, n, new Array<number>(K).fill(0));
      const res = multipleTesting({ differences: d, samples: B, seed: 5000 + r, blockLength: 1 });
      if (res.realityCheck.pValue <= 0.05) rc++;
      if (res.spa.pValue <= 0.05) spa++;
      if (res.stepM.rejected.length > 0) fwer++;
    }
    const rates = { rc: rc / nullReps, spa: spa / nullReps, fwer: fwer / nullReps };
    console.log('size (K=10, n=120, B=200, 1000 datasets)', rates);
    expect(rates.rc).toBeLessThanOrEqual(0.1);
    expect(rates.spa).toBeGreaterThanOrEqual(0.01);
    expect(rates.spa).toBeLessThanOrEqual(0.1);
    expect(rates.fwer).toBeLessThanOrEqual(0.1);
  });

  it('finds the one strategy with an edge of 0.5 sd', () => {
    const mus = new Array<number>(K).fill(0);
    mus[3] = 0.5;
    let rc = 0;
    let spa = 0;
    let found = 0;
    let falseRej = 0;
    for (let r = 0; r < reps; r++) {
      const d = normalSeries(2000 + r, n, mus);
      const res = multipleTesting({ differences: d, samples: B, seed: 6000 + r });
      if (res.realityCheck.pValue <= 0.05) rc++;
      if (res.spa.pValue <= 0.05) spa++;
      if (res.stepM.rejected.includes(3)) found++;
      if (res.stepM.rejected.some((k) => k !== 3)) falseRej++;
    }
    const rates = { rc: rc / reps, spa: spa / reps, stepMFound: found / reps, stepMOther: falseRej / reps };
    console.log('power (one strategy +0.5 sd)', rates);
    expect(rates.rc).toBeGreaterThan(0.8);
    expect(rates.spa).toBeGreaterThan(0.8);
    expect(rates.stepMFound).toBeGreaterThan(0.8);
    expect(rates.stepMOther).toBeLessThanOrEqual(0.1);
  });

  it('SPA_c is not diluted by very bad strategies the way RC is (Hansen 2005)', () => {
    // 1 good strategy (+0.25 sd) and 30 very bad ones (-1 sd).
    const mus = [0.25, ...new Array<number>(30).fill(-1)];
    let spaSmaller = 0;
    const pairs: [number, number][] = [];
    for (let r = 0; r < 20; r++) {
      const d = normalSeries(3000 + r, n, mus);
      const res = multipleTesting({ differences: d, samples: 999, seed: 9 + r });
      pairs.push([res.spa.pValue, res.realityCheck.pValue]);
      if (res.spa.pValue < res.realityCheck.pValue) spaSmaller++;
    }
    console.log('[SPA p, RC p] with 1 good + 30 bad', pairs.slice(0, 5), `SPA p < RC p in ${spaSmaller}/20`);
    // The fixed first dataset, and nearly all of the others.
    expect(pairs[0]![0]).toBeLessThan(pairs[0]![1]);
    expect(spaSmaller).toBeGreaterThanOrEqual(18);
  });
});

describe('multipleTesting: edge cases', () => {
  const good = [0.1, 0.2, -0.1, 0.3, 0.0];
  it('rejects bad input with RangeErrors that name the problem', () => {
    expect(() => multipleTesting({ differences: [], samples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => multipleTesting({ differences: [good, [1, 2, 3]], samples: 10, seed: 1 })).toThrow(/differences\[1\] has 3 elements/);
    expect(() => multipleTesting({ differences: [[1]], samples: 10, seed: 1 })).toThrow(/at least 2 periods/);
    expect(() => multipleTesting({ differences: [good, [0, 1, NaN, 2, 3]], samples: 10, seed: 1 })).toThrow(/differences\[1\]\[2\] is NaN/);
    expect(() => multipleTesting({ differences: [good], samples: 0, seed: 1 })).toThrow(/samples/);
    expect(() => multipleTesting({ differences: [good], samples: 2.5, seed: 1 })).toThrow(/samples/);
    expect(() => multipleTesting({ differences: [good], samples: 10, seed: 1, blockLength: 0.5 })).toThrow(/blockLength/);
    expect(() => multipleTesting({ differences: [good], samples: 10, seed: 1, alpha: 1 })).toThrow(/alpha/);
  });

  it('handles K = 1, n = 2 and B = 1', () => {
    const r = multipleTesting({ differences: [[1, 3]], samples: 1, seed: 2 });
    expect(r.samples).toBe(1);
    expect(r.realityCheck.statistic).toBeCloseTo(Math.SQRT2 * 2, 14);
    expect(r.realityCheck.pValue).toBeGreaterThan(0);
    expect(r.realityCheck.pValue).toBeLessThanOrEqual(1);
    expect(Number.isFinite(r.spa.pValue)).toBe(true);
  });

  it('all strategies worse than the benchmark: T = 0, SPA p = 1, no StepM rejection', () => {
    const d = normalSeries(8, 80, [-0.5, -0.7, -0.6]);
    const r = multipleTesting({ differences: d, samples: 100, seed: 3 });
    expect(r.spa.statistic).toBe(0);
    expect(r.spa.pValue).toBe(1);
    expect(r.stepM).toEqual({ rejected: [], steps: 1 });
  });

  it('a constant difference (omega = 0) is left out of SPA but kept in RC', () => {
    const d = [new Float64Array(50).fill(0), ...normalSeries(4, 50, [0])];
    const r = multipleTesting({ differences: d, samples: 100, seed: 3 });
    const only = multipleTesting({ differences: [d[1]!], samples: 100, seed: 3 });
    expect(Number.isFinite(r.spa.pValue)).toBe(true);
    expect(r.spa.statistic).toBe(only.spa.statistic);
    expect(r.spa.pValue).toBe(only.spa.pValue);
    const allConst = multipleTesting({ differences: [[0.5, 0.5, 0.5]], samples: 10, seed: 1 });
    expect(allConst.spa).toEqual({ statistic: 0, pValue: 1 });
    expect(allConst.stepM.rejected).toEqual([0]); // sqrt(n)*0.5 > c = 0
  });

  it('benchmarkDifferences subtracts the benchmark and validates', () => {
    const [d] = benchmarkDifferences([[0.05, 0.01]], [0.02, 0.03]);
    expect(Array.from(d!)).toEqual([0.05 - 0.02, 0.01 - 0.03]);
    expect(() => benchmarkDifferences([[1, 2, 3]], [1, 2])).toThrow(/strategies\[0\] has 3/);
    expect(() => benchmarkDifferences([[1, NaN]], [1, 2])).toThrow(/strategies\[0\]\[1\]/);
  });
});
