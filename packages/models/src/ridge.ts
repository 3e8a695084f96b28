import { UserError } from '@backtest/core';
import { toFeatureMatrix, toTarget } from './features';
import { RankDeficiencyError, solveLeastSquares } from './householder-qr';
import { jsonModelFiles } from './json-model';
import type { Features, ModelFiles, Target } from './model';

const FILE = 'ridge.json';
const FORMAT = 'backtest-ridge';

/** A fitted ridge regression: an unpenalised intercept and the feature coefficients. */
export interface RidgeCoefficients {
  readonly alpha: number;
  readonly intercept: number;
  readonly coefficients: readonly number[];
}

/**
 * Ridge regression with an intercept, in closed form: minimises
 * sum (y - b0 - x b)^2 + alpha ||b||^2, the intercept unpenalised (scikit-learn's `Ridge` with
 * `fit_intercept=True`). Centring x and y removes the intercept; the penalised problem is then
 * the least-squares problem of [X_c; sqrt(alpha) I] b = [y_c; 0], solved by Householder QR
 * (never forming X^T X + alpha I, whose condition number is the square of this one's).
 */
export class RidgeModel {
  readonly kind = 'ridge';
  readonly alpha: number;
  #fit: RidgeCoefficients | undefined;

  constructor(options: { readonly alpha: number }) {
    if (!(options.alpha >= 0) || !Number.isFinite(options.alpha)) throw new UserError(`ridge: alpha must be a finite number >= 0, got ${options.alpha}`);
    this.alpha = options.alpha;
  }

  fit(x: Features, y: Target): { history: { loss: number[] }; trainMse: number } {
    const m = toFeatureMatrix(x);
    const target = toTarget(y, m.rows);
    const n = m.rows;
    const p = m.cols;
    if (n === 0) throw new UserError('ridge: no training rows');
    const means = new Float64Array(p);
    for (let r = 0; r < n; r++) for (let c = 0; c < p; c++) means[c]! += m.data[r * p + c]! / n;
    let yMean = 0;
    for (let r = 0; r < n; r++) yMean += target[r]! / n;
    const rows = n + p;
    const a = new Float64Array(rows * p);
    const b = new Float64Array(rows);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < p; c++) a[r * p + c] = m.data[r * p + c]! - means[c]!;
      b[r] = target[r]! - yMean;
    }
    const root = Math.sqrt(this.alpha);
    for (let c = 0; c < p; c++) a[(n + c) * p + c] = root;
    let coefficients: Float64Array;
    try {
      coefficients = solveLeastSquares(a, rows, p, b).coefficients;
    } catch (err) {
      if (!(err instanceof RankDeficiencyError)) throw err;
      // Only alpha = 0 can be rank-deficient: a penalty makes every column independent.
      throw new UserError(`ridge: feature ${err.column + 1} is constant or collinear with the features before it and alpha is 0; set alpha > 0`);
    }
    let intercept = yMean;
    for (let c = 0; c < p; c++) intercept -= coefficients[c]! * means[c]!;
    this.#fit = { alpha: this.alpha, intercept, coefficients: Array.from(coefficients) };
    const fitted = this.predict(m);
    let sse = 0;
    for (let r = 0; r < n; r++) sse += (target[r]! - fitted[r]!) ** 2;
    return { history: { loss: [] }, trainMse: sse / n };
  }

  predict(x: Features): Float64Array {
    const f = this.fitted();
    const m = toFeatureMatrix(x);
    if (m.cols !== f.coefficients.length) throw new UserError(`ridge was fitted on ${f.coefficients.length} features but predict got ${m.cols}`);
    const out = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) {
      let v = f.intercept;
      for (let c = 0; c < m.cols; c++) v += f.coefficients[c]! * m.data[r * m.cols + c]!;
      out[r] = v;
    }
    return out;
  }

  /** The fitted coefficients, or undefined before the first fit. */
  get coefficients(): RidgeCoefficients | undefined {
    return this.#fit;
  }

  /** `ridge.json`: alpha, intercept and coefficients, every double exactly. */
  files(): ModelFiles {
    return jsonModelFiles(FILE, FORMAT, { ...this.fitted() });
  }

  private fitted(): RidgeCoefficients {
    if (!this.#fit) throw new UserError('ridge model is not fitted: call fit() first');
    return this.#fit;
  }
}
