/**
 * Deflated Sharpe Ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio: Correcting
 * for Selection Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio Management
 * 40(5), eq. 2 and its appendix): the PSR of the selected strategy against the Sharpe ratio that
 * the best of N unskilled trials would be expected to reach,
 *
 *   SR0 = sqrt(V) ((1 - gamma) Z^{-1}(1 - 1/N) + gamma Z^{-1}(1 - 1/(N e))),
 *   DSR = PSR(SR0),
 *
 * where V is the variance of the N trials' (per-period) Sharpe ratios, gamma the
 * Euler-Mascheroni constant and Z^{-1} the standard normal quantile. The bracket approximates
 * the expected maximum of N independent standard normals (N = 100: 2.532 vs the exact 2.508).
 */
import { normalQuantile } from './normal';
import { probabilisticSharpeRatio } from './probabilisticSharpe';

/** Euler-Mascheroni constant. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio SR0 of `trials` unskilled strategies whose Sharpe ratios have
 * variance `varianceOfTrialSharpes`. With a single trial there is no selection, and we return 0
 * (the formula itself is undefined there: Z^{-1}(0) = -infinity).
 * @throws RangeError if trials < 1 or the variance is negative or not finite.
 */
export function expectedMaxSharpe(trials: number, varianceOfTrialSharpes: number): number {
  if (!(trials >= 1)) throw new RangeError(`trials must be >= 1, got ${String(trials)}`);
  if (!(varianceOfTrialSharpes >= 0 && Number.isFinite(varianceOfTrialSharpes))) {
    throw new RangeError(`varianceOfTrialSharpes must be finite and >= 0, got ${String(varianceOfTrialSharpes)}`);
  }
  if (trials === 1) return 0;
  const z = (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(varianceOfTrialSharpes) * z;
}

/**
 * DSR: probability that the selected strategy's true (per-period) Sharpe ratio beats the
 * expected best of `trials` unskilled ones. All Sharpe inputs are per period, not annualised:
 * divide an annual Sharpe by sqrt(ppy) and an annual variance by ppy.
 *
 * @param sr per-period Sharpe ratio of the selected strategy
 * @param n number of return observations behind sr
 * @param skew skewness of its returns ({@link skewness})
 * @param kurt non-excess kurtosis of its returns ({@link kurtosis}; 3 for normal)
 * @param trials number of configurations tried (N)
 * @param varianceOfTrialSharpes variance across the trials' per-period Sharpe ratios (V)
 */
export function deflatedSharpeRatio(sr: number, n: number, skew: number, kurt: number, trials: number, varianceOfTrialSharpes: number): number {
  return probabilisticSharpeRatio(sr, expectedMaxSharpe(trials, varianceOfTrialSharpes), n, skew, kurt);
}
