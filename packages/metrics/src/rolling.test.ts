import { trailingMeanSd, trailingSma } from './rolling';

describe('trailingSma', () => {
  it('is the mean of the last N values, NaN before the window fills, computed by hand', () => {
    const out = trailingSma(Float64Array.from([1, 2, 4, 8, 16]), 3);
    expect(Number.isNaN(out[0]!) && Number.isNaN(out[1]!)).toBe(true);
    expect(out[2]).toBeCloseTo(7 / 3, 14);
    expect(out[3]).toBeCloseTo(14 / 3, 14);
    expect(out[4]).toBeCloseTo(28 / 3, 14);
  });
  it('is all NaN for fewer values than the window, and refuses a window below 1', () => {
    expect(Array.from(trailingSma(Float64Array.from([1, 2]), 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(trailingSma(new Float64Array(0), 3))).toEqual([]);
    expect(() => trailingSma(Float64Array.from([1]), 0)).toThrow(RangeError);
  });
  it('reads rows up to t only', () => {
    const v = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i) + 2);
    const cut = trailingSma(v.slice(0, 17), 5);
    expect(Array.from(trailingSma(v, 5).subarray(0, 17))).toEqual(Array.from(cut));
  });
});

describe('trailingMeanSd', () => {
  it('gives the sample deviation (n - 1) of each window', () => {
    const { mean, sd } = trailingMeanSd(Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9]), 8);
    // The classic example: mean 5, population sd 2, so sample sd sqrt(32 / 7).
    expect(mean[7]).toBe(5);
    expect(sd[7]).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(Number.isNaN(mean[6]!)).toBe(true);
    expect(() => trailingMeanSd(Float64Array.from([1, 2]), 1)).toThrow(RangeError);
  });
});
