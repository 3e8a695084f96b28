import { ar1 } from './__fixtures__/simulate';
import { optimalBlockLength } from './blockLength';
import { mulberry32 } from './random';

describe('optimalBlockLength (Politis-White 2004 / Patton-Politis-White 2009)', () => {
  it('hand computation: alternating +1, -1 with n = 16 gives 16^(1/3)', () => {
    /*
     * mean 0, R(k) = (-1)^k (16 - k)/16, rho(k) = R(k). K_N = 5, m_max = ceil(4 + 5) = 9,
     * B_max = ceil(min(12, 16/3)) = 6, threshold 2 sqrt(log10(16)/16) = 0.5487.
     * |rho(k)| = (16-k)/16 >= 0.5487 for k <= 7, so no run of 5 small lags fits below m_max = 9:
     * m_hat = 7 (largest significant lag), M = min(14, 9) = 9.
     * lambda(k/9) = 1 (k <= 4), 8/9, 6/9, 4/9, 2/9, 0 (k = 5..9).
     * g = 1 + (2/16)[-15 + 14 - 13 + 12 + (-88 + 60 - 36 + 16)/9] = 1 - 66/72 = 1/12
     * G = (2/16)[-15 + 28 - 39 + 48 + (-440 + 360 - 252 + 128)/9] = (1/8)(22 - 204/9) = -1/12
     * b = (2 G^2 / (2 g^2))^(1/3) 16^(1/3) = 16^(1/3) = 2.52 (< B_max)
     */
    const x = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    expect(optimalBlockLength(x)).toBeCloseTo(Math.cbrt(16), 12);
  });

  it('AR(1): close to the theoretical optimum (2 phi / (1 - phi^2))^(2/3) n^(1/3)', () => {
    // For AR(1), G / g = sum |k| R(k) / sum R(k) = 2 phi / (1 - phi^2), and
    // b_SB = (2 G^2 / (2 g^2))^(1/3) n^(1/3) = (G/g)^(2/3) n^(1/3); phi = 0.5, n = 5000: 20.7.
    const rng = mulberry32(2004);
    const n = 5000;
    const phi = 0.5;
    const theory = ((2 * phi) / (1 - phi * phi)) ** (2 / 3) * Math.cbrt(n);
    let sum = 0;
    const reps = 10;
    for (let r = 0; r < reps; r++) sum += optimalBlockLength(ar1(rng, n, phi));
    expect(Math.abs(sum / reps / theory - 1)).toBeLessThan(0.2);
  });

  it('white noise gets short blocks; a near unit root long ones, never above B_max', () => {
    const rng = mulberry32(5);
    let sum = 0;
    for (let r = 0; r < 10; r++) sum += optimalBlockLength(ar1(rng, 1000, 0));
    expect(sum / 10).toBeLessThan(3);
    // n = 200: B_max = ceil(min(3 sqrt(200), 200/3)) = ceil(42.43) = 43
    for (let r = 0; r < 5; r++) {
      const b = optimalBlockLength(ar1(rng, 200, 0.995));
      expect(b).toBeGreaterThan(10);
      expect(b).toBeLessThanOrEqual(43);
    }
  });

  it('degenerate input returns 1', () => {
    expect(optimalBlockLength([])).toBe(1);
    expect(optimalBlockLength([1, 2])).toBe(1);
    expect(optimalBlockLength(new Array(50).fill(0.01))).toBe(1);
    expect(() => optimalBlockLength([1, NaN, 2])).toThrow(RangeError);
  });
});
