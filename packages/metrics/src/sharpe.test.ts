import { informationRatio, rollingSharpe, sharpeRatio, sortinoRatio } from './sharpe';

describe('sharpeRatio / sortinoRatio', () => {
  it('per-period Sharpe with ppy = 1: [0.01, 0.03] has mean 0.02, sd sqrt(0.0002)', () => {
    expect(sharpeRatio([0.01, 0.03], 1)).toBeCloseTo(0.02 / Math.sqrt(0.0002), 13);
  });

  it('accepts a cash series', () => {
    // excess [0.01-0.01, 0.03-0.00] = [0, 0.03]: mean 0.015, sd sqrt(0.00045)
    expect(sharpeRatio([0.01, 0.03], 12, [0.01, 0])).toBeCloseTo((0.015 / Math.sqrt(0.00045)) * Math.sqrt(12), 12);
  });

  it('is NaN for fewer than 2 periods or zero variance; Sortino NaN without shortfall', () => {
    expect(sharpeRatio([], 12)).toBeNaN();
    expect(sharpeRatio([0.05], 12)).toBeNaN();
    expect(sharpeRatio([0.02, 0.02], 12)).toBeNaN();
    expect(sortinoRatio([], 12)).toBeNaN();
    expect(sortinoRatio([0.01, 0.02], 12)).toBeNaN();
    expect(sortinoRatio([0, 0], 12)).toBeNaN();
  });

  it('rejects NaN', () => {
    expect(() => sharpeRatio([NaN, 1], 12)).toThrow(RangeError);
    expect(() => sortinoRatio([0, NaN], 12)).toThrow(RangeError);
    expect(() => informationRatio([0, 1], [0, NaN], 12)).toThrow(RangeError);
  });
});

describe('rollingSharpe', () => {
  it('NaN until the window is full, then the Sharpe of each trailing window', () => {
    const r = [0.01, 0.03, -0.02, 0.05, 0.0];
    const out = rollingSharpe(Float64Array.from(r), 3, 12);
    expect(out).toHaveLength(5);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    // window [0.01, 0.03, -0.02]: mean 0.02/3; deviations (1/300)[1, 7, -8] -> SS = 114/90000
    const m1 = 0.02 / 3;
    expect(out[2]).toBeCloseTo((m1 / Math.sqrt(114 / 90000 / 2)) * Math.sqrt(12), 12);
    for (let end = 3; end <= 5; end++) {
      expect(out[end - 1]).toBeCloseTo(sharpeRatio(r.slice(end - 3, end), 12), 14);
    }
  });

  it('a window longer than the series gives all NaN; a bad window throws', () => {
    expect(Array.from(rollingSharpe([0.01, 0.02], 36, 12)).every(Number.isNaN)).toBe(true);
    expect(() => rollingSharpe([0.01], 1, 12)).toThrow(RangeError);
    expect(() => rollingSharpe([0.01], 2.5, 12)).toThrow(RangeError);
  });
});
