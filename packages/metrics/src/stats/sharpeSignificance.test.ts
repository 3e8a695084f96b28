import { deflatedSharpeRatio, expectedMaxSharpe, EULER_GAMMA } from './deflatedSharpe';
import { kurtosis, skewness } from './higherMoments';
import { normalCdf } from './normal';
import { probabilisticSharpeRatio, probabilisticSharpeRatioOfReturns } from './probabilisticSharpe';

describe('skewness and kurtosis (moment ratios, divisor n)', () => {
  it('hand computation: [1, 2, 3, 4, 10]', () => {
    // mean 4; deviations [-3,-2,-1,0,6]; m2 = 50/5 = 10; m3 = (-27-8-1+216)/5 = 36;
    // m4 = (81+16+1+1296)/5 = 278.8 -> skew = 36 / 10^1.5, kurt = 278.8 / 100
    expect(skewness([1, 2, 3, 4, 10])).toBeCloseTo(36 / 10 ** 1.5, 14);
    expect(kurtosis([1, 2, 3, 4, 10])).toBeCloseTo(2.788, 14);
  });

  it('Bernoulli(p) closed forms: skew (1-2p)/sqrt(p q), kurt (1 - 3 p q)/(p q)', () => {
    const x = [0, 0, 0, 1]; // p = 1/4, pq = 3/16
    expect(skewness(x)).toBeCloseTo(0.5 / Math.sqrt(3 / 16), 14);
    expect(kurtosis(x)).toBeCloseTo((1 - 9 / 16) / (3 / 16), 14);
    expect(kurtosis([-1, 1])).toBeCloseTo(1, 15); // the minimum possible kurtosis
  });

  it('is location/scale invariant and NaN when undefined', () => {
    const x = [0.3, -1.2, 2.5, 0.1, 0.7];
    expect(skewness(x.map((v) => 5 + 3 * v))).toBeCloseTo(skewness(x), 13);
    expect(kurtosis(x.map((v) => 5 - 3 * v))).toBeCloseTo(kurtosis(x), 13);
    expect(skewness(x.map((v) => -v))).toBeCloseTo(-skewness(x), 13);
    expect(skewness([])).toBeNaN();
    expect(kurtosis([2, 2, 2])).toBeNaN();
    expect(() => skewness([1, NaN])).toThrow(RangeError);
  });
});

describe('probabilisticSharpeRatio', () => {
  it('normal returns: Phi(SR sqrt(n-1) / sqrt(1 + SR^2/2))', () => {
    // sr 0.1, n 100, skew 0, kurt 3: z = 0.1 sqrt(99) / sqrt(1.005) = 0.9925092578236596,
    // Phi(z) = 0.8395254171844497 (0.5 erfc(-z/sqrt 2), CPython)
    expect(probabilisticSharpeRatio(0.1, 0, 100, 0, 3)).toBeCloseTo(0.8395254171844497, 14);
  });

  it('skewed, fat-tailed returns against a non-zero benchmark', () => {
    // sr 0.2, sr* 0.05, n 60, skew -1, kurt 6: v = 1 + 0.2 + (5/4) 0.04 = 1.25,
    // z = 0.15 sqrt(59) / sqrt(1.25) = 1.03053384223906 -> Phi = 0.8486202628846712
    expect(probabilisticSharpeRatio(0.2, 0.05, 60, -1, 6)).toBeCloseTo(0.8486202628846712, 14);
  });

  it('limits: SR equal to the benchmark gives 1/2; a huge Sharpe gives ~1; a negative one ~0', () => {
    expect(probabilisticSharpeRatio(0.3, 0.3, 50, -0.5, 4)).toBe(0.5);
    expect(probabilisticSharpeRatio(1.5, 0, 600, 0, 3)).toBeGreaterThan(1 - 1e-12);
    expect(probabilisticSharpeRatio(-0.5, 0, 600, 0, 3)).toBeLessThan(1e-12);
  });

  it('NaN for n < 2 or an impossible variance term', () => {
    expect(probabilisticSharpeRatio(0.1, 0, 1, 0, 3)).toBeNaN();
    expect(probabilisticSharpeRatio(1, 0, 100, 5, 1)).toBeNaN(); // 1 - 5 + 0 < 0
  });

  it('from returns: uses the per-period Sharpe and the moments of the excess returns', () => {
    const r = [0.02, -0.01, 0.03, 0.015, -0.02, 0.04, 0.01, 0.0];
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    const sr = mean / sd;
    const want = probabilisticSharpeRatio(sr, 0, 8, skewness(r), kurtosis(r));
    expect(probabilisticSharpeRatioOfReturns(r)).toBeCloseTo(want, 14);
    // a constant cash rate shifts the mean only
    const c = 0.005;
    const want2 = probabilisticSharpeRatio((mean - c) / sd, 0, 8, skewness(r), kurtosis(r));
    expect(probabilisticSharpeRatioOfReturns(r, 0, c)).toBeCloseTo(want2, 13);
  });
});

describe('deflatedSharpeRatio', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014)', () => {
    // Example inputs: annualised SR 2.5 over T = 1250 daily observations (250 days a year),
    // N = 100 trials whose annualised Sharpe ratios have variance 1/2, skewness -3, kurtosis 10.
    // Per-day: SR = 2.5/sqrt(250), V = 0.5/250. The paper reports SR0 ~ 0.1132 (per day) and
    // DSR ~ 0.9004. Our full-precision values, by hand in Python (math.erfc, AS241 quantiles):
    // SR0 = 0.11317200186513214, z = 1.2838160365336546, DSR = 0.9003968344493904.
    const sr0 = expectedMaxSharpe(100, 0.5 / 250);
    expect(sr0).toBeCloseTo(0.11317200186513214, 13);
    expect(sr0).toBeCloseTo(0.1132, 4);
    const dsr = deflatedSharpeRatio(2.5 / Math.sqrt(250), 1250, -3, 10, 100, 0.5 / 250);
    expect(dsr).toBeCloseTo(0.9003968344493904, 12);
    expect(dsr).toBeCloseTo(0.9004, 4);
  });

  it('expected maximum of N standard normals is close to the exact order-statistic values', () => {
    // Exact E[max of N iid N(0,1)] (Harter 1961, Biometrika 48): N=10 1.53875, N=100 2.50759.
    // The Bailey-López de Prado approximation is within ~1% for such N.
    expect(Math.abs(expectedMaxSharpe(10, 1) / 1.53875 - 1)).toBeLessThan(0.03);
    expect(Math.abs(expectedMaxSharpe(100, 1) / 2.50759 - 1)).toBeLessThan(0.015);
    // Formula by hand for N = 2: (1-g) Z^-1(1/2) + g Z^-1(1 - 1/(2e)) = g Z^-1(1 - 1/(2e)),
    // Z^-1(1 - 1/(2e)) = 0.9004525966377903 (statistics.NormalDist().inv_cdf, AS241)
    expect(expectedMaxSharpe(2, 4)).toBeCloseTo(2 * EULER_GAMMA * 0.9004525966377903, 12);
  });

  it('one trial means no deflation: DSR = PSR(0)', () => {
    expect(expectedMaxSharpe(1, 0.3)).toBe(0);
    expect(deflatedSharpeRatio(0.1, 100, 0, 3, 1, 0.3)).toBe(probabilisticSharpeRatio(0.1, 0, 100, 0, 3));
    expect(deflatedSharpeRatio(0.1, 100, 0, 3, 50, 0)).toBe(normalCdf((0.1 * Math.sqrt(99)) / Math.sqrt(1.005)));
  });

  it('more trials deflate more; invalid trials throw', () => {
    const a = deflatedSharpeRatio(0.15, 240, -0.5, 5, 10, 0.002);
    const b = deflatedSharpeRatio(0.15, 240, -0.5, 5, 1000, 0.002);
    expect(b).toBeLessThan(a);
    expect(() => expectedMaxSharpe(0, 1)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(5, -1)).toThrow(RangeError);
  });
});
