/**
 * Published reference values: the regression tests of empyrical (quantopian/empyrical,
 * tests/test_stats.py). Their series, with the leading NaN of `mixed_returns` dropped because
 * empyrical ignores NaN and we reject it:
 *   mixed    = [1, 10, -4, 2, 3, 2, 1, -10] / 100            (daily, annualisation 252)
 *   monthly  = [0, 1, 10, -4, 2, 3, 2, 1, -10] / 100         (monthly, annualisation 12)
 *   positive = [1, 2, 1, 1, 1, 1, 1, 1, 1] / 100
 *   negative = [0, -6, -7, -1, -9, -2, -6, -8, -5] / 100
 * empyrical asserts to 8 decimals; we use the same tolerance.
 */
import { computeMetrics } from './computeMetrics';
import { maxDrawdown } from './drawdown';
import { cagr } from './growth';
import { alphaBeta } from './regression';
import { informationRatio, sharpeRatio, sortinoRatio, volatility } from './sharpe';

const pct = (xs: number[]) => xs.map((x) => x / 100);
const mixed = pct([1, 10, -4, 2, 3, 2, 1, -10]);
const monthly = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
const DP = 8;

describe('empyrical regression values', () => {
  it('sharpe_ratio', () => {
    expect(sharpeRatio(mixed, 252)).toBeCloseTo(1.7238613961706866, DP);
    expect(sharpeRatio(positive, 252)).toBeCloseTo(52.915026221291804, DP);
    expect(sharpeRatio(negative, 252)).toBeCloseTo(-24.406808633910085, DP);
    // risk_free = simple_benchmark [0,1,0,1,0,1,0,1,0]/100 aligned by date with mixed, whose
    // first (NaN) day is dropped: the cash series for the 8 valid days starts at 1%.
    expect(sharpeRatio(mixed, 252, pct([1, 0, 1, 0, 1, 0, 1, 0]))).toBeCloseTo(0.34111411441060574, DP);
  });

  it('sortino_ratio', () => {
    expect(sortinoRatio(mixed, 252)).toBeCloseTo(2.605531251673693, DP);
    expect(sortinoRatio(negative, 252)).toBeCloseTo(-13.532743075043401, DP);
    expect(sortinoRatio(monthly, 12)).toBeCloseTo(0.53605626741889756, DP);
    // required_return = flat_line_1 (1% every day)
    expect(sortinoRatio(mixed, 252, 0.01)).toBeCloseTo(-1.3934779588919977, DP);
  });

  it('annual_return, annual_volatility, calmar_ratio, max_drawdown (monthly)', () => {
    expect(cagr(monthly, 12)).toBeCloseTo(0.052242061386048144, DP);
    expect(volatility(monthly, 12)).toBeCloseTo(0.18663690238892558, DP);
    const m = computeMetrics({ returns: monthly, periodsPerYear: 12 });
    expect(m.calmar).toBeCloseTo(0.52242061386048144, DP);
    expect(m.maxDrawdown).toBeCloseTo(-0.1, DP);
    expect(maxDrawdown(mixed).maxDrawdown).toBeCloseTo(-0.1, DP);
    expect(maxDrawdown([0.1, -0.1, 0.1]).maxDrawdown).toBeCloseTo(-0.1, DP);
    expect(maxDrawdown(negative).maxDrawdown).toBeCloseTo(-0.3659, 4); // cum_returns_final
  });

  it('excess_sharpe is the per-period information ratio', () => {
    expect(informationRatio(mixed, new Array(8).fill(0), 1)).toBeCloseTo(0.10859306069076737, DP);
    expect(informationRatio(mixed, new Array(8).fill(0.01), 1)).toBeCloseTo(-0.06515583641446039, DP);
  });

  it('alpha_beta (alpha = OLS intercept x 252)', () => {
    const ab = alphaBeta(mixed, pct([-6, -7, -1, -9, -2, -6, -8, -5]), 252);
    expect(ab.alpha).toBeCloseTo(-8.306666666666668, DP);
    expect(ab.beta).toBeCloseTo(-0.71296296296296313, DP);
    const self = alphaBeta(mixed, mixed, 252);
    expect(self.alpha).toBeCloseTo(0, 12);
    expect(self.beta).toBeCloseTo(1, 12);
    expect(
      alphaBeta(
        mixed,
        mixed.map((x) => -x),
        252,
      ).beta,
    ).toBeCloseTo(-1, 12);
  });
});
