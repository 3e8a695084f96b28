import { gaussian } from './__fixtures__/simulate';
import { ledoitWolfBootstrap, ledoitWolfSharpeDiff } from './ledoitWolf';
import { normalCdf } from './normal';
import { mulberry32 } from './random';

function pair(rng: ReturnType<typeof mulberry32>, T: number, muA: number, muB: number, rho: number) {
  const a = new Float64Array(T);
  const b = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const z1 = gaussian(rng);
    const z2 = gaussian(rng);
    a[t] = muA + 0.04 * z1;
    b[t] = muB + 0.04 * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
  }
  return { a, b };
}

describe('ledoitWolfSharpeDiff', () => {
  it('with no lags (bandwidth 1) equals the delta method written out in matrix form', () => {
    // A second implementation: 4x4 Gamma(0) of y_t and a numerically differentiated gradient
    // of f(m1, m2, g1, g2) = m1/sqrt(g1 - m1^2) - m2/sqrt(g2 - m2^2).
    const a = [0.03, -0.01, 0.02, 0.05, -0.04, 0.01, 0.0, 0.02];
    const b = [0.01, 0.0, 0.015, 0.02, -0.03, 0.02, 0.01, -0.005];
    const T = a.length;
    const avg = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const v = [avg(a), avg(b), avg(a.map((x) => x * x)), avg(b.map((x) => x * x))];
    const f = (p: number[]) => (p[0] as number) / Math.sqrt((p[2] as number) - (p[0] as number) ** 2) - (p[1] as number) / Math.sqrt((p[3] as number) - (p[1] as number) ** 2);
    const grad = v.map((_, i) => {
      const h = 1e-7;
      const up = [...v];
      const dn = [...v];
      up[i] = (up[i] as number) + h;
      dn[i] = (dn[i] as number) - h;
      return (f(up) - f(dn)) / (2 * h);
    });
    const y = a.map((x, t) => [x - (v[0] as number), (b[t] as number) - (v[1] as number), x * x - (v[2] as number), (b[t] as number) ** 2 - (v[3] as number)]);
    let quad = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const gamma0 = y.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0) / T;
        quad += (grad[i] as number) * gamma0 * (grad[j] as number);
      }
    }
    const se = Math.sqrt(((T / (T - 4)) * quad) / T);
    const r = ledoitWolfSharpeDiff(a, b, { bandwidth: 1 });
    expect(r.standardError).toBeCloseTo(se, 6);
    expect(Math.abs(r.standardError / se - 1)).toBeLessThan(1e-6);
    expect(r.pValue).toBeCloseTo(2 * normalCdf(-Math.abs(r.difference) / r.standardError), 14);
  });

  it('matches the iid normal asymptotic variance (1 + SR1^2/2 + 1 + SR2^2/2)/T for independent series', () => {
    // Jobson & Korkie (1981) / Lo (2002): Var(SR_hat) = (1 + SR^2/2)/T for iid normal returns.
    const rng = mulberry32(2008);
    const T = 20000;
    const { a, b } = pair(rng, T, 0.01, 0.004, 0);
    const sr1 = 0.01 / 0.04;
    const sr2 = 0.004 / 0.04;
    const want = Math.sqrt((2 + (sr1 * sr1) / 2 + (sr2 * sr2) / 2) / T);
    const r = ledoitWolfSharpeDiff(a, b);
    expect(Math.abs(r.standardError / want - 1)).toBeLessThan(0.05);
    expect(r.bandwidth).toBeGreaterThanOrEqual(1);
  });

  it('calibration: equal true Sharpe ratios are rejected at 5% about 5% of the time', () => {
    // 1000 pairs of 240 months, correlation 0.6; binomial sd 0.7%. HAC tests are known to be
    // somewhat liberal in small samples (Ledoit & Wolf 2008, table 1), hence the band [2%, 9%].
    const rng = mulberry32(15);
    let rejections = 0;
    const sims = 1000;
    for (let s = 0; s < sims; s++) {
      const { a, b } = pair(rng, 240, 0.008, 0.008, 0.6);
      if (ledoitWolfSharpeDiff(a, b).pValue <= 0.05) rejections++;
    }
    const rate = rejections / sims;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.09);
  });

  it('identical series: difference 0, p-value 1; annualisation scales the outputs', () => {
    const rng = mulberry32(3);
    const { a, b } = pair(rng, 60, 0.01, 0.0, 0.5);
    expect(ledoitWolfSharpeDiff(a, a)).toMatchObject({ difference: 0, pValue: 1 });
    const m = ledoitWolfSharpeDiff(a, b);
    const y = ledoitWolfSharpeDiff(a, b, { periodsPerYear: 12 });
    expect(y.difference).toBeCloseTo(m.difference * Math.sqrt(12), 14);
    expect(y.standardError).toBeCloseTo(m.standardError * Math.sqrt(12), 14);
    expect(y.pValue).toBe(m.pValue);
  });

  it('rejects bad input', () => {
    expect(() => ledoitWolfSharpeDiff([1, 2, 3], [1, 2, 3])).toThrow(RangeError);
    expect(() => ledoitWolfSharpeDiff([1, 2, 3, 4, 5, NaN], [1, 2, 3, 4, 5, 6])).toThrow(RangeError);
  });
});

/**
 * Reference for ledoitWolfBootstrap written out independently: index arrays, 4x4 Psi* as the
 * average of outer products of the scaled block sums, and the quadratic form grad' Psi* grad.
 * Only the HAC se of the original sample is taken from ledoitWolfSharpeDiff (tested above).
 */
function referenceBootstrap(a: number[], b: number[], B: number, seed: number, bl: number) {
  const T = a.length;
  const avg = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const sd = (x: number[]) => {
    const m = avg(x);
    return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
  };
  const sr = (x: number[]) => avg(x) / sd(x);
  const d = sr(a) - sr(b);
  const se = ledoitWolfSharpeDiff(a, b).standardError;
  const rng = mulberry32(seed);
  const l = Math.floor(T / bl);
  const ts: number[] = [];
  for (let k = 0; k < B; k++) {
    const idx: number[] = [];
    while (idx.length < T) {
      const s0 = rng.nextInt(T);
      for (let i = 0; i < bl; i++) idx.push((s0 + i) % T);
    }
    idx.length = T;
    const x = idx.map((i) => a[i] as number);
    const y = idx.map((i) => b[i] as number);
    const m = [avg(x), avg(y), avg(x.map((v) => v * v)), avg(y.map((v) => v * v))] as [number, number, number, number];
    const w1 = (m[2] - m[0] ** 2) ** 1.5;
    const w2 = (m[3] - m[1] ** 2) ** 1.5;
    const grad = [m[2] / w1, -m[3] / w2, -m[0] / (2 * w1), m[1] / (2 * w2)];
    const psi = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    for (let j = 0; j < l; j++) {
      const zeta = [0, 0, 0, 0];
      for (let t = j * bl; t < (j + 1) * bl; t++) {
        const row = [(x[t] as number) - m[0], (y[t] as number) - m[1], (x[t] as number) ** 2 - m[2], (y[t] as number) ** 2 - m[3]];
        for (let i = 0; i < 4; i++) zeta[i] = (zeta[i] as number) + (row[i] as number) / Math.sqrt(bl);
      }
      for (let i = 0; i < 4; i++) for (let c = 0; c < 4; c++) (psi[i] as number[])[c] = ((psi[i] as number[])[c] as number) + ((zeta[i] as number) * (zeta[c] as number)) / l;
    }
    let quad = 0;
    for (let i = 0; i < 4; i++) for (let c = 0; c < 4; c++) quad += (grad[i] as number) * ((psi[i] as number[])[c] as number) * (grad[c] as number);
    ts.push(Math.abs(sr(x) - sr(y) - d) / Math.sqrt(quad / T));
  }
  const tObs = Math.abs(d) / se;
  const pValue = (1 + ts.filter((t) => t >= tObs).length) / (B + 1);
  const sorted = [...ts].sort((u, v) => u - v);
  const h = (B - 1) * 0.95;
  const lo = Math.floor(h);
  const q = (sorted[lo] as number) + (h - lo) * ((sorted[Math.min(lo + 1, B - 1)] as number) - (sorted[lo] as number));
  return { d, se, pValue, interval: [d - q * se, d + q * se] };
}

describe('ledoitWolfBootstrap', () => {
  it('agrees with a plain reimplementation using the same seeded block starts', () => {
    const rng = mulberry32(77);
    const { a, b } = pair(rng, 50, 0.01, 0.002, 0.4);
    const A = Array.from(a);
    const Bs = Array.from(b);
    for (const bl of [1, 3, 5]) {
      // 50 is not a multiple of 3: the partial last block enters the means but not Psi*.
      const want = referenceBootstrap(A, Bs, 299, 11, bl);
      const got = ledoitWolfBootstrap(a, b, { samples: 299, seed: 11, blockLength: bl });
      expect(got.samples).toBe(299);
      expect(got.blockLength).toBe(bl);
      expect(Math.abs(got.difference - want.d)).toBeLessThan(1e-12);
      expect(Math.abs(got.pValue - want.pValue)).toBeLessThan(1e-12);
      expect(Math.abs(got.interval[0] - (want.interval[0] as number))).toBeLessThan(1e-12);
      expect(Math.abs(got.interval[1] - (want.interval[1] as number))).toBeLessThan(1e-12);
      // Annualisation scales difference, se and interval, not the p-value.
      const y = ledoitWolfBootstrap(a, b, { samples: 299, seed: 11, blockLength: bl, periodsPerYear: 12 });
      expect(y.pValue).toBe(got.pValue);
      expect(y.difference).toBeCloseTo(got.difference * Math.sqrt(12), 12);
      expect(y.standardError).toBeCloseTo(got.standardError * Math.sqrt(12), 12);
      expect(y.interval[1]).toBeCloseTo(got.interval[1] * Math.sqrt(12), 12);
    }
  });

  it('size: equal Sharpe ratios are rejected at 5% in 1%-12% of 200 datasets (b = 1 and b = 4)', () => {
    for (const bl of [1, 4]) {
      const rng = mulberry32(100 + bl);
      let rejections = 0;
      const sims = 200;
      for (let s = 0; s < sims; s++) {
        const { a, b } = pair(rng, 240, 0.008, 0.008, 0.5);
        if (ledoitWolfBootstrap(a, b, { samples: 199, seed: s, blockLength: bl }).pValue <= 0.05) rejections++;
      }
      const rate = rejections / sims;
      expect(rate).toBeGreaterThanOrEqual(0.01);
      expect(rate).toBeLessThanOrEqual(0.12);
    }
  });

  it('power: a large Sharpe difference (0.3 per month) is rejected in most datasets', () => {
    const rng = mulberry32(4242);
    let rejections = 0;
    const sims = 100;
    for (let s = 0; s < sims; s++) {
      const { a, b } = pair(rng, 240, 0.012, 0.0, 0.5);
      const r = ledoitWolfBootstrap(a, b, { samples: 199, seed: s, blockLength: 4 });
      if (r.pValue <= 0.05) rejections++;
      expect(r.interval[0]).toBeLessThan(r.difference);
      expect(r.interval[1]).toBeGreaterThan(r.difference);
    }
    expect(rejections / sims).toBeGreaterThan(0.8);
  });

  it('identical series give difference 0 and p-value 1 (every replicate is 0/0 and dropped)', () => {
    const { a } = pair(mulberry32(5), 40, 0.01, 0, 0);
    expect(ledoitWolfBootstrap(a, a, { samples: 50, seed: 1, blockLength: 2 })).toMatchObject({ difference: 0, pValue: 1, samples: 0 });
  });

  it('rejects bad input with a RangeError naming the problem', () => {
    const { a, b } = pair(mulberry32(6), 20, 0.01, 0, 0.3);
    const ok = { samples: 10, seed: 1, blockLength: 2 };
    expect(() => ledoitWolfBootstrap(a, b.subarray(0, 19), ok)).toThrow(/same periods/);
    const bad = Float64Array.from(a);
    bad[3] = NaN;
    expect(() => ledoitWolfBootstrap(bad, b, ok)).toThrow(/a\[3\] is NaN/);
    bad[3] = Infinity;
    expect(() => ledoitWolfBootstrap(a, bad, ok)).toThrow(/b\[3\] is Infinity/);
    expect(() => ledoitWolfBootstrap(a, b, { ...ok, blockLength: 11 })).toThrow(/2 \* blockLength/);
    expect(() => ledoitWolfBootstrap(a, b, { ...ok, blockLength: 1.5 })).toThrow(/blockLength must be an integer/);
    expect(() => ledoitWolfBootstrap(a, b, { ...ok, blockLength: 0 })).toThrow(/blockLength must be an integer/);
    expect(() => ledoitWolfBootstrap(a, b, { ...ok, samples: 0 })).toThrow(/samples must be an integer/);
    expect(() => ledoitWolfBootstrap(a, b, { ...ok, periodsPerYear: -1 })).toThrow(/periodsPerYear/);
    expect(() => ledoitWolfBootstrap([1, 2, 3, 4], [1, 2, 3, 5], { ...ok, blockLength: 1 })).toThrow(/at least 6 periods/);
    expect(() => ledoitWolfBootstrap(a, b, ok)).not.toThrow();
  });
});
