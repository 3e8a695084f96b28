/**
 * Regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), by the continued
 * fraction of Abramowitz & Stegun 26.5.8 evaluated with the modified Lentz method, as in
 * Numerical Recipes (3rd ed., section 6.4, `betacf`). The fraction converges quickly for
 * x < (a + 1) / (a + b + 2); above that point we use I_x(a, b) = 1 - I_{1-x}(b, a).
 */
import { lnBeta } from './gamma';

const EPS = 1e-16;
const TINY = 1e-300;

function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** x^a (1-x)^b / (a B(a,b)) times the continued fraction: valid for x below the switch point. */
function lowerSeries(x: number, a: number, b: number): number {
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b));
  return (front * continuedFraction(x, a, b)) / a;
}

/**
 * I_x(a, b) for 0 <= x <= 1 and a, b > 0; NaN otherwise. Accurate in relative terms when the
 * result is small; use {@link regularizedBetaComplement} for 1 - I_x(a, b) near 1.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0 && x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  if (x < (a + 1) / (a + b + 2)) return lowerSeries(x, a, b);
  return 1 - lowerSeries(1 - x, b, a);
}

/** 1 - I_x(a, b) = I_{1-x}(b, a), computed without cancellation when it is small. */
export function regularizedBetaComplement(x: number, a: number, b: number): number {
  return regularizedBeta(1 - x, b, a);
}
