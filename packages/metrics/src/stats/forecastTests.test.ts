import { clarkWest } from './clarkWest';
import { dieboldMariano } from './dieboldMariano';
import { normalSf } from './normal';
import { gaussian } from './__fixtures__/simulate';
import { mulberry32 } from './random';

/** Student t with 4 df, two-sided tail, from A&S 26.7.4: P(|T|<t) = sin(th)(1 + cos^2(th)/2). */
function tail4(t: number): number {
  const th = Math.atan(Math.abs(t) / 2);
  return 1 - Math.sin(th) * (1 + Math.cos(th) ** 2 / 2);
}

describe('dieboldMariano', () => {
  // e1 = [1, -2, 3, -1, 2], e2 = [0.5, -1, 1, -1, 1]; squared loss:
  // d = [1 - 0.25, 4 - 1, 9 - 1, 1 - 1, 4 - 1] = [0.75, 3, 8, 0, 3], mean 14.75/5 = 2.95
  // deviations [-2.2, 0.05, 5.05, -2.95, 0.05]; gamma0 = (4.84 + 0.0025 + 25.5025 + 8.7025 + 0.0025)/5 = 7.81
  const e1 = [1, -2, 3, -1, 2];
  const e2 = [0.5, -1, 1, -1, 1];

  it('h = 1, hand computation', () => {
    // V = 7.81/5; DM = 2.95/sqrt(V); HLN factor sqrt((5 + 1 - 2 + 0)/5) = sqrt(0.8); df 4
    const stat = (2.95 / Math.sqrt(7.81 / 5)) * Math.sqrt(0.8);
    const r = dieboldMariano(e1, e2);
    expect(r.meanLossDifference).toBeCloseTo(2.95, 14);
    expect(r.statistic).toBeCloseTo(stat, 13);
    expect(r.df).toBe(4);
    expect(r.pValue).toBeCloseTo(tail4(stat), 13);
    // swapping the models flips the sign, not the p-value
    const s = dieboldMariano(e2, e1);
    expect(s.statistic).toBeCloseTo(-stat, 13);
    expect(s.pValue).toBeCloseTo(r.pValue, 14);
  });

  it('h = 2, hand computation', () => {
    // gamma1 = (1/5)[0.05(-2.2) + 5.05(0.05) + (-2.95)(5.05) + 0.05(-2.95)] = -14.9025/5 = -2.9805
    // V = (7.81 + 2(-2.9805))/5 = 1.849/5; HLN factor sqrt((5 + 1 - 4 + 2/5)/5) = sqrt(0.48)
    const stat = (2.95 / Math.sqrt(1.849 / 5)) * Math.sqrt(0.48);
    const r = dieboldMariano(e1, e2, { horizon: 2 });
    expect(r.statistic).toBeCloseTo(stat, 12);
    expect(r.pValue).toBeCloseTo(tail4(stat), 12);
  });

  it('absolute loss', () => {
    // d = [1 - 0.5, 2 - 1, 3 - 1, 0, 2 - 1] = [0.5, 1, 2, 0, 1]: mean 0.9,
    // deviations [-0.4, 0.1, 1.1, -0.9, 0.1], gamma0 = (0.16 + 0.01 + 1.21 + 0.81 + 0.01)/5 = 0.44
    const stat = (0.9 / Math.sqrt(0.44 / 5)) * Math.sqrt(0.8);
    expect(dieboldMariano(e1, e2, { loss: 'absolute' }).statistic).toBeCloseTo(stat, 13);
    expect(dieboldMariano(e1, e2, { loss: (e) => Math.abs(e) }).statistic).toBeCloseTo(stat, 13);
  });

  it('calibration: equally accurate independent forecasts are rejected at 5% about 5% of the time', () => {
    // 4000 pairs of 60 iid N(0,1) errors; binomial sd of the rate 0.34%, band +-1.5 points.
    const rng = mulberry32(1995);
    let rejections = 0;
    const sims = 4000;
    for (let s = 0; s < sims; s++) {
      const a = Array.from({ length: 60 }, () => gaussian(rng));
      const b = Array.from({ length: 60 }, () => gaussian(rng));
      if (dieboldMariano(a, b).pValue <= 0.05) rejections++;
    }
    expect(Math.abs(rejections / sims - 0.05)).toBeLessThan(0.015);
  });

  it('identical errors: statistic 0, p-value 1; degenerate cases NaN', () => {
    expect(dieboldMariano(e1, e1)).toMatchObject({ statistic: 0, pValue: 1 });
    expect(dieboldMariano([1], [2]).statistic).toBeNaN();
    // constant non-zero differential: undefined variance
    expect(dieboldMariano([2, 2, 2], [1, 1, 1]).pValue).toBeNaN();
  });

  it('rejects bad input', () => {
    expect(() => dieboldMariano([1, NaN], [1, 2])).toThrow(RangeError);
    expect(() => dieboldMariano([1, 2], [1])).toThrow(RangeError);
    expect(() => dieboldMariano([1, 2], [1, 2], { horizon: 0 })).toThrow(RangeError);
  });
});

describe('clarkWest', () => {
  it('hand computation', () => {
    /*
     * a = [0.02, -0.01, 0.03, 0], p1 = 0.005 (constant), p2 = [0.01, 0.01, 0.02, 0.01]
     * (a-p1)^2 = [2.25, 2.25, 6.25, 0.25]e-4; (a-p2)^2 = [1, 4, 1, 1]e-4;
     * (p1-p2)^2 = [0.25, 0.25, 2.25, 0.25]e-4
     * f = [1.5, -1.5, 7.5, -0.5]e-4, mean 1.75e-4
     * deviations [-0.25, -3.25, 5.75, -2.25]e-4 -> SS = 48.75e-8 -> s^2 = 16.25e-8
     * t = 1.75e-4 / sqrt(16.25e-8 / 4)
     */
    const r = clarkWest({
      actual: [0.02, -0.01, 0.03, 0],
      restricted: [0.005, 0.005, 0.005, 0.005],
      unrestricted: [0.01, 0.01, 0.02, 0.01],
    });
    const t = 1.75e-4 / Math.sqrt(16.25e-8 / 4);
    expect(r.meanAdjustedDifference).toBeCloseTo(1.75e-4, 15);
    expect(r.statistic).toBeCloseTo(t, 10);
    expect(r.pValue).toBeCloseTo(normalSf(t), 12);
  });

  it('identical forecasts give f = 0: undefined statistic', () => {
    const r = clarkWest({ actual: [0.1, 0.2, -0.1], restricted: [0, 0, 0], unrestricted: [0, 0, 0] });
    expect(r.meanAdjustedDifference).toBe(0);
    expect(r.statistic).toBeNaN();
  });

  it('rejects bad input', () => {
    expect(() => clarkWest({ actual: [0, 1], restricted: [0], unrestricted: [0, 1] })).toThrow(RangeError);
  });
});
