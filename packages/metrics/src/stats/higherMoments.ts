/**
 * Sample skewness and (non-excess) kurtosis in the form the Probabilistic and Deflated Sharpe
 * ratios use (Bailey & López de Prado 2012, 2014): plain moment ratios with divisor n,
 *   skew = m3 / m2^(3/2),   kurt = m4 / m2^2,   m_k = (1/n) sum (x - mean)^k,
 * so a normal distribution has skew 0 and kurt 3. These equal scipy.stats.skew(x) and
 * scipy.stats.kurtosis(x, fisher=False) with their default bias=True; no small-sample
 * correction is applied because the PSR's variance formula (Mertens 2002) is asymptotic.
 */
import { mean } from '../descriptive';
import { assertFinite, type Series } from '../validate';

function centralMoments(x: Series): { m2: number; m3: number; m4: number } {
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const n = x.length;
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Skewness m3 / m2^1.5; NaN for an empty or constant series. */
export function skewness(x: Series): number {
  assertFinite('x', x);
  if (x.length === 0) return NaN;
  const { m2, m3 } = centralMoments(x);
  return m2 > 0 ? m3 / m2 ** 1.5 : NaN;
}

/** Kurtosis m4 / m2^2 (3 for a normal distribution); NaN for an empty or constant series. */
export function kurtosis(x: Series): number {
  assertFinite('x', x);
  if (x.length === 0) return NaN;
  const { m2, m4 } = centralMoments(x);
  return m2 > 0 ? m4 / (m2 * m2) : NaN;
}
