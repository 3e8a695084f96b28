import { directionMetrics } from './directionMetrics';
import { mulberry32 } from './stats/random';

/** The AUC by its definition: over every (outcome 1, outcome 0) pair, 1 if ranked right, 1/2 if tied. */
function bruteForceAuc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let score = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      if (p[i]! > p[j]!) score += 1;
      else if (p[i] === p[j]) score += 0.5;
    }
  }
  return score / pairs;
}

describe('directionMetrics', () => {
  it('hand-computed example with a tie', () => {
    /*
     * p = [0.9, 0.4, 0.6, 0.6, 0.2], y = [1, 0, 0, 1, 1], threshold 0.5
     * long (p > 0.5): [1, 0, 1, 1, 0] vs y -> hits at 0, 1, 3 -> accuracy 3/5
     * (p - y)^2 = 0.01, 0.16, 0.36, 0.16, 0.64 -> sum 1.33 -> brier 0.266
     * log loss terms: -ln 0.9, -ln(1 - 0.4), -ln(1 - 0.6), -ln 0.6, -ln 0.2
     * AUC pairs (positive vs negative): 0.9>0.4, 0.9>0.6, 0.6>0.4 -> 3; 0.6 = 0.6 -> 1/2;
     *   0.2 loses both -> 3.5 / (3 * 2) = 7/12.
     *   Ranks: 0.2 -> 1, 0.4 -> 2, 0.6, 0.6 -> 3.5 each, 0.9 -> 5; R1 = 1 + 3.5 + 5 = 9.5,
     *   (9.5 - 3*4/2) / 6 = 7/12 as well.
     * base rate 3/5; base Brier 0.6 * 0.4 = 0.24; base log loss -(0.6 ln 0.6 + 0.4 ln 0.4).
     */
    const m = directionMetrics({ probability: [0.9, 0.4, 0.6, 0.6, 0.2], outcome: [1, 0, 0, 1, 1] });
    expect(m.n).toBe(5);
    expect(m.accuracy).toBe(0.6);
    expect(m.brier).toBeCloseTo(0.266, 15);
    const ll = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.4) + Math.log(0.6) + Math.log(0.2)) / 5;
    expect(m.logLoss).toBeCloseTo(ll, 14);
    expect(m.auc).toBeCloseTo(7 / 12, 15);
    expect(m.auc).toBeCloseTo(bruteForceAuc([0.9, 0.4, 0.6, 0.6, 0.2], [1, 0, 0, 1, 1]), 15);
    expect(m.baseRate).toBe(0.6);
    expect(m.baseBrier).toBeCloseTo(0.24, 15);
    expect(m.baseLogLoss).toBeCloseTo(-(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)), 15);
  });

  it('the base scores are the scores of forecasting the base rate every period', () => {
    const outcome = Float64Array.from([1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0]);
    const m = directionMetrics({ probability: new Float64Array(outcome.length).fill(0.5), outcome });
    const constant = directionMetrics({ probability: new Float64Array(outcome.length).fill(m.baseRate), outcome });
    expect(m.baseRate).toBeCloseTo(6 / 11, 15);
    expect(m.baseLogLoss).toBeCloseTo(constant.logLoss, 14);
    expect(m.baseBrier).toBeCloseTo(constant.brier, 15);
    // A constant forecast cannot rank: every pair is a tie.
    expect(constant.auc).toBe(0.5);
  });

  it('AUC equals the brute-force pair count on random data, with and without ties', () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const rng = mulberry32(seed);
      const n = 150 + rng.nextInt(100);
      const outcome = Array.from({ length: n }, () => (rng.next() < 0.45 ? 1 : 0));
      // Weakly informative forecasts, so the AUC is neither 0.5 nor 1.
      const smooth = outcome.map((y) => Math.min(1, Math.max(0, 0.5 + 0.15 * (y - 0.5) + 0.4 * (rng.next() - 0.5))));
      // Rounded to one decimal: many ties across the two classes.
      const tied = smooth.map((p) => Math.round(p * 10) / 10);
      for (const probability of [smooth, tied]) {
        const m = directionMetrics({ probability, outcome });
        expect(m.auc).toBeCloseTo(bruteForceAuc(probability, outcome), 12);
      }
    }
  });

  it('perfect ranking has AUC 1, inverted ranking 0, whatever the threshold does', () => {
    const outcome = [0, 0, 1, 0, 1, 1];
    const p = [0.1, 0.2, 0.35, 0.3, 0.4, 0.45]; // every 1 above every 0, yet all below 0.5
    const perfect = directionMetrics({ probability: p, outcome });
    expect(perfect.auc).toBe(1);
    expect(perfect.accuracy).toBe(0.5); // predicts 0 everywhere: right on the three 0s
    const inverted = directionMetrics({ probability: p.map((v) => 1 - v), outcome });
    expect(inverted.auc).toBe(0);
  });

  it('one class present: AUC is NaN, the rest is defined', () => {
    const m = directionMetrics({ probability: [0.7, 0.2, 0.9], outcome: [1, 1, 1] });
    expect(m.auc).toBeNaN();
    expect(m.baseRate).toBe(1);
    expect(m.baseBrier).toBe(0);
    // Forecasting 1 is clipped to 1 - 1e-15: a loss of about 1e-15, not 0.
    expect(m.baseLogLoss).toBeGreaterThan(0);
    expect(m.baseLogLoss).toBeLessThan(2e-15);
    expect(m.accuracy).toBeCloseTo(2 / 3, 15);
    expect(directionMetrics({ probability: [0.3, 0.6], outcome: [0, 0] }).auc).toBeNaN();
  });

  it('clips p = 0 and p = 1 to [1e-15, 1 - 1e-15] in the log loss', () => {
    /*
     * y = 1, p = 0 -> -ln(1e-15) = 15 ln 10 ~ 34.54
     * y = 0, p = 1 -> -ln(1 - (1 - 1e-15)): 1 - 1e-15 rounds to 1 - 9.99e-16 in doubles,
     *   which is what numpy's clip produces too, so the term is written the same way here.
     * y = 1, p = 1 and y = 0, p = 0 -> about 1e-15 each.
     */
    const m = directionMetrics({ probability: [0, 1, 1, 0], outcome: [1, 0, 1, 0] });
    const expected = (15 * Math.LN10 - Math.log(1 - (1 - 1e-15)) + 2e-15) / 4;
    expect(Number.isFinite(m.logLoss)).toBe(true);
    expect(Math.abs(m.logLoss - expected)).toBeLessThan(1e-12);
    expect(m.brier).toBe(0.5);
    const right = directionMetrics({ probability: [0, 1], outcome: [0, 1] });
    expect(right.logLoss).toBeLessThan(2e-15);
    expect(right.brier).toBe(0);
    expect(right.auc).toBe(1);
  });

  it('a probability exactly at the threshold counts as "not above" (predicts 0)', () => {
    expect(directionMetrics({ probability: [0.5, 0.5], outcome: [0, 1] }).accuracy).toBe(0.5);
    expect(directionMetrics({ probability: [0.5], outcome: [0] }).accuracy).toBe(1);
    expect(directionMetrics({ probability: [0.5], outcome: [1] }).accuracy).toBe(0);
    // A custom threshold: 0.6 is not above 0.6, 0.61 is.
    const m = directionMetrics({ probability: [0.6, 0.61, 0.55], outcome: [0, 1, 0], threshold: 0.6 });
    expect(m.accuracy).toBe(1);
    // The threshold moves accuracy only; the scores and AUC do not depend on it.
    const lower = directionMetrics({ probability: [0.6, 0.61, 0.55], outcome: [0, 1, 0], threshold: 0.5 });
    expect(lower.accuracy).toBeCloseTo(1 / 3, 15);
    expect([lower.logLoss, lower.brier, lower.auc]).toEqual([m.logLoss, m.brier, m.auc]);
  });

  it('empty input is NaN with n = 0', () => {
    expect(directionMetrics({ probability: [], outcome: [] })).toEqual({
      n: 0,
      accuracy: NaN,
      logLoss: NaN,
      brier: NaN,
      auc: NaN,
      baseRate: NaN,
      baseLogLoss: NaN,
      baseBrier: NaN,
    });
  });

  it('rejects bad input with a RangeError naming the index and value', () => {
    const call = (probability: number[], outcome: number[], threshold?: number) => () =>
      directionMetrics(threshold === undefined ? { probability, outcome } : { probability, outcome, threshold });
    expect(call([0.5, 0.5], [0, 1, 1])).toThrow(RangeError);
    expect(call([0.5, 0.5], [0, 1, 1])).toThrow(/probability has 2 elements but outcome has 3/);
    expect(call([0.5, 0.5, 0.5], [0, 1, 0.5])).toThrow(/outcome\[2\] is 0\.5; outcomes must be 0 or 1/);
    expect(call([0.5, 0.5], [0, -1])).toThrow(/outcome\[1\] is -1/);
    expect(call([0.5, 0.5], [NaN, 1])).toThrow(/outcome\[0\] is NaN/);
    expect(call([0.5, 1.2], [0, 1])).toThrow(/probability\[1\] is 1\.2; probabilities must be in \[0, 1\]/);
    expect(call([-0.1, 0.5], [0, 1])).toThrow(/probability\[0\] is -0\.1/);
    expect(call([0.5, NaN], [0, 1])).toThrow(/probability\[1\] is NaN/);
    expect(call([0.5, Infinity], [0, 1])).toThrow(RangeError);
    expect(call([0.5], [1], 2)).toThrow(/threshold must be a number in \[0, 1\], got 2/);
    expect(call([0.5], [1], NaN)).toThrow(RangeError);
  });
});
