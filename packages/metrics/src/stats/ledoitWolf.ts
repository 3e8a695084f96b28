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
 * variant and their studentised circular-block bootstrap.
 */
import { assertFinite, assertLength, assertPositive, type Series } from '../validate';
import { sharpeRatio } from '../sharpe';
import { normalCdf } from './normal';

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
