import fc from 'fast-check';
import { computeMetrics } from './computeMetrics';
import { exposure, tradeCount, turnover } from './positions';

describe('position statistics of a universe (one weight series per asset)', () => {
  // Two assets, four periods: a 0.5, 0.5, 0, 0.25; b 0, 0.5, 0.5, -0.25.
  const a = [0.5, 0.5, 0, 0.25];
  const b = [0, 0.5, 0.5, -0.25];

  it('are the sums over assets, hand-computed', () => {
    // gross exposure per period 0.5, 1, 0.5, 0.5 -> mean 0.625
    expect(exposure([a, b])).toBeCloseTo(0.625, 15);
    // traded per period: |.5| + 0, 0 + |.5|, |.5| + 0, |.25| + |.75| -> 0.5, 0.5, 0.5, 1 -> mean 0.625
    expect(turnover([a, b])).toBeCloseTo(0.625, 15);
    // every period changes some weight
    expect(tradeCount([a, b])).toBe(4);
    // a swap between assets is a trade and turnover, though the total weight is unchanged
    expect(
      tradeCount([
        [1, 0],
        [0, 1],
      ]),
    ).toBe(2);
    expect(
      turnover([
        [1, 0],
        [0, 1],
      ]),
    ).toBe(1.5);
  });

  it('of one asset are the single series statistics, to the bit', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (w) => {
        expect(exposure([w])).toBe(exposure(w));
        expect(turnover([w])).toBe(turnover(w));
        expect(tradeCount([w])).toBe(tradeCount(w));
      }),
    );
  });

  it('go through computeMetrics, which checks every asset', () => {
    const m = computeMetrics({ returns: [0.01, 0.02, -0.01, 0], weights: [a, b], periodsPerYear: 12 });
    expect(m.exposure).toBeCloseTo(0.625, 15);
    expect(m.trades).toBe(4);
    expect(() => computeMetrics({ returns: [0.01, 0.02, -0.01, 0], weights: [a, [0, 1]], periodsPerYear: 12 })).toThrow(/weights of asset 1/);
    expect(() => computeMetrics({ returns: [0.01, 0.02, -0.01, 0], weights: [a, [0, 1, Number.NaN, 0]], periodsPerYear: 12 })).toThrow(/weights of asset 1/);
  });
});
