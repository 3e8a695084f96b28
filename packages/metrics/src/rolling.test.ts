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

describe("trailingSma is technicalindicators' SMA", () => {
  it('to the bit, for every window from 1 to 40, on prices of any scale', () => {
    const { SMA } = require('technicalindicators') as typeof import('technicalindicators');
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (const scale of [1, 1e-3, 4321.9]) {
      const values = Float64Array.from({ length: 300 }, () => scale * (50 + 100 * next()));
      for (let w = 1; w <= 40; w++) {
        const ours = trailingSma(values, w);
        const theirs = SMA.calculate({ period: w, values: Array.from(values) });
        expect(Array.from(ours.subarray(w - 1))).toEqual(theirs);
        expect(Array.from(ours.subarray(0, w - 1)).every(Number.isNaN)).toBe(true);
      }
    }
  });
});
