import { correlation, correctedTwoPassVariance, sampleVariance } from './descriptive';

describe('correlation', () => {
  it("is Pearson's r, hand-computed", () => {
    // x = 1, 2, 3; y = 2, 4, 5: means 2 and 11/3; deviations (-1, 0, 1) and (-5/3, 1/3, 4/3);
    // sxy = 3, sxx = 2, syy = 42/9: r = 3 / sqrt(2 * 42/9) = 0.9819805060619657.
    expect(correlation([1, 2, 3], [2, 4, 5])).toBeCloseTo(3 / Math.sqrt((2 * 42) / 9), 15);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(correlation([1, 2, 3], [2, 4, 5])).toBe(correlation([2, 4, 5], [1, 2, 3]));
  });
  it('is NaN for a constant or empty series, and refuses series of other lengths', () => {
    expect(correlation([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(correlation([], [])).toBeNaN();
    expect(() => correlation([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('correctedTwoPassVariance', () => {
  it("is sampleVariance's value for a series that is not constant, to the bit", () => {
    const x = [0.013, -0.021, 0.004, 0.037, -0.009];
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    expect(correctedTwoPassVariance(x, m)).toBe(sampleVariance(x));
  });
});
