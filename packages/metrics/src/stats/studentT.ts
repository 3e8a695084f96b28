/**
 * Student's t distribution with nu > 0 degrees of freedom, through the regularised incomplete
 * beta function (Abramowitz & Stegun 26.7.1 / 26.5.27):
 *   P(|T| > t) = I_{nu/(nu+t^2)}(nu/2, 1/2),   P(|T| < t) = I_{t^2/(nu+t^2)}(1/2, nu/2).
 * Whichever of the two is smaller is computed directly (and the other as its complement), so a
 * tail probability of 1e-20 keeps its relative accuracy.
 */
import { regularizedBeta } from './incompleteBeta';

/** Two-sided tail P(|T| > |t|). */
export function studentTTwoSided(t: number, nu: number): number {
  if (!(nu > 0) || Number.isNaN(t)) return NaN;
  const t2 = t * t;
  if (!Number.isFinite(t2)) return 0;
  // For t^2 > nu the tail is the small side: compute it directly. Otherwise the tail is at
  // least P(|T| > sqrt(nu)) (> 0.3 for every nu), so taking it as 1 - P(|T| < t) is safe.
  if (t2 > nu) return regularizedBeta(nu / (nu + t2), nu / 2, 0.5);
  return 1 - regularizedBeta(t2 / (nu + t2), 0.5, nu / 2);
}

/** CDF P(T <= t). */
export function studentTCdf(t: number, nu: number): number {
  const tail = studentTTwoSided(t, nu) / 2;
  return t < 0 ? tail : 1 - tail;
}

/** Upper tail P(T > t), accurate for large t. */
export function studentTSf(t: number, nu: number): number {
  return studentTCdf(-t, nu);
}
