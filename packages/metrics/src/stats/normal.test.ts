/**
 * References: CPython's math.erfc (libm; python3 -c "import math; print(math.erfc(x))") for
 * erfc and Phi(z) = erfc(-z/sqrt 2)/2, and statistics.NormalDist().inv_cdf (Wichura's AS241,
 * accurate to ~1e-16) for quantiles. Values were printed with repr() and pasted here.
 */
import { erf, erfc, normalCdf, normalQuantile, normalSf } from './normal';

const relClose = (got: number, want: number, tol: number) => {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
};

describe('erfc', () => {
  it.each([
    [0, 1.0],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [1.9, 0.0072095707647425325],
    [2, 0.004677734981047265],
    [2.1, 0.002979466656332984],
    [2.5, 0.0004069520174449589],
    [3, 2.2090496998585438e-5],
    [4, 1.541725790028002e-8],
    [5, 1.5374597944280351e-12],
    [6, 2.1519736712498916e-17],
    [10, 2.088487583762545e-45],
    [20, 5.3958656116079005e-176],
    [26, 5.663192408856143e-296],
  ])('erfc(%p) to 1e-14 relative', (x, want) => {
    relClose(erfc(x), want, 1e-14);
    relClose(erfc(-x), 2 - want, 1e-15);
  });

  it('erf is odd and erf + erfc = 1', () => {
    for (const x of [0.3, 1.2, 1.99, 2.01, 3.7]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('normalCdf', () => {
  it('Phi(1.96) = 0.9750021048517795', () => {
    expect(Math.abs(normalCdf(1.96) - 0.9750021048517795)).toBeLessThan(1e-15);
  });

  it.each([
    [-37, 5.725571222525139e-300],
    [-20, 2.7536241186063314e-89],
    [-10, 7.619853024160593e-24],
    [-8, 6.220960574271819e-16],
    [-5, 2.866515718791946e-7],
    [-3, 0.0013498980316300957],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145707],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1, 0.8413447460685429],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [5, 0.9999997133484281],
    [8, 0.9999999999999993],
  ])('Phi(%p): 1e-12 absolute and 1e-13 relative', (z, want) => {
    expect(Math.abs(normalCdf(z) - want)).toBeLessThan(1e-12);
    relClose(normalCdf(z), want, 1e-13);
    relClose(normalSf(-z), want, 1e-13);
  });
});

describe('normalQuantile', () => {
  it.each([
    [1e-300, -37.0470962993612],
    [1e-100, -21.27345356096532],
    [1e-20, -9.262340089798405],
    [1e-10, -6.361340902404056],
    [1e-5, -4.2648907939228256],
    [0.001, -3.090232306167813],
    [0.01, -2.3263478740408408],
    [0.02425, -1.9729610513118845], // Acklam's region boundary
    [0.025, -1.9599639845400538],
    [0.05, -1.6448536269514726],
    [0.1, -1.2815515655446008],
    [0.3, -0.5244005127080407],
    [0.5, 0],
    [0.7, 0.5244005127080407],
    [0.9, 1.2815515655446008],
    [0.95, 1.6448536269514715],
    [0.975, 1.9599639845400536],
    [0.99, 2.3263478740408408],
    [0.999, 3.090232306167813],
    [0.9999999999, 6.361340889697421],
  ])('Phi^-1(%p) to 1e-14 relative', (p, want) => {
    const got = normalQuantile(p);
    if (want === 0) expect(got).toBe(0);
    else relClose(got, want, 1e-14);
  });

  it('limits and invalid input', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });

  // Only the lower half: above the median p = Phi(z) is itself rounded to 1e-16 absolute, which
  // is a large relative error in the tail 1 - p that determines z.
  it('inverts the CDF across the lower half', () => {
    for (let z = -30; z <= 0; z += 0.37) {
      relClose(normalQuantile(normalCdf(z)), z, 1e-13);
    }
  });
});
