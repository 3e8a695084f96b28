import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { LinearSummaryModel } from './json-model';
import { toFeatureMatrix, toTarget } from './features';
import { type LeastSquaresSolution, RankDeficiencyError, solveLeastSquares } from './householder-qr';
import type { Features, FitResult, Model, Target } from './model';
import { studentTTwoSided } from '@backtest/metrics';

/** The statistics statsmodels' `OLS(y, add_constant(X)).fit()` reports, under the same definitions. */
export interface OlsSummary {
  /** 'intercept' then the feature names, in coefficient order. */
  readonly names: readonly string[];
  readonly coefficients: readonly number[];
  /** sqrt of the diagonal of sigma^2 (X^T X)^{-1}, sigma^2 = SSR / (n - k) (statsmodels `bse`). */
  readonly standardErrors: readonly number[];
  /** coefficient / standard error (statsmodels `tvalues`). */
  readonly tStatistics: readonly number[];
  /** Two-sided Student-t p-values with n - k degrees of freedom (statsmodels `pvalues`). */
  readonly pValues: readonly number[];
  /** sigma^2 (X^T X)^{-1}, k x k (statsmodels `cov_params()`). */
  readonly covariance: readonly (readonly number[])[];
  /** 1 - SSR / centred TSS (NaN when y is constant). */
  readonly rSquared: number;
  /** 1 - (n - 1) / (n - k) * (1 - R²). */
  readonly adjustedRSquared: number;
  /** sqrt(SSR / (n - k)): the regression's standard error (sqrt of statsmodels `mse_resid`). */
  readonly residualRmse: number;
  /** Sum of squared residuals. */
  readonly ssr: number;
  /** Rows used. */
  readonly n: number;
  /** Coefficients, the intercept included. */
  readonly k: number;
}

export interface OlsFitOptions {
  /** Feature names for reports and `parameters()`; default x1, x2, ... */
  readonly featureNames?: readonly string[];
}

export interface OlsFitResult extends FitResult {
  readonly summary: OlsSummary;
}

const FILE = 'ols.json';
const FORMAT = 'backtest-ols';

/** Ordinary least squares with an intercept, solved by Householder QR. */
export class OlsModel extends LinearSummaryModel<OlsSummary> implements Model<OlsFitResult, OlsFitOptions> {
  readonly kind = 'ols';

  constructor() {
    super({ file: FILE, format: FORMAT, name: 'OLS' });
  }

  protected link(v: number): number {
    return v;
  }

  fit(x: Features, y: Target, options: OlsFitOptions = {}): OlsFitResult {
    const m = toFeatureMatrix(x);
    const target = toTarget(y, m.rows);
    const names = ['intercept', ...featureNames(options.featureNames, m.cols)];
    const n = m.rows;
    const k = m.cols + 1;
    if (n <= k) {
      throw new UserError(`OLS needs more rows than coefficients to estimate its error: got ${n} rows for ${k} coefficients (intercept + ${m.cols} features)`);
    }
    const design = new Float64Array(n * k);
    for (let r = 0; r < n; r++) {
      design[r * k] = 1;
      for (let c = 0; c < m.cols; c++) design[r * k + c + 1] = m.data[r * m.cols + c] as number;
    }
    let solution: LeastSquaresSolution;
    try {
      solution = solveLeastSquares(design, n, k, target);
    } catch (err) {
      if (!(err instanceof RankDeficiencyError)) throw err;
      const what = err.column === 0 ? 'the intercept column' : `feature "${names[err.column]}"`;
      throw new UserError(
        `OLS: ${what} is constant or a linear combination of the intercept and the features before it ` +
          `(the design matrix is rank-deficient); drop or combine collinear features`,
      );
    }
    const beta = Array.from(solution.coefficients);
    let ssr = 0;
    let mean = 0;
    for (let r = 0; r < n; r++) mean += target[r] as number;
    mean /= n;
    let tss = 0;
    for (let r = 0; r < n; r++) {
      let fitted = 0;
      for (let c = 0; c < k; c++) fitted += (design[r * k + c] as number) * (beta[c] as number);
      ssr += ((target[r] as number) - fitted) ** 2;
      tss += ((target[r] as number) - mean) ** 2;
    }
    const sigma2 = ssr / (n - k);
    // (X^T X)^{-1} = R^{-1} R^{-T}: entry (i, j) is row i of R^{-1} dotted with row j.
    const ri = solution.rInverse;
    const covariance: number[][] = [];
    for (let i = 0; i < k; i++) {
      const row: number[] = [];
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let l = Math.max(i, j); l < k; l++) s += (ri[i * k + l] as number) * (ri[j * k + l] as number);
        row.push(sigma2 * s);
      }
      covariance.push(row);
    }
    const standardErrors = covariance.map((row, i) => Math.sqrt(row[i] as number));
    const rSquared = 1 - ssr / tss;
    const tStatistics = beta.map((b, i) => b / (standardErrors[i] as number));
    this.fittedSummary = {
      names,
      coefficients: beta,
      standardErrors,
      tStatistics,
      pValues: tStatistics.map((t) => studentTTwoSided(t, n - k)),
      covariance,
      rSquared,
      adjustedRSquared: 1 - ((n - 1) / (n - k)) * (1 - rSquared),
      residualRmse: Math.sqrt(sigma2),
      ssr,
      n,
      k,
    };
    return { history: { loss: [] }, trainMse: ssr / n, summary: this.fittedSummary };
  }

  /** Reads a model written by `save`. JSON keeps every double exactly, so predictions are identical. */
  static load(dir: string): OlsModel {
    return new OlsModel().loadFrom(dir, 'an OLS model');
  }

  /** True when `dir` holds a saved OLS model. */
  static isSaved(dir: string): boolean {
    return existsSync(join(dir, FILE));
  }
}

function featureNames(given: readonly string[] | undefined, cols: number): string[] {
  if (given === undefined) return Array.from({ length: cols }, (_, i) => `x${i + 1}`);
  if (given.length !== cols) throw new UserError(`OLS: ${given.length} feature names for ${cols} features`);
  if (given.includes('intercept')) throw new UserError('OLS: "intercept" is reserved for the constant term');
  return [...given];
}
