/**
 * Automatic choice of the expected block length for the stationary bootstrap:
 * Politis & White (2004), "Automatic Block-Length Selection for the Dependent Bootstrap",
 * Econometric Reviews 23(1), with the correction of Patton, Politis & White (2009),
 * Econometric Reviews 28(4) (D_SB = 2 g(0)^2). The steps follow A. Patton's reference MATLAB
 * code (opt_block_length_REV_dec07.m):
 *
 *  1. Autocovariances R(k) = (1/n) sum_{t} (x_t - mean)(x_{t+k} - mean), correlations
 *     rho(k) = R(k)/R(0), for k <= m_max = ceil(sqrt n) + K_N, K_N = max(5, sqrt(log10 n)).
 *  2. m_hat = the smallest m such that |rho(m+1..m+K_N)| are all below c sqrt(log10(n)/n),
 *     c = 2 (Politis 2003, "Adaptive bandwidth choice", Remark 2.3); if no such run exists,
 *     the largest significant lag. M = min(2 m_hat, m_max).
 *  3. With the flat-top lag window lambda(s) = 1 for |s| <= 1/2, 2(1 - |s|) for 1/2 < |s| <= 1:
 *       G = sum_{|k|<=M} lambda(k/M) |k| R(k),   g = sum_{|k|<=M} lambda(k/M) R(k),
 *       D_SB = 2 g^2,   b_SB = (2 G^2 / D_SB)^(1/3) n^(1/3),
 *     capped at B_max = ceil(min(3 sqrt n, n/3)).
 *
 * Two details follow the paper rather than that code: R(k) uses divisor n over the full
 * sample (the code takes sample covariances of a trimmed lag matrix), and m_hat is the paper's
 * index, one less than the code's (which gives white noise m_hat = 1 and a block length a
 * little above 1, where the paper's rule gives M = 0 and the iid bootstrap).
 *
 * Where the estimate degenerates (constant series, M = 0 meaning no significant
 * autocorrelation, or G = 0) we return 1, i.e. the iid bootstrap; this function never returns
 * less than 1.
 */
import { isConstant, mean } from '../descriptive';
import { assertFinite, type Series } from '../validate';

function flatTop(s: number): number {
  const a = Math.abs(s);
  if (a <= 0.5) return 1;
  if (a <= 1) return 2 * (1 - a);
  return 0;
}

/** Politis-White optimal expected block length for the stationary bootstrap of `x`. */
export function optimalBlockLength(x: Series): number {
  assertFinite('x', x);
  const n = x.length;
  if (n < 3 || isConstant(x)) return 1;
  const kn = Math.max(5, Math.sqrt(Math.log10(n)));
  const mMax = Math.min(Math.ceil(Math.sqrt(n) + kn), n - 1);
  const bMax = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  const m = mean(x);
  const acv = new Float64Array(mMax + 1);
  for (let k = 0; k <= mMax; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += ((x[t] as number) - m) * ((x[t + k] as number) - m);
    acv[k] = s / n;
  }
  const r0 = acv[0] as number;
  if (!(r0 > 0)) return 1;
  const threshold = 2 * Math.sqrt(Math.log10(n) / n);
  const significant = (k: number) => Math.abs((acv[k] as number) / r0) >= threshold;

  const runLength = Math.floor(kn);
  let mHat = -1;
  for (let cand = 0; cand + runLength <= mMax; cand++) {
    let allSmall = true;
    for (let j = 1; j <= runLength; j++) {
      if (significant(cand + j)) {
        allSmall = false;
        break;
      }
    }
    if (allSmall) {
      mHat = cand;
      break;
    }
  }
  if (mHat === -1) {
    mHat = 0;
    for (let k = 1; k <= mMax; k++) if (significant(k)) mHat = k;
  }
  const bigM = Math.min(2 * mHat, mMax);
  if (bigM === 0) return 1;

  let g = r0;
  let bigG = 0;
  for (let k = 1; k <= bigM; k++) {
    const w = flatTop(k / bigM) * (acv[k] as number);
    g += 2 * w;
    bigG += 2 * k * w;
  }
  const dSB = 2 * g * g;
  if (!(bigG !== 0)) return 1;
  const b = dSB > 0 ? Math.cbrt((2 * bigG * bigG) / dSB) * Math.cbrt(n) : Infinity;
  return Math.max(1, Math.min(b, bMax));
}
