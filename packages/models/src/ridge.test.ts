import { OlsModel } from './ols';
import { RidgeModel } from './ridge';
import { mulberry32 } from '@backtest/metrics';
import { UserError } from '@backtest/core';
import { thrownBy } from '@backtest/core/testing';

/** Solves the k x k system A b = r by Gauss-Jordan elimination with partial pivoting (a second, plain method). */
function solve(a: number[][], r: number[]): number[] {
  const k = r.length;
  const m = a.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[p]![c]!)) p = i;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let i = 0; i < k; i++) {
      if (i === c) continue;
      const f = m[i]![c]! / m[c]![c]!;
      for (let j = c; j <= k; j++) m[i]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[k]! / row[i]!);
}

/** Ridge by the normal equations on centred data: (Xc'Xc + alpha I) b = Xc'yc, b0 = ybar - xbar b. */
function normalEquations(x: number[][], y: number[], alpha: number): { intercept: number; b: number[] } {
  const n = y.length;
  const p = x[0]!.length;
  const xm = Array.from({ length: p }, (_, c) => x.reduce((s, row) => s + row[c]!, 0) / n);
  const ym = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => x.reduce((s, row) => s + (row[i]! - xm[i]!) * (row[j]! - xm[j]!), 0) + (i === j ? alpha : 0)));
  const r = Array.from({ length: p }, (_, i) => x.reduce((s, row, t) => s + (row[i]! - xm[i]!) * (y[t]! - ym), 0));
  const b = solve(a, r);
  return { intercept: ym - b.reduce((s, v, i) => s + v * xm[i]!, 0), b };
}

describe('RidgeModel', () => {
  const rng = mulberry32(7);
  const x = Array.from({ length: 60 }, () => [rng.next() * 2 - 1, rng.next(), rng.next() * 3]);
  const y = x.map((r) => 0.5 + 2 * r[0]! - r[1]! + 0.3 * r[2]! + 0.1 * (rng.next() - 0.5));

  it.each([0, 0.1, 5, 1000])('matches the normal equations at alpha %p', (alpha) => {
    const m = new RidgeModel({ alpha });
    m.fit(x, y);
    const ref = normalEquations(x, y, alpha);
    expect(m.coefficients!.intercept).toBeCloseTo(ref.intercept, 10);
    m.coefficients!.coefficients.forEach((b, i) => expect(b).toBeCloseTo(ref.b[i]!, 10));
    const p = m.predict([[0.2, 0.4, 1]]);
    expect(p[0]).toBeCloseTo(ref.intercept + 0.2 * ref.b[0]! + 0.4 * ref.b[1]! + ref.b[2]!, 10);
  });

  it('is OLS at alpha 0', () => {
    const r = new RidgeModel({ alpha: 0 });
    r.fit(x, y);
    const o = new OlsModel();
    const s = o.fit(x, y).summary;
    expect(r.coefficients!.intercept).toBeCloseTo(s.coefficients[0]!, 10);
    r.coefficients!.coefficients.forEach((b, i) => expect(b).toBeCloseTo(s.coefficients[i + 1]!, 10));
  });

  it('shrinks the coefficients towards 0 as alpha grows, leaving the intercept at the mean', () => {
    const norms = [0, 1, 100, 1e8].map((alpha) => {
      const m = new RidgeModel({ alpha });
      m.fit(x, y);
      return Math.hypot(...m.coefficients!.coefficients);
    });
    for (let i = 1; i < norms.length; i++) expect(norms[i]!).toBeLessThan(norms[i - 1]!);
    const m = new RidgeModel({ alpha: 1e12 });
    m.fit(x, y);
    expect(m.coefficients!.intercept).toBeCloseTo(y.reduce((s, v) => s + v, 0) / y.length, 6);
  });

  it('fits collinear features when alpha > 0 and says what to do when alpha is 0', () => {
    const twice = x.map((r) => [r[0]!, 2 * r[0]!]);
    const m = new RidgeModel({ alpha: 1 });
    m.fit(twice, y);
    const [b1, b2] = m.coefficients!.coefficients;
    // Symmetric in the direction (1, 2): the penalty splits the effect in proportion 1 : 2.
    expect(b2! / b1!).toBeCloseTo(2, 9);
    expect(thrownBy(() => new RidgeModel({ alpha: 0 }).fit(twice, y), UserError).message).toMatch(/feature 2 is constant or collinear .* set alpha > 0/);
  });

  it('refuses bad alpha, no rows, predict before fit and a wrong number of features', () => {
    expect(thrownBy(() => new RidgeModel({ alpha: -1 }), UserError).message).toMatch(/alpha must be a finite number >= 0, got -1/);
    expect(thrownBy(() => new RidgeModel({ alpha: Number.NaN }), UserError).message).toMatch(/alpha/);
    expect(thrownBy(() => new RidgeModel({ alpha: 1 }).fit([], []), UserError).message).toMatch(/no training rows/);
    expect(thrownBy(() => new RidgeModel({ alpha: 1 }).predict([[1, 2, 3]]), UserError).message).toMatch(/not fitted/);
    const m = new RidgeModel({ alpha: 1 });
    m.fit(x, y);
    expect(thrownBy(() => m.predict([[1, 2]]), UserError).message).toMatch(/fitted on 3 features but predict got 2/);
  });

  it('saves every double exactly', () => {
    const m = new RidgeModel({ alpha: 0.5 });
    m.fit(x, y);
    const saved = JSON.parse(String(m.files()['ridge.json']));
    expect(saved).toEqual({ format: 'backtest-ridge', version: 1, ...m.coefficients });
  });
});
