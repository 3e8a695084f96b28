/**
 * Ledoit & Wolf (2008), "Robust performance hypothesis testing with the Sharpe ratio", Journal
 * of Empirical Finance 15(5), section 3.1: HAC inference on the difference of two Sharpe
 * ratios, following the authors' published R code (`hac.inference` / `compute.se.Parzen`).
 *
 * With mu_i = mean(r_i) and gamma_i = mean(r_i^2), SR_i = f(mu_i, gamma_i) and by the delta
 * method
 *   se(SR1 - SR2)^2 = grad' Psi grad / T,
 *   grad = ( g1/(g1 - m1^2)^1.5, -g2/(g2 - m2^2)^1.5, -m1/(2 (g1 - m1^2)^1.5), m2/(2 (g2 - m2^2)^1.5) ),
 * where Psi is the long-run covariance of y_t = (r1 - m1, r2 - m2, r1^2 - g1, r2^2 - g2),
 * estimated with the Parzen kernel and the automatic bandwidth of Andrews (1991):
 *   S = min(2.6614 (alpha T)^(1/5), T - 1),
 *   alpha = sum_a 4 rho_a^2 s_a^4 / (1 - rho_a)^8 / sum_a s_a^4 / (1 - rho_a)^4
 * from AR(1) fits (OLS with intercept) to each component, Psi = T/(T-4) sum_{|j|<S} k(j/S) Gamma(j).
 * The reported difference uses the usual sample Sharpe ratios (sd with n-1), as their code does;
 * the p-value is two-sided normal, 2 Phi(-|diff| / se). Not implemented: their prewhitened
 * variant. Their studentised circular-block bootstrap (section 3.2) is ledoitWolfBootstrap below.
 */
import { assertFinite, assertLength, assertPositive, type Series } from '../validate';
import { sharpeRatio } from '../sharpe';
import { normalCdf } from './normal';
import { mulberry32 } from './random';
import { quantileSorted } from './stationaryBootstrap';

export interface LedoitWolfResult {
  sharpeA: number;
  sharpeB: number;
  difference: number;
  /** HAC standard error of the difference (same units as the Sharpe ratios). */
  standardError: number;
  /** Two-sided p-value of H0: equal Sharpe ratios. */
  pValue: number;
  /** Kernel bandwidth S used. */
  bandwidth: number;
}

function parzen(x: number): number {
  const a = Math.abs(x);
  if (a <= 0.5) return 1 - 6 * a * a + 6 * a * a * a;
  if (a <= 1) return 2 * (1 - a) ** 3;
  return 0;
}

/** Andrews (1991) alpha(2) from AR(1) fits to each column of y (columns: arrays of length T). */
function andrewsAlpha(columns: Float64Array[]): number {
  let num = 0;
  let den = 0;
  for (const x of columns) {
    const T = x.length;
    let mz = 0;
    let my = 0;
    for (let t = 1; t < T; t++) {
      mz += x[t - 1] as number;
      my += x[t] as number;
    }
    mz /= T - 1;
    my /= T - 1;
    let szz = 0;
    let szy = 0;
    for (let t = 1; t < T; t++) {
      const dz = (x[t - 1] as number) - mz;
      szz += dz * dz;
      szy += dz * ((x[t] as number) - my);
    }
    const rho = szz > 0 ? szy / szz : 0;
    let sse = 0;
    for (let t = 1; t < T; t++) {
      const e = (x[t] as number) - my - rho * ((x[t - 1] as number) - mz);
      sse += e * e;
    }
    // The residual-variance divisor is common to all columns and cancels in the ratio.
    const s2 = sse / (T - 1);
    num += (4 * rho * rho * s2 * s2) / (1 - rho) ** 8;
    den += (s2 * s2) / (1 - rho) ** 4;
  }
  return num / den;
}

/**
 * HAC test of equal Sharpe ratios for two return series over the same periods.
 * @param options.periodsPerYear annualisation of the reported Sharpe ratios, difference and
 *   standard error (the p-value does not depend on it); default 1.
 * @param options.bandwidth fixes the kernel bandwidth S instead of Andrews' rule.
 * @throws RangeError for NaN input, unequal lengths or fewer than 6 periods.
 */
export function ledoitWolfSharpeDiff(a: Series, b: Series, options: { periodsPerYear?: number; bandwidth?: number } = {}): LedoitWolfResult {
  assertFinite('a', a);
  assertLength('b', b, a.length, 'a');
  assertFinite('b', b);
  const T = a.length;
  if (T < 6) throw new RangeError(`the HAC Sharpe test needs at least 6 periods, got ${T}`);
  const ppy = options.periodsPerYear ?? 1;
  assertPositive('periodsPerYear', ppy);
  const scale = Math.sqrt(ppy);

  let m1 = 0,
    m2 = 0,
    g1 = 0,
    g2 = 0;
  for (let t = 0; t < T; t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    m1 += x;
    m2 += y;
    g1 += x * x;
    g2 += y * y;
  }
  m1 /= T;
  m2 /= T;
  g1 /= T;
  g2 /= T;
  const v1 = (g1 - m1 * m1) ** 1.5;
  const v2 = (g2 - m2 * m2) ** 1.5;
  const grad = [g1 / v1, -g2 / v2, (-0.5 * m1) / v1, (0.5 * m2) / v2];

  const cols = [new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T)] as const;
  for (let t = 0; t < T; t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    cols[0][t] = x - m1;
    cols[1][t] = y - m2;
    cols[2][t] = x * x - g1;
    cols[3][t] = y * y - g2;
  }
  // z_t = grad' y_t turns grad' Psi grad into the long-run variance of one scalar series:
  // grad' Gamma(j) grad = (1/T) sum_t z_t z_{t-j}, and Gamma(j) + Gamma(j)' contributes twice that.
  const z = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    z[t] =
      (grad[0] as number) * (cols[0][t] as number) +
      (grad[1] as number) * (cols[1][t] as number) +
      (grad[2] as number) * (cols[2][t] as number) +
      (grad[3] as number) * (cols[3][t] as number);
  }
  const gammaZ = (j: number) => {
    let s = 0;
    for (let t = j; t < T; t++) s += (z[t] as number) * (z[t - j] as number);
    return s / T;
  };
  const bandwidth = options.bandwidth ?? Math.min(2.6614 * (andrewsAlpha([...cols]) * T) ** 0.2, T - 1);
  let lrv = gammaZ(0);
  for (let j = 1; j < bandwidth; j++) lrv += 2 * parzen(j / bandwidth) * gammaZ(j);
  lrv *= T / (T - 4);

  const sharpeA = sharpeRatio(a, 1);
  const sharpeB = sharpeRatio(b, 1);
  const difference = sharpeA - sharpeB;
  const se = Math.sqrt(Math.max(lrv, 0) / T);
  let pValue: number;
  if (difference === 0) pValue = 1;
  else if (se > 0) pValue = 2 * normalCdf(-Math.abs(difference) / se);
  else pValue = NaN;
  return {
    sharpeA: sharpeA * scale,
    sharpeB: sharpeB * scale,
    difference: difference * scale,
    standardError: se * scale,
    pValue,
    bandwidth,
  };
}

export interface LedoitWolfBootstrapResult {
  /** SR_a - SR_b (sample Sharpe ratios, sd with n-1), times sqrt(periodsPerYear). */
  difference: number;
  /** HAC delta-method standard error of the difference (as ledoitWolfSharpeDiff), same scale. */
  standardError: number;
  /** Two-sided studentised-bootstrap p-value of H0: equal Sharpe ratios. */
  pValue: number;
  /** Symmetric studentised 95% interval d ± q_0.95(t*) se(d), same scale as `difference`. */
  interval: [number, number];
  /** Block length b used. */
  blockLength: number;
  /** Number of valid bootstrap replicates (those with a finite studentised statistic). */
  samples: number;
}

/**
 * Ledoit & Wolf (2008), section 3.2 and Remark 3.2: studentised circular block bootstrap test
 * of H0: SR_a = SR_b for paired returns a, b over the same T periods.
 *
 * Estimate and its standard error (per period): d = SR_a - SR_b with the usual sample Sharpe
 * ratios, se(d) = the HAC delta-method standard error of ledoitWolfSharpeDiff (Parzen kernel,
 * Andrews bandwidth, not prewhitened). Reported d, se(d) and the interval are multiplied by
 * sqrt(periodsPerYear); the p-value does not depend on it.
 *
 * Resampling (circular block bootstrap, Politis & Romano 1992): with block length b, a resample
 * is the concatenation of ceil(T/b) blocks (s_k, s_k + 1, ..., s_k + b - 1) mod T, the starts s_k
 * drawn uniformly from 0..T-1 in order by mulberry32(seed).nextInt(T), truncated to T periods;
 * a and b use the same indices.
 *
 * In each resample r* we compute d* (sample Sharpe ratios of r*) and its standard error by the
 * delta method with the block-bootstrap ("natural", Götze & Künsch 1996) variance estimate of
 * Remark 3.2 instead of a HAC kernel: with m*_i = mean(r*_i), g*_i = mean(r*_i^2),
 *   y*_t = (r*_1t - m*_1, r*_2t - m*_2, r*_1t^2 - g*_1, r*_2t^2 - g*_2),
 *   zeta*_j = b^(-1/2) sum_{t = (j-1)b+1}^{jb} y*_t,   j = 1..l,  l = floor(T/b),
 *   Psi* = (1/l) sum_j zeta*_j zeta*_j',
 *   se*^2 = grad*' Psi* grad* / T,
 * grad* being the gradient of ledoitWolfSharpeDiff evaluated at (m*, g*). The blocks j are the
 * first l resampled blocks (the resample's own blocks, as in the authors' R code
 * `boot.time.inference`); when b does not divide T the trailing partial block enters the means
 * but not Psi*. This is our reconstruction of Remark 3.2 (the Götze-Künsch block estimate).
 *
 * Test: t = |d| / se(d), t*_k = |d*_k - d| / se*_k, and
 *   p = (1 + #{k: t*_k >= t}) / (B' + 1),
 * B' the number of replicates with a non-NaN t* (a resample with zero variance is dropped;
 * se* = 0 with d* != d gives t* = Infinity and is kept); p = 1 when d = 0 (e.g. a = b, where
 * every t* is 0/0 and the interval is NaN). Interval: d ± q_0.95(t*) se(d), q the
 * type-7 (linear interpolation) quantile of the t*_k.
 *
 * @throws RangeError for unequal lengths, non-finite values, blockLength not an integer >= 1,
 *   samples not an integer >= 1, T < 2 blockLength or T < 6 (the HAC standard error).
 */
export function ledoitWolfBootstrap(a: Series, b: Series, options: { samples: number; seed: number; blockLength: number; periodsPerYear?: number }): LedoitWolfBootstrapResult {
  assertFinite('a', a);
  assertLength('b', b, a.length, 'a');
  assertFinite('b', b);
  const { samples, seed, blockLength: bl, periodsPerYear = 1 } = options;
  if (!(Number.isInteger(bl) && bl >= 1)) throw new RangeError(`blockLength must be an integer >= 1, got ${String(bl)}`);
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`samples must be an integer >= 1, got ${String(samples)}`);
  assertPositive('periodsPerYear', periodsPerYear);
  const T = a.length;
  if (T < 2 * bl) throw new RangeError(`the block bootstrap needs at least 2 * blockLength = ${2 * bl} periods, got ${T}`);
  const hac = ledoitWolfSharpeDiff(a, b); // per period; throws for T < 6
  const d = hac.difference;
  const se = hac.standardError;
  const scale = Math.sqrt(periodsPerYear);
  const tObs = Math.abs(d) / se;

  const rng = mulberry32(seed);
  const l = Math.floor(T / bl);
  const nBlocks = Math.ceil(T / bl);
  const ra = new Float64Array(T);
  const rb = new Float64Array(T);
  const tStar = new Float64Array(samples);
  let valid = 0;
  let extreme = 0;
  for (let k = 0; k < samples; k++) {
    let pos = 0;
    for (let j = 0; j < nBlocks; j++) {
      let idx = rng.nextInt(T);
      for (let i = 0; i < bl && pos < T; i++, pos++) {
        ra[pos] = a[idx] as number;
        rb[pos] = b[idx] as number;
        idx = idx + 1 === T ? 0 : idx + 1;
      }
    }
    let m1 = 0;
    let m2 = 0;
    for (let t = 0; t < T; t++) {
      m1 += ra[t] as number;
      m2 += rb[t] as number;
    }
    m1 /= T;
    m2 /= T;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < T; t++) {
      const x = (ra[t] as number) - m1;
      const y = (rb[t] as number) - m2;
      s1 += x * x;
      s2 += y * y;
    }
    const dStar = m1 / Math.sqrt(s1 / (T - 1)) - m2 / Math.sqrt(s2 / (T - 1));
    const var1 = s1 / T;
    const var2 = s2 / T;
    const g1 = var1 + m1 * m1;
    const g2 = var2 + m2 * m2;
    const v1 = var1 ** 1.5;
    const v2 = var2 ** 1.5;
    const c0 = g1 / v1;
    const c1 = -g2 / v2;
    const c2 = (-0.5 * m1) / v1;
    const c3 = (0.5 * m2) / v2;
    // grad' Psi* grad = (1/l) sum_j (grad' zeta_j)^2 = (1/(l b)) sum_j (sum_{t in block j} z_t)^2.
    let quad = 0;
    for (let j = 0; j < l; j++) {
      let sz = 0;
      for (let t = j * bl; t < (j + 1) * bl; t++) {
        const x = ra[t] as number;
        const y = rb[t] as number;
        sz += c0 * (x - m1) + c1 * (y - m2) + c2 * (x * x - g1) + c3 * (y * y - g2);
      }
      quad += sz * sz;
    }
    const seStar = Math.sqrt(quad / (l * bl) / T);
    const ts = Math.abs(dStar - d) / seStar;
    if (Number.isNaN(ts)) continue;
    tStar[valid++] = ts;
    if (ts >= tObs) extreme++;
  }
  const used = tStar.subarray(0, valid).sort();
  const q = quantileSorted(used, 0.95);
  return {
    difference: d * scale,
    standardError: se * scale,
    pValue: d === 0 ? 1 : valid === 0 || Number.isNaN(tObs) ? NaN : (1 + extreme) / (valid + 1),
    interval: [(d - q * se) * scale, (d + q * se) * scale],
    blockLength: bl,
    samples: valid,
  };
}
