import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { erfc } from '@backtest/metrics';
import { testUniforms } from './__fixtures__/test-data';
import { LogisticModel, LogisticSeparationError } from './logistic';

const close = (actual: number, expected: number, rel = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
};

/** Standard normal draws by Box-Muller from the fixture's uniforms. */
function gaussians(seed: number): () => number {
  const u = testUniforms(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Draws y ~ Bernoulli(sigmoid(b0 + b . x)) for each row. */
function bernoulliTargets(rows: number[][], beta: number[], seed: number): number[] {
  const u = testUniforms(seed);
  return rows.map((r) => {
    const eta = r.reduce((s, v, j) => s + v * beta[j + 1]!, beta[0]!);
    return u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  });
}

/**
 * A second, plain implementation: Newton's method on the normal equations (X^T W X) d = X^T (y - p),
 * solved by Gaussian elimination with partial pivoting, from beta = 0, halving while the
 * log-likelihood falls, until the step is below 1e-13. Returns the estimate, (X^T W X)^{-1} and the
 * log-likelihood. Nothing is shared with logistic.ts.
 */
function referenceNewton(rows: number[][], y: number[]): { beta: number[]; cov: number[][]; ll: number } {
  const x = rows.map((r) => [1, ...r]);
  const k = x[0]!.length;
  const loglik = (b: number[]): number =>
    x.reduce((s, r, i) => {
      const eta = r.reduce((a, v, j) => a + v * b[j]!, 0);
      const p = 1 / (1 + Math.exp(-eta));
      return s + (y[i] === 1 ? Math.log(p) : Math.log(1 - p));
    }, 0);
  const information = (b: number[]): { h: number[][]; g: number[] } => {
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const g = new Array<number>(k).fill(0);
    x.forEach((r, i) => {
      const p = 1 / (1 + Math.exp(-r.reduce((a, v, j) => a + v * b[j]!, 0)));
      for (let a = 0; a < k; a++) {
        g[a]! += r[a]! * (y[i]! - p);
        for (let c = 0; c < k; c++) h[a]![c]! += r[a]! * r[c]! * p * (1 - p);
      }
    });
    return { h, g };
  };
  let beta = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 200; iter++) {
    const { h, g } = information(beta);
    const d = gaussSolve(h, g);
    let t = 1;
    const ll0 = loglik(beta);
    while (loglik(beta.map((b, j) => b + t * d[j]!)) < ll0 && t > 1e-10) t /= 2;
    beta = beta.map((b, j) => b + t * d[j]!);
    if (Math.max(...d.map(Math.abs)) < 1e-13) break;
  }
  const { h } = information(beta);
  const cov = Array.from({ length: k }, (_, c) =>
    gaussSolve(
      h,
      h.map((_, r) => (r === c ? 1 : 0)),
    ),
  );
  // cov[c] is column c of the inverse; the inverse is symmetric, so rows and columns agree.
  return { beta, cov, ll: loglik(beta) };
}

function gaussSolve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= n; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= a[r]![c]! * out[c]!;
    out[r] = s / a[r]![r]!;
  }
  return out;
}

/** X^T (y - p) with the intercept column first. */
function score(rows: number[][], y: number[], beta: readonly number[]): number[] {
  const g = new Array<number>(beta.length).fill(0);
  rows.forEach((r, i) => {
    const xr = [1, ...r];
    const p = 1 / (1 + Math.exp(-xr.reduce((a, v, j) => a + v * beta[j]!, 0)));
    xr.forEach((v, j) => (g[j]! += v * (y[i]! - p)));
  });
  return g;
}

describe('logistic regression', () => {
  test('one binary feature: the closed-form MLE', () => {
    // Group x = 0: 10 rows, 3 ones -> rate 0.3. Group x = 1: 8 rows, 6 ones -> rate 0.75.
    // The model is saturated in the group, so each group's fitted probability is its rate:
    // intercept = logit(0.3) = ln(3/7); slope = logit(0.75) - logit(0.3) = ln 3 - ln(3/7) = ln 7.
    // Fisher information per group is n p (1 - p): 10 * 0.21 = 2.1 and 8 * 0.1875 = 1.5, so
    // Var(intercept) = 1/2.1 and Var(slope) = 1/2.1 + 1/1.5 (the variance of a difference of logits),
    // Cov(intercept, slope) = -1/2.1.
    // ll = 3 ln 0.3 + 7 ln 0.7 + 6 ln 0.75 + 2 ln 0.25; null model: 9 of 18 -> 18 ln 0.5.
    const x = [...new Array<number>(10).fill(0), ...new Array<number>(8).fill(1)].map((v) => [v]);
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0];
    const model = new LogisticModel();
    const fit = model.fit(x, y, { featureNames: ['up'] });
    const s = fit.summary;
    close(s.coefficients[0]!, Math.log(3 / 7), 1e-12);
    close(s.coefficients[1]!, Math.log(7), 1e-12);
    close(s.standardErrors[0]!, Math.sqrt(1 / 2.1), 1e-12);
    close(s.standardErrors[1]!, Math.sqrt(1 / 2.1 + 1 / 1.5), 1e-12);
    close(s.covariance[0]![1]!, -1 / 2.1, 1e-12);
    close(s.covariance[1]![0]!, -1 / 2.1, 1e-12);
    const ll = 3 * Math.log(0.3) + 7 * Math.log(0.7) + 6 * Math.log(0.75) + 2 * Math.log(0.25);
    close(s.logLikelihood, ll, 1e-12);
    close(s.deviance, -2 * ll, 1e-12);
    close(s.nullLogLikelihood, 18 * Math.log(0.5), 1e-12);
    close(s.pseudoRSquared, 1 - ll / (18 * Math.log(0.5)), 1e-12);
    const z = Math.log(7) / Math.sqrt(1 / 2.1 + 1 / 1.5);
    close(s.zStatistics[1]!, z, 1e-12);
    // Two-sided normal p-value 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2).
    close(s.pValues[1]!, erfc(z / Math.SQRT2), 1e-12);
    expect(s.names).toEqual(['intercept', 'up']);
    expect([s.n, s.k]).toEqual([18, 2]);
    const predicted = model.predict([[0], [1]]);
    close(predicted[0]!, 0.3, 1e-12);
    close(predicted[1]!, 0.75, 1e-12);
    // trainMse is the Brier score: group 0: 3 * 0.7^2 + 7 * 0.3^2 = 2.1; group 1: 6 * 0.25^2 + 2 * 0.75^2 = 1.5.
    close(fit.trainMse, 3.6 / 18, 1e-12);
    expect(fit.history.loss).toEqual([]);
  });

  test('agrees with a plain Newton / normal-equations implementation on random data', () => {
    for (const seed of [1, 2, 3, 4]) {
      const g = gaussians(seed);
      const rows = Array.from({ length: 300 }, () => [g(), g(), 0.5 * g() + 1]);
      const y = bernoulliTargets(rows, [0.2, 0.8, -0.5, 0.3], seed + 100);
      const s = new LogisticModel().fit(rows, y).summary;
      const ref = referenceNewton(rows, y);
      for (let j = 0; j < 4; j++) {
        close(s.coefficients[j]!, ref.beta[j]!, 1e-6);
        close(s.standardErrors[j]!, Math.sqrt(ref.cov[j]![j]!), 1e-6);
        for (let c = 0; c < 4; c++) close(s.covariance[j]![c]!, ref.cov[j]![c]!, 1e-6);
      }
      close(s.logLikelihood, ref.ll, 1e-9);
    }
  });

  test('a strong but finite effect (probabilities near 0 and 1) still matches the reference', () => {
    const g = gaussians(9);
    const rows = Array.from({ length: 400 }, () => [g(), g()]);
    const y = bernoulliTargets(rows, [0.1, 6, -2], 19);
    const s = new LogisticModel().fit(rows, y).summary;
    const ref = referenceNewton(rows, y);
    for (let j = 0; j < 3; j++) close(s.coefficients[j]!, ref.beta[j]!, 1e-6);
  });

  test('the score equations X^T (y - p) = 0 hold at the estimate', () => {
    const g = gaussians(21);
    const rows = Array.from({ length: 500 }, () => [g(), g(), g()]);
    const y = bernoulliTargets(rows, [-0.3, 1, 0.4, -0.7], 22);
    const s = new LogisticModel().fit(rows, y).summary;
    for (const v of score(rows, y, s.coefficients)) expect(Math.abs(v)).toBeLessThan(1e-8);

    // Close/SMA-like levels (~1500, nearly collinear): relative to the size of each column.
    const u = testUniforms(23);
    const levels: number[][] = [];
    let level = 1500;
    for (let i = 0; i < 240; i++) {
      level += 40 * (u() - 0.5);
      levels.push([level, level + 3 * (u() - 0.5)]);
    }
    const yl = levels.map(([a, b]) => (u() < 1 / (1 + Math.exp(-0.3 * (b! - a!))) ? 1 : 0));
    const sl = new LogisticModel().fit(levels, yl).summary;
    const gl = score(levels, yl, sl.coefficients);
    const scale = [levels.length, ...[0, 1].map((c) => levels.reduce((a, r) => a + Math.abs(r[c]!), 0))];
    gl.forEach((v, j) => expect(Math.abs(v) / scale[j]!).toBeLessThan(1e-8));
  });

  test('complete separation is a clear UserError', () => {
    const g = gaussians(31);
    const rows = Array.from({ length: 60 }, () => [g(), g()]);
    const y = rows.map(([a, b]) => (a! + 0.5 * b! > 0.2 ? 1 : 0));
    const fit = () => new LogisticModel().fit(rows, y);
    expect(fit).toThrow(LogisticSeparationError);
    expect(fit).toThrow(UserError);
    expect(fit).toThrow(/no finite fit: a combination of the features separates the rows with target 1/);
  });

  test('quasi-complete separation (one group all 1) is detected too', () => {
    // x = 1: every target 1 -> logit(1) = +infinity; x = 0 has both classes.
    const x = [...new Array<number>(12).fill(1), ...new Array<number>(12).fill(0)].map((v) => [v]);
    const y = [...new Array<number>(12).fill(1), 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0];
    expect(() => new LogisticModel().fit(x, y)).toThrow(LogisticSeparationError);
    // Ties on the boundary of a continuous separation: x < 0 -> 0, x > 0 -> 1, x = 0 both.
    const g = gaussians(33);
    const rows: number[][] = [];
    const t: number[] = [];
    for (let i = 0; i < 40; i++) {
      const v = g();
      rows.push([v, g()]);
      t.push(v > 0 ? 1 : 0);
    }
    for (let i = 0; i < 10; i++) {
      rows.push([0, g()]);
      t.push(i % 2);
    }
    expect(() => new LogisticModel().fit(rows, t)).toThrow(LogisticSeparationError);
  });

  test('overlap of a single row is enough for a finite fit', () => {
    // Thresholded at 2.5 except one row on the wrong side: the MLE exists (large, but finite).
    const rows = Array.from({ length: 50 }, (_, i) => [i / 10]);
    const y = rows.map(([v]) => (v! > 2.5 ? 1 : 0));
    y[24] = 1;
    const s = new LogisticModel().fit(rows, y).summary;
    const ref = referenceNewton(rows, y);
    close(s.coefficients[0]!, ref.beta[0]!, 1e-6);
    close(s.coefficients[1]!, ref.beta[1]!, 1e-6);
  });

  test('rank-deficient designs are a clear error naming the feature', () => {
    const rows = [1, 2, 3, 4, 5, 6].map((v) => [v, 2 * v + 1]);
    const y = [0, 1, 0, 1, 1, 0];
    expect(() => new LogisticModel().fit(rows, y, { featureNames: ['close', 'twice'] })).toThrow(
      /logistic regression: feature "twice" is constant or a linear combination.*rank-deficient/,
    );
    const constant = [1, 2, 3, 4, 5].map((v) => [v, 7]);
    expect(() => new LogisticModel().fit(constant, [1, 0, 0, 1, 1])).toThrow(UserError);
  });

  test('bad targets and inputs are clear errors', () => {
    const rows = [[0.1], [0.5], [0.3], [0.9], [0.7]];
    expect(() => new LogisticModel().fit(rows, [0, 1, 0.5, 1, 0])).toThrow(/target row 3 is 0.5; targets must be 0 \(did not rise\) or 1 \(rose\)/);
    expect(() => new LogisticModel().fit(rows, [0, 1, 2, 1, 0])).toThrow(/target row 3 is 2/);
    expect(() => new LogisticModel().fit(rows, [0, 1, -1, 1, 0])).toThrow(UserError);
    expect(() => new LogisticModel().fit(rows, [0, 1, Number.NaN, 1, 0])).toThrow(/target: row 3 is NaN/);
    expect(() => new LogisticModel().fit([[0.1], [Number.NaN], [0.3]], [0, 1, 0])).toThrow(/row 2, column 1 is NaN/);
    expect(() => new LogisticModel().fit(rows, [1, 1, 1, 1, 1])).toThrow(/every target is 1 \(all 5 rows\)/);
    expect(() => new LogisticModel().fit(rows, [0, 0, 0, 0, 0])).toThrow(/every target is 0/);
    expect(() => new LogisticModel().fit([], [])).toThrow(/needs more rows than coefficients: got 0 rows for 1 coefficients/);
    expect(() =>
      new LogisticModel().fit(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [0, 1, 0],
      ),
    ).toThrow(/got 3 rows for 3 coefficients/);
    expect(() => new LogisticModel().fit(rows, [0, 1])).toThrow(/target: has 2 values but the features have 5 rows/);
    expect(() => new LogisticModel().fit(rows, [0, 1, 0, 1, 0], { featureNames: ['a', 'b'] })).toThrow(/2 feature names for 1 features/);
    expect(() => new LogisticModel().predict([[1]])).toThrow(/not fitted/);
    const m = new LogisticModel();
    m.fit(rows, [0, 1, 1, 0, 1]); // not separable: 0.9 is a 0 between 1s
    expect(() => m.predict([[1, 2]])).toThrow(/fitted on 1 features but predict got 2/);
    // A failed refit forgets the earlier fit rather than keep answering with it.
    expect(() => m.fit(rows, [1, 1, 1, 1, 1])).toThrow(UserError);
    expect(() => m.predict([[1]])).toThrow(/not fitted/);
  });

  test('save/load round-trips to identical predictions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logistic-'));
    try {
      const g = gaussians(41);
      const rows = Array.from({ length: 80 }, () => [g(), g()]);
      const model = new LogisticModel();
      model.fit(rows, bernoulliTargets(rows, [0, 1, -1], 42), { featureNames: ['momentum', 'sma_gap'] });
      model.save(dir);
      expect(LogisticModel.isSaved(dir)).toBe(true);
      const loaded = LogisticModel.load(dir);
      expect(loaded.kind).toBe('logistic');
      expect(Array.from(loaded.predict(rows))).toEqual(Array.from(model.predict(rows)));
      expect(loaded.parameters()).toEqual(model.parameters());
      expect(Object.keys(model.parameters())).toEqual(['intercept', 'momentum', 'sma_gap']);
      expect(loaded.summary).toEqual(model.summary);
      expect(model.files()).toEqual({ 'logistic.json': readFileSync(join(dir, 'logistic.json'), 'utf8') });
      writeFileSync(join(dir, 'logistic.json'), '{"format": "something-else"}');
      expect(() => LogisticModel.load(dir)).toThrow(/not a logistic model/);
      writeFileSync(join(dir, 'logistic.json'), '{not json');
      expect(() => LogisticModel.load(dir)).toThrow(/not valid JSON/);
      rmSync(join(dir, 'logistic.json'));
      expect(LogisticModel.isSaved(dir)).toBe(false);
      expect(() => LogisticModel.load(dir)).toThrow(/logistic.json is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
