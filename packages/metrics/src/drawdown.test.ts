import { drawdownSeries, equityCurve, maxDrawdown } from './drawdown';

describe('equityCurve and drawdownSeries', () => {
  it('prepend the start value 1 and have n + 1 points', () => {
    // 1 -> 1.1 -> 1.1*0.95 = 1.045 -> 1.045*1.02 = 1.0659
    const e = equityCurve([0.1, -0.05, 0.02]);
    expect(Array.from(e)).toHaveLength(4);
    [1, 1.1, 1.045, 1.0659].forEach((v, i) => expect(e[i]).toBeCloseTo(v, 14));
    // drawdowns against the running peak 1, 1.1, 1.1, 1.1
    const d = drawdownSeries([0.1, -0.05, 0.02]);
    [0, 0, 1.045 / 1.1 - 1, 1.0659 / 1.1 - 1].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 14));
  });

  it('empty input gives the start point only', () => {
    expect(Array.from(equityCurve([]))).toEqual([1]);
    expect(Array.from(drawdownSeries([]))).toEqual([0]);
  });

  it('rejects NaN', () => {
    expect(() => equityCurve([0.1, NaN])).toThrow(RangeError);
  });
});

describe('maxDrawdown duration', () => {
  it('counts from the peak to the recovery', () => {
    // equity 1, 1.1, 0.55, 1.1, 1.21: peak index 1, trough 2, back to 1.1 at index 3 -> 2 periods
    const m = maxDrawdown([0.1, -0.5, 1.0, 0.1]);
    expect(m.maxDrawdown).toBeCloseTo(-0.5, 15);
    expect(m).toMatchObject({ peakIndex: 1, troughIndex: 2, recoveryIndex: 3, duration: 2 });
  });

  it('counts to the end when the peak is never regained', () => {
    // equity 1, 0.9, 0.99, 0.891: peak = start (index 0), trough index 3, end n = 3
    const m = maxDrawdown([-0.1, 0.1, -0.1]);
    expect(m).toMatchObject({ peakIndex: 0, troughIndex: 3, recoveryIndex: -1, duration: 3 });
  });

  it('picks the deeper of two drawdowns, not the longer', () => {
    // A: 1 -> 0.95 (5%), recovers over 5 periods; B: later 20% drop recovered at once.
    const r = [-0.05, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1, -0.2, 0.3];
    const m = maxDrawdown(r);
    expect(m.maxDrawdown).toBeCloseTo(-0.2, 14);
    expect(m).toMatchObject({ peakIndex: 7, troughIndex: 8, recoveryIndex: 9, duration: 2 });
  });

  it('takes the first trough when two have the same depth, and the latest touch of the peak', () => {
    // 1, 1 (flat: the peak moves to index 1), 0.5, 1, 0.5: both troughs are -50%.
    const m = maxDrawdown([0, -0.5, 1, -0.5]);
    expect(m).toMatchObject({ maxDrawdown: -0.5, peakIndex: 1, troughIndex: 2, recoveryIndex: 3, duration: 2 });
  });

  it('a total loss is -100% and never recovers', () => {
    const m = maxDrawdown([0.1, -1, 0.5]);
    expect(m.maxDrawdown).toBe(-1);
    expect(m.duration).toBe(2);
  });

  it('no drawdown: 0 and duration 0', () => {
    expect(maxDrawdown([0.01, 0, 0.02])).toMatchObject({ maxDrawdown: 0, duration: 0 });
    expect(maxDrawdown([])).toMatchObject({ maxDrawdown: 0, duration: 0 });
  });
});
