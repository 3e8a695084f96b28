import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { testUniforms as uniforms } from './__fixtures__/test-data';
import { OlsModel } from './ols';

const close = (actual: number, expected: number, rel = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
};

describe('OLS', () => {
  test('hand-solved 3 x 2 case', () => {
    // x = (0, 1, 2), y = (1, 3, 2). Means x̄ = 1, ȳ = 2; Sxx = 1 + 0 + 1 = 2;
    // Sxy = (-1)(-1) + 0(1) + (1)(0) = 1. Slope = Sxy/Sxx = 1/2, intercept = ȳ - slope x̄ = 3/2.
    // Fitted (1.5, 2, 2.5), residuals (-0.5, 1, -0.5), SSR = 0.25 + 1 + 0.25 = 1.5; n - k = 1,
    // so sigma² = 1.5 and residual RMSE = sqrt(1.5). TSS = 1 + 1 + 0 = 2, R² = 1 - 1.5/2 = 0.25,
    // adjusted R² = 1 - (3 - 1)/(3 - 2) * 0.75 = -0.5.
    // X^T X = [[3, 3], [3, 5]], det 6, inverse [[5/6, -1/2], [-1/2, 1/2]]: covariance =
    // 1.5 * inverse = [[1.25, -0.75], [-0.75, 0.75]]; SE = (sqrt 1.25, sqrt 0.75);
    // t = (1.5 / sqrt 1.25, 0.5 / sqrt 0.75). With n - k = 1 degree of freedom t is Cauchy:
    // two-sided p = 1 - (2 / pi) atan|t|.
    const fit = new OlsModel().fit([[0], [1], [2]], [1, 3, 2]);
    const s = fit.summary;
    close(s.coefficients[0]!, 1.5);
    close(s.coefficients[1]!, 0.5);
    close(s.ssr, 1.5);
    close(s.residualRmse, Math.sqrt(1.5));
    close(s.rSquared, 0.25);
    close(s.adjustedRSquared, -0.5);
    close(s.standardErrors[0]!, Math.sqrt(1.25));
    close(s.standardErrors[1]!, Math.sqrt(0.75));
    close(s.tStatistics[0]!, 1.5 / Math.sqrt(1.25));
    close(s.tStatistics[1]!, 0.5 / Math.sqrt(0.75));
    close(s.pValues[0]!, 1 - (2 / Math.PI) * Math.atan(1.5 / Math.sqrt(1.25)));
    close(s.pValues[1]!, 1 - (2 / Math.PI) * Math.atan(0.5 / Math.sqrt(0.75)));
    close(s.covariance[0]![1]!, -0.75);
    close(s.covariance[1]![0]!, -0.75);
    expect([s.n, s.k]).toEqual([3, 2]);
    expect(fit.trainMse).toBeCloseTo(0.5, 14);
    expect(s.names).toEqual(['intercept', 'x1']);
  });

  test('simple regression equals its closed form on generated data', () => {
    const u = uniforms(7);
    const n = 250;
    const x = Array.from({ length: n }, () => 100 + 50 * u());
    const y = x.map((v) => 3 - 0.7 * v + 10 * (u() - 0.5));
    // Two-pass sums: the textbook formulas, computed independently of the QR solver.
    const xm = x.reduce((a, b) => a + b) / n;
    const ym = y.reduce((a, b) => a + b) / n;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (x[i]! - xm) ** 2;
      sxy += (x[i]! - xm) * (y[i]! - ym);
      syy += (y[i]! - ym) ** 2;
    }
    const slope = sxy / sxx;
    const intercept = ym - slope * xm;
    const ssr = syy - slope * sxy;
    const sigma2 = ssr / (n - 2);
    const s = new OlsModel().fit(Float64Array.from(x), y).summary;
    close(s.coefficients[1]!, slope);
    close(s.coefficients[0]!, intercept);
    close(s.ssr, ssr, 1e-8);
    close(s.standardErrors[1]!, Math.sqrt(sigma2 / sxx));
    close(s.standardErrors[0]!, Math.sqrt(sigma2 * (1 / n + (xm * xm) / sxx)));
    close(s.rSquared, (sxy * sxy) / (sxx * syy));
    close(s.residualRmse, Math.sqrt(sigma2));
  });

  test('ill-conditioned close/SMA-like data matches the exact rational solution', () => {
    // Integer data solved exactly with BigInt fractions (normal equations by Gauss-Jordan):
    // an answer free of rounding. close ~ 1000-2000 and a noisy copy of it give condition
    // numbers like the study's close/SMA pair, where normal equations in doubles lose digits.
    const u = uniforms(11);
    const n = 120;
    const x1: number[] = [];
    const x2: number[] = [];
    const y: number[] = [];
    let level = 1500;
    for (let i = 0; i < n; i++) {
      level += Math.round(40 * (u() - 0.5));
      x1.push(level);
      x2.push(level + Math.round(6 * (u() - 0.5)));
      y.push(level + Math.round(30 * (u() - 0.5)));
    }
    const exact = exactNormalEquations([x1, x2], y);
    const s = new OlsModel().fit({ rows: n, cols: 2, data: Float64Array.from(x1.flatMap((v, i) => [v, x2[i]!])) }, y).summary;
    for (let j = 0; j < 3; j++) close(s.coefficients[j]!, exact[j]!, 1e-9);
  });

  test('exact fit recovers the coefficients with SSR ~ 0', () => {
    const u = uniforms(3);
    const rows = Array.from({ length: 40 }, () => [u() * 10, u() * 5 - 2]);
    const y = rows.map(([a, b]) => 1.25 + 0.5 * a! - 3 * b!);
    const s = new OlsModel().fit(rows, y, { featureNames: ['close', 'sma'] }).summary;
    close(s.coefficients[0]!, 1.25, 1e-12);
    close(s.coefficients[1]!, 0.5, 1e-12);
    close(s.coefficients[2]!, -3, 1e-12);
    expect(s.ssr).toBeLessThan(1e-24);
    expect(s.rSquared).toBeCloseTo(1, 12);
  });

  test('rank-deficient input is a clear error naming the collinear feature', () => {
    const rows = [1, 2, 3, 4, 5].map((v) => [v, 2 * v + 1]);
    expect(() => new OlsModel().fit(rows, [1, 3, 2, 5, 4], { featureNames: ['close', 'twice'] })).toThrow(/feature "twice" is constant or a linear combination.*rank-deficient/);
    const constant = [1, 2, 3, 4].map((v) => [v, 7]);
    expect(() => new OlsModel().fit(constant, [1, 2, 2, 3])).toThrow(UserError);
  });

  test('fewer rows than coefficients is a clear error', () => {
    expect(() =>
      new OlsModel().fit(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [1, 2],
      ),
    ).toThrow(/got 2 rows for 4 coefficients/);
    expect(() => new OlsModel().fit([[1], [2]], [1, 2])).toThrow(UserError);
  });

  test('NaN input is a clear error naming the row and column', () => {
    expect(() =>
      new OlsModel().fit(
        [
          [1, 2],
          [3, Number.NaN],
          [5, 6],
          [7, 9],
        ],
        [1, 2, 3, 4],
      ),
    ).toThrow(/row 2, column 2 is NaN/);
    expect(() => new OlsModel().fit([[1], [2], [3]], [1, Number.NaN, 3])).toThrow(/target: row 2 is NaN/);
    expect(() => new OlsModel().predict([[1]])).toThrow(/not fitted/);
  });

  test('save/load round-trips to identical predictions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ols-'));
    try {
      const u = uniforms(5);
      const rows = Array.from({ length: 30 }, () => [u(), u()]);
      const model = new OlsModel();
      model.fit(
        rows,
        rows.map(([a, b]) => a! - b! + u() / 10),
      );
      model.save(dir);
      const loaded = OlsModel.load(dir);
      expect(Array.from(loaded.predict(rows))).toEqual(Array.from(model.predict(rows)));
      expect(loaded.parameters()).toEqual(model.parameters());
      expect(model.files()).toEqual({ 'ols.json': readFileSync(join(dir, 'ols.json'), 'utf8') });
      writeFileSync(join(dir, 'ols.json'), '{"format": "something-else"}');
      expect(() => OlsModel.load(dir)).toThrow(/not an OLS model/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Exact OLS with intercept: normal equations in BigInt rationals, returned as doubles. */
function exactNormalEquations(columns: number[][], y: number[]): number[] {
  const n = y.length;
  const cols = [Array.from({ length: n }, () => 1), ...columns].map((c) => c.map(BigInt));
  const yy = y.map(BigInt);
  const k = cols.length;
  // Augmented matrix [X^T X | X^T y] of fractions [numerator, denominator].
  type Frac = [bigint, bigint];
  const m: Frac[][] = [];
  for (let i = 0; i < k; i++) {
    const row: Frac[] = [];
    for (let j = 0; j < k; j++) row.push([cols[i]!.reduce((s, v, r) => s + v * cols[j]![r]!, 0n), 1n]);
    row.push([cols[i]!.reduce((s, v, r) => s + v * yy[r]!, 0n), 1n]);
    m.push(row);
  }
  const sub = (a: Frac, b: Frac): Frac => [a[0] * b[1] - b[0] * a[1], a[1] * b[1]];
  const mul = (a: Frac, b: Frac): Frac => [a[0] * b[0], a[1] * b[1]];
  const div = (a: Frac, b: Frac): Frac => (b[0] < 0n ? [-a[0] * b[1], -a[1] * b[0]] : [a[0] * b[1], a[1] * b[0]]);
  for (let p = 0; p < k; p++) {
    for (let r = 0; r < k; r++) {
      if (r === p) continue;
      const f = div(m[r]![p]!, m[p]![p]!);
      for (let c = p; c <= k; c++) m[r]![c] = sub(m[r]![c]!, mul(f, m[p]![c]!));
    }
  }
  return m.map((row, i) => {
    const [num, den] = div(row[k]!, row[i]!);
    // Scale to keep 20 significant digits before converting to a double.
    const scale = 10n ** 20n;
    return Number((num * scale) / den) / 1e20;
  });
}
