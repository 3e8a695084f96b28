/** Property tests (fast-check): invariants that must hold for any finite input. */
import fc from 'fast-check';
import { computeMetrics } from './computeMetrics';
import { drawdownSeries, equityCurve, maxDrawdown } from './drawdown';
import { totalReturn } from './growth';
import { tradeCount, turnover } from './positions';
import { sharpeRatio, sortinoRatio } from './sharpe';

// Returns below 1e-100 in size are set to 0: their squares underflow in double precision, and
// no data set has them.
const returnArb = fc.double({ min: -0.9, max: 1, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));
const returnsArb = fc.array(returnArb, { minLength: 0, maxLength: 80 });

/** max|x| / sd(x): how many digits a mean/sd ratio loses to rounding of the inputs. */
function conditionNumber(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
  return Math.max(...x.map(Math.abs)) / sd;
}

describe('properties', () => {
  it('max drawdown lies in [-1, 0], equals the minimum of the drawdown series, and its duration fits the series', () => {
    fc.assert(
      fc.property(returnsArb, (r) => {
        const m = maxDrawdown(r);
        const d = drawdownSeries(r);
        expect(m.maxDrawdown).toBeGreaterThanOrEqual(-1);
        expect(m.maxDrawdown).toBeLessThanOrEqual(0);
        expect(m.maxDrawdown).toBe(Math.min(0, ...d));
        expect(m.duration).toBeGreaterThanOrEqual(0);
        expect(m.duration).toBeLessThanOrEqual(r.length);
        expect(m.peakIndex).toBeLessThanOrEqual(m.troughIndex);
      }),
    );
  });

  it('total return is the last point of the equity curve minus 1', () => {
    fc.assert(
      fc.property(returnsArb, (r) => {
        const e = equityCurve(r);
        expect(totalReturn(r)).toBe((e[e.length - 1] as number) - 1);
      }),
    );
  });

  it('Sharpe and Sortino are scale invariant and Sharpe flips sign with the returns', () => {
    fc.assert(
      fc.property(returnsArb, fc.double({ min: 0.01, max: 100, noNaN: true }), (r, k) => {
        const s = sharpeRatio(r, 12);
        const scaled = sharpeRatio(
          r.map((x) => k * x),
          12,
        );
        if (Number.isNaN(s)) return;
        // Scaling rounds each input by ~1e-16 relative; the ratio amplifies that by its
        // condition number (nearly constant series are ill-conditioned).
        const tol = 1e-13 * (1 + conditionNumber(r)) * Math.max(1, Math.abs(s));
        expect(Math.abs(scaled - s)).toBeLessThanOrEqual(tol);
        expect(
          Math.abs(
            sharpeRatio(
              r.map((x) => -x),
              12,
            ) + s,
          ),
        ).toBeLessThanOrEqual(tol);
        const so = sortinoRatio(r, 12);
        if (!Number.isNaN(so)) {
          const so2 = sortinoRatio(
            r.map((x) => k * x),
            12,
          );
          expect(Math.abs(so2 - so)).toBeLessThanOrEqual(1e-13 * (1 + conditionNumber(r)) * Math.max(1, Math.abs(so)));
        }
      }),
    );
  });

  it('trades never exceed the number of periods and turnover is at most 2 max|w|', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(-1, 0, 0.5, 1), { minLength: 1, maxLength: 60 }), (w) => {
        expect(tradeCount(w)).toBeLessThanOrEqual(w.length);
        expect(turnover(w)).toBeLessThanOrEqual(2 * Math.max(...w.map(Math.abs)) + 1e-15);
        expect(turnover(w)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('computeMetrics returns numbers for every finite input and never throws', () => {
    fc.assert(
      fc.property(returnsArb, (r) => {
        const m = computeMetrics({ returns: r, benchmark: r.map((x) => x / 2), weights: r.map(() => 1), periodsPerYear: 12 });
        for (const v of Object.values(m)) expect(typeof v).toBe('number');
      }),
    );
  });
});
