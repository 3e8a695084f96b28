/**
 * References: CPython math.lgamma for ln Gamma; closed forms of the incomplete beta function
 * and of Student's t CDF for small degrees of freedom; and Abramowitz & Stegun 26.7.3-26.7.4,
 * the finite trigonometric sums for P(|T| < t) with integer nu, coded here independently.
 */
import { lnGamma } from './gamma';
import { regularizedBeta, regularizedBetaComplement } from './incompleteBeta';
import { studentTCdf, studentTSf, studentTTwoSided } from './studentT';

describe('lnGamma', () => {
  it.each([
    [0.5, 0.5723649429247004],
    [1, 0],
    [1.5, -0.12078223763524543],
    [2, 0],
    [3, Math.LN2],
    [7.5, 7.534364236758734],
    [10, 12.801827480081467],
    [100, 359.1342053695754],
    [1000, 5905.220423209181],
    [0.01, 4.599479878042022],
    [1e-5, 11.512919692895824],
    [171.5, 709.1431630309282],
    [-0.5, 1.265512123484645],
    [-2.5, -0.05624371649767457],
  ])('lnGamma(%p) to 1e-14 absolute or relative', (x, want) => {
    expect(Math.abs(lnGamma(x) - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
  });
  it('poles', () => {
    expect(lnGamma(0)).toBe(Infinity);
    expect(lnGamma(-3)).toBe(Infinity);
  });
});

describe('regularizedBeta', () => {
  const xs = [1e-8, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-9];
  it('closed forms: I_x(a,1) = x^a, I_x(1,b) = 1-(1-x)^b, I_x(1/2,1/2) = 2 asin(sqrt x)/pi, I_x(2,2) = 3x^2-2x^3', () => {
    for (const x of xs) {
      expect(regularizedBeta(x, 3.7, 1)).toBeCloseTo(x ** 3.7, 14);
      expect(regularizedBeta(x, 1, 4.2)).toBeCloseTo(1 - (1 - x) ** 4.2, 14);
      // asin is ill-conditioned near 1, so for x > 1/2 use the equivalent 1 - 2 asin(sqrt(1-x))/pi
      const arcsine = x < 0.5 ? (2 / Math.PI) * Math.asin(Math.sqrt(x)) : 1 - (2 / Math.PI) * Math.asin(Math.sqrt(1 - x));
      expect(regularizedBeta(x, 0.5, 0.5)).toBeCloseTo(arcsine, 14);
      expect(regularizedBeta(x, 2, 2)).toBeCloseTo(3 * x * x - 2 * x * x * x, 14);
    }
  });
  it('small values keep relative accuracy', () => {
    const x = 1e-8;
    const got = regularizedBeta(x, 3.7, 1);
    expect(Math.abs(got - x ** 3.7) / x ** 3.7).toBeLessThan(1e-13);
    const c = regularizedBetaComplement(1 - 1e-6, 1, 4);
    // 1 - I_x(1, 4) = (1 - x)^4 = 1e-24 (x = 1 - 1e-6 carries a 1e-16/1e-6 relative rounding)
    expect(Math.abs(c - 1e-24) / 1e-24).toBeLessThan(1e-9);
  });
  it('edges and invalid input', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(-0.1, 2, 3)).toBeNaN();
    expect(regularizedBeta(0.5, 0, 3)).toBeNaN();
  });
});

/** A&S 26.7.3 (odd nu) and 26.7.4 (even nu): P(|T| < t) as a finite sum in theta = atan(t/sqrt nu). */
function absTLessThan(t: number, nu: number): number {
  const th = Math.atan(Math.abs(t) / Math.sqrt(nu));
  const c2 = Math.cos(th) ** 2;
  if (nu % 2 === 1) {
    if (nu === 1) return (2 / Math.PI) * th;
    let term = Math.cos(th);
    let sum = term;
    for (let k = 3; k <= nu - 2; k += 2) {
      term *= ((k - 1) / k) * c2; // (2*4*..*(k-1))/(1*3*..*k) cos^k
      sum += term;
    }
    return (2 / Math.PI) * (th + Math.sin(th) * sum);
  }
  let term = 1;
  let sum = 1;
  for (let k = 2; k <= nu - 2; k += 2) {
    term *= ((k - 1) / k) * c2; // (1*3*..*(k-1))/(2*4*..*k) cos^k
    sum += term;
  }
  return Math.sin(th) * sum;
}

describe('Student t', () => {
  it('nu = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi; far tail 2 atan(1/t)/pi stays accurate', () => {
    for (const t of [-30, -2, -0.3, 0, 0.7, 12.706204736174698]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
    }
    expect(studentTCdf(12.706204736174698, 1)).toBeCloseTo(0.975, 14);
    const tail = studentTTwoSided(1e6, 1);
    const want = (2 / Math.PI) * Math.atan(1e-6);
    expect(Math.abs(tail - want) / want).toBeLessThan(1e-12);
  });

  it('nu = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2))', () => {
    for (const t of [-5, -1, 0.2, 3, 40]) {
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    }
  });

  it.each([3, 4, 5, 7, 10, 19, 30, 60])('nu = %p agrees with the A&S 26.7.3/4 sums', (nu) => {
    for (const t of [0.05, 0.5, 1, 1.7, 2.228, 3, 6, 15]) {
      const inside = absTLessThan(t, nu);
      expect(studentTTwoSided(t, nu)).toBeCloseTo(1 - inside, 14);
      expect(studentTTwoSided(-t, nu)).toBeCloseTo(1 - inside, 14);
      expect(studentTCdf(t, nu)).toBeCloseTo(0.5 + inside / 2, 14);
      expect(studentTSf(t, nu)).toBeCloseTo(0.5 - inside / 2, 14);
    }
  });

  it('large nu approaches the normal distribution', () => {
    // P(|Z| > 1.96) = 0.04999579029644087 (2 * (1 - Phi(1.96)) from math.erfc)
    expect(studentTTwoSided(1.96, 1e7)).toBeCloseTo(0.04999579029644087, 7);
  });

  it('invalid input', () => {
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTCdf(NaN, 5)).toBeNaN();
    expect(studentTCdf(Infinity, 5)).toBe(1);
    expect(studentTCdf(-Infinity, 5)).toBe(0);
  });
});
