/**
 * Standard normal distribution: erfc, CDF and quantile, accurate to a few ulps in both tails.
 *
 * erfc(x) for x >= 0 is computed two ways, each where it converges fast and cancels nothing:
 *  - x < 1.5: erfc = 1 - erf with the everywhere-positive series (Abramowitz & Stegun 7.1.6)
 *      erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1));
 *    here erfc(x) >= erfc(1.5) = 0.034, so the subtraction loses at most ~1.5 digits.
 *  - x >= 1.5: the continued fraction (A&S 7.1.14; ~90 terms at x = 1.5, fewer beyond)
 *      erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
 *    evaluated by the modified Lentz method (Numerical Recipes, 3rd ed., section 5.2).
 * exp(-x^2) is evaluated as exp(-h^2) exp(-(x-h)(x+h)) with h = x rounded to 1/16, as in
 * W. J. Cody's CALERF, because x^2 itself carries a rounding error that exp would magnify
 * (x^2 ~ 700 near the underflow limit).
 *
 * The quantile starts from P. J. Acklam's rational approximation (relative error 1.15e-9) and
 * applies one Halley step on the CDF above, which makes it accurate to ~1e-15 relative.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;

/** exp(-x*x) without the rounding error of forming x*x first. */
function expMinusSquare(x: number): number {
  const h = Math.trunc(x * 16) / 16;
  return Math.exp(-h * h) * Math.exp(-(x - h) * (x + h));
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * expMinusSquare(x) * sum;
}

function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    c = x + a / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return expMinusSquare(x) / SQRT_PI / f;
}

/** Complementary error function erfc(x) = 1 - erf(x) = 2/sqrt(pi) int_x^inf exp(-t^2) dt. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  if (x < 1.5) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x < 1.5) return erfSeries(x);
  return 1 - erfcContinuedFraction(x);
}

/** Standard normal density phi(z) = exp(-z^2/2) / sqrt(2 pi). */
function normalPdf(z: number): number {
  return expMinusSquare(Math.abs(z) / SQRT2) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF Phi(z) = erfc(-z/sqrt 2)/2, accurate relative to its value for z < 0. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** Upper tail 1 - Phi(z) = Phi(-z), without the cancellation of 1 - normalCdf(z). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / SQRT2);
}

// P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
// function" (2003; archived at web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/**
 * Quantile function Phi^{-1}(p): -Infinity at 0, +Infinity at 1, NaN outside [0, 1].
 * For p > 1/2 it returns -Phi^{-1}(1 - p); 1 - p is exact there (Sterbenz), so the lower-tail
 * computation, where the CDF is accurate in relative terms, serves both halves.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  // Halley step for f(x) = Phi(x) - p: with u = f/phi, x -= u / (1 + x u / 2).
  const e = normalCdf(x) - p;
  const u = e / normalPdf(x);
  x -= u / (1 + (x * u) / 2);
  return x;
}
