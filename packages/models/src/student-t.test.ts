import { logGamma, studentTTwoSidedPValue } from './student-t';

const near = (actual: number, expected: number, rel = 1e-12): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
};

describe('Student t p-values', () => {
  // Closed-form t CDFs: df 1 is Cauchy, F(t) = 1/2 + atan(t)/pi; df 2: F(t) = 1/2 + t / (2 sqrt(2 + t²));
  // df 3: F(t) = 1/2 + (t / (sqrt3 (1 + t²/3)) + atan(t / sqrt3)) / pi. Two-sided p = 2 (1 - F(|t|)).
  const ts = [0.1, 0.57735, 1, 1.3416, 2.5, 7, 40];
  test.each(ts)('df 1, 2 and 3 match the closed forms at t = %p', (t) => {
    near(studentTTwoSidedPValue(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-11);
    near(studentTTwoSidedPValue(-t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-11);
    near(studentTTwoSidedPValue(t, 3), 1 - (2 / Math.PI) * (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))), 1e-10);
  });

  test('edge cases', () => {
    expect(studentTTwoSidedPValue(0, 5)).toBe(1);
    expect(studentTTwoSidedPValue(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(studentTTwoSidedPValue(Number.NaN, 5)).toBeNaN();
    expect(studentTTwoSidedPValue(1, 0)).toBeNaN();
  });

  test('log-gamma equals log of factorials and of sqrt(pi)', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    near(logGamma(5), Math.log(24), 1e-14);
    near(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    near(logGamma(101), [...Array(100).keys()].reduce((s, k) => s + Math.log(k + 1), 0), 1e-14);
  });
});
