import { gaussian } from './__fixtures__/simulate';
import { mulberry32 } from './random';
import { quantileSorted, stationaryBootstrapIndices, stationaryBootstrapSharpeDiff } from './stationaryBootstrap';
import { optimalBlockLength } from './blockLength';
import { sharpeRatio } from '../sharpe';
import { mean, sampleStd } from '../descriptive';

function correlatedPair(seed: number, n: number, muA: number, muB: number, rho: number) {
  const rng = mulberry32(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const z1 = gaussian(rng);
    const z2 = gaussian(rng);
    a[t] = muA + 0.04 * z1;
    b[t] = muB + 0.04 * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
  }
  return { a, b };
}

describe('quantileSorted (type 7)', () => {
  it('interpolates linearly between order statistics', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    // h = (n-1) q: q = 0.25 -> h = 0.75 -> 1 + 0.75 (2 - 1)
    expect(quantileSorted(s, 0.25)).toBe(1.75);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('stationaryBootstrapIndices', () => {
  it('blocks have mean length L and every index is equally likely', () => {
    const rng = mulberry32(11);
    const n = 1000;
    const L = 8;
    let starts = 0;
    const counts = new Float64Array(n);
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      const idx = stationaryBootstrapIndices(n, L, rng);
      for (let t = 0; t < n; t++) {
        counts[idx[t] as number] = (counts[idx[t] as number] as number) + 1;
        if (t === 0 || idx[t] !== ((idx[t - 1] as number) + 1) % n) starts++;
      }
    }
    // A new block starts with probability 1/L (a fresh start equal to prev + 1 has prob 1/n
    // and is not counted); 200,000 draws: sd of the share ~ 7e-4.
    expect(Math.abs(starts / (reps * n) - (1 / L) * (1 - 1 / n))).toBeLessThan(0.004);
    // Each index appears reps times on average.
    const meanCount = counts.reduce((s, c) => s + c, 0) / n;
    expect(meanCount).toBe(reps);
    expect(Math.max(...counts)).toBeLessThan(reps * 2);
  });
});

describe('stationaryBootstrapSharpeDiff', () => {
  const { a, b } = correlatedPair(1, 120, 0.012, 0.006, 0.6);

  it('reports the plain Sharpe ratios and their difference', () => {
    const r = stationaryBootstrapSharpeDiff(a, b, { samples: 200, seed: 3, periodsPerYear: 12 });
    expect(r.sharpeA).toBe(sharpeRatio(a, 12));
    expect(r.sharpeB).toBe(sharpeRatio(b, 12));
    expect(r.difference).toBe(r.sharpeA - r.sharpeB);
    expect(r.interval[0]).toBeLessThan(r.interval[1]);
    expect(r.samples).toBe(200);
    expect(r.blockLength).toBeGreaterThanOrEqual(1);
  });

  it('identical series: difference 0, interval [0, 0], p-value 1', () => {
    const r = stationaryBootstrapSharpeDiff(a, a, { samples: 300, seed: 1 });
    expect(r.difference).toBe(0);
    expect(r.interval).toEqual([0, 0]);
    expect(r.pValue).toBe(1);
  });

  it('blocks longer than the series only rotate it: every replicate equals d, p = 1/(B+1)', () => {
    // With blockLength 1e12 a new block essentially never starts, so each resample is a
    // circular shift of both series, which leaves both Sharpe ratios unchanged.
    const B = 99;
    const r = stationaryBootstrapSharpeDiff(a, b, { samples: B, seed: 5, blockLength: 1e12 });
    expect(r.interval[0]).toBeCloseTo(r.difference, 12);
    expect(r.interval[1]).toBeCloseTo(r.difference, 12);
    expect(r.pValue).toBeCloseTo(1 / (B + 1), 15);
  });

  it('is reproducible from its seed', () => {
    const o = { samples: 300, seed: 42, blockLength: 3 };
    expect(stationaryBootstrapSharpeDiff(a, b, o)).toEqual(stationaryBootstrapSharpeDiff(a, b, o));
    expect(stationaryBootstrapSharpeDiff(a, b, { ...o, seed: 43 }).interval).not.toEqual(stationaryBootstrapSharpeDiff(a, b, o).interval);
  });

  it('rejects bad input', () => {
    expect(() => stationaryBootstrapSharpeDiff([0.1, NaN], [0, 0], { samples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => stationaryBootstrapSharpeDiff([0.1, 0.2], [0], { samples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => stationaryBootstrapSharpeDiff([0.1], [0.2], { samples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => stationaryBootstrapSharpeDiff(a, b, { samples: 0, seed: 1 })).toThrow(RangeError);
    expect(() => stationaryBootstrapSharpeDiff(a, b, { samples: 10, seed: 1, blockLength: 0.5 })).toThrow(RangeError);
  });

  it('calibration: with equal true Sharpe ratios it rejects at 5% about 5% of the time', () => {
    // 400 simulated pairs of 120 months, correlation 0.6, equal means and volatilities (so equal
    // true Sharpe), block length chosen automatically, B = 399. The binomial sd of the rejection
    // rate is 1.1%; the band [2%, 10%] also allows for the mild liberality that a
    // non-studentised bootstrap test has at this sample size.
    let rejections = 0;
    const sims = 400;
    for (let s = 0; s < sims; s++) {
      const pair = correlatedPair(1000 + s, 120, 0.008, 0.008, 0.6);
      const r = stationaryBootstrapSharpeDiff(pair.a, pair.b, { samples: 399, seed: s });
      if (r.pValue <= 0.05) rejections++;
    }
    const rate = rejections / sims;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.1);
  });

  it('power: a large true Sharpe difference is detected', () => {
    // monthly Sharpe 0.5 vs 0 over 240 months, correlation 0.6
    let rejections = 0;
    for (let s = 0; s < 40; s++) {
      const pair = correlatedPair(5000 + s, 240, 0.02, 0, 0.6);
      if (stationaryBootstrapSharpeDiff(pair.a, pair.b, { samples: 399, seed: s }).pValue <= 0.05) rejections++;
    }
    expect(rejections).toBeGreaterThanOrEqual(36);
  });
});

describe('the default block length', () => {
  it('is the Politis-White estimate of the paired difference, not of either series', () => {
    // Buy-and-hold: i.i.d. returns around a steady drift. A timing strategy: the same returns,
    // but in cash (0) for runs of 12 months at a time. Buy-and-hold alone is i.i.d.; the
    // difference is minus the market return during the cash runs and 0 otherwise: strongly
    // dependent, and the estimate for it is the one the paired resampling needs.
    const rng = mulberry32(3);
    const b = Float64Array.from({ length: 480 }, () => 0.01 + 0.005 * (rng.next() - 0.5));
    const a = b.map((r, t) => (Math.floor(t / 12) % 3 === 0 ? 0 : r));
    const r = stationaryBootstrapSharpeDiff(a, b, { samples: 50, seed: 1 });
    const d = a.map((x, t) => x - b[t]!);
    expect(r.blockLength).toBe(optimalBlockLength(d));
    expect(r.blockLength).toBeGreaterThan((optimalBlockLength(a) + optimalBlockLength(b)) / 2);
    // --block overrides it.
    expect(stationaryBootstrapSharpeDiff(a, b, { samples: 50, seed: 1, blockLength: 3 }).blockLength).toBe(3);
  });
});

describe('stationaryBootstrapSharpeDiff against the plain resample-then-measure loop', () => {
  // The loop written plainly: resample both series, then mean and sampleStd of each afresh.
  function plain(a: Float64Array, b: Float64Array, samples: number, seed: number, blockLength: number, periodsPerYear: number) {
    const rng = mulberry32(seed);
    const n = a.length;
    const sharpe = (x: Float64Array) => {
      const sd = sampleStd(x);
      return sd > 0 ? mean(x) / sd : Number.NaN;
    };
    const diffs: number[] = [];
    for (let s = 0; s < samples; s++) {
      const idx = stationaryBootstrapIndices(n, blockLength, rng);
      const d = (sharpe(Float64Array.from(idx, (i) => a[i]!)) - sharpe(Float64Array.from(idx, (i) => b[i]!))) * Math.sqrt(periodsPerYear);
      if (!Number.isNaN(d)) diffs.push(d);
    }
    return Float64Array.from(diffs).sort();
  }

  it('gives the same resampled differences to the bit, constant resamples included', () => {
    const rng = mulberry32(5);
    const a = Float64Array.from({ length: 120 }, () => 0.01 + 0.04 * gaussian(rng));
    // b is in cash (0) but for its first three periods, so a resample of long blocks may miss them: its
    // Sharpe is then NaN and the resample is dropped.
    const b = Float64Array.from({ length: 120 }, (_, i) => (i < 3 ? 0.005 + 0.03 * gaussian(rng) : 0));
    for (const blockLength of [1, 3.7, 40]) {
      const r = stationaryBootstrapSharpeDiff(a, b, { samples: 400, seed: 9, blockLength, periodsPerYear: 12, confidence: 0.9 });
      const d = plain(a, b, 400, 9, blockLength, 12);
      expect(r.samples).toBe(d.length);
      // The quantiles at the levels the function uses (1 - 0.9 is 0.09999999999999998 in float64).
      const alpha = 1 - 0.9;
      expect(r.interval).toEqual([quantileSorted(d, alpha / 2), quantileSorted(d, 1 - alpha / 2)]);
      if (blockLength === 40) expect(r.samples).toBeLessThan(400);
    }
  });
});
