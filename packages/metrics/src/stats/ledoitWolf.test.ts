import { gaussian } from './__fixtures__/simulate';
import { ledoitWolfSharpeDiff } from './ledoitWolf';
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
