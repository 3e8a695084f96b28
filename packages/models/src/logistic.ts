/**
 * Logistic regression for the direction target: the probability that next month's close is above
 * this month's. Maximum likelihood with an intercept, fitted by iteratively reweighted least
 * squares (Newton's method), each Newton step being a weighted least-squares problem solved by the
 * Householder QR in householder-qr.ts, so correlated inputs (close and its SMA) lose no more
 * digits here than in OLS.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { LinearSummaryModel } from './json-model';
import { normalSf } from '@backtest/metrics';
import { toFeatureMatrix, toTarget } from './features';
import { RankDeficiencyError, solveLeastSquares } from './householder-qr';
import type { Features, FitResult, Model, Target } from './model';

/** The statistics statsmodels' `Logit(y, add_constant(X)).fit()` reports, under the same definitions. */
export interface LogisticSummary {
  /** 'intercept' then the feature names, in coefficient order. */
  readonly names: readonly string[];
  /** On the log-odds scale. */
  readonly coefficients: readonly number[];
  /** sqrt of the diagonal of the inverse Fisher information (X^T W X)^{-1} at the estimate (statsmodels `bse`). */
  readonly standardErrors: readonly number[];
  /** coefficient / standard error (statsmodels `tvalues`, which are z-statistics for Logit). */
  readonly zStatistics: readonly number[];
  /** Two-sided standard normal p-values of the z-statistics (statsmodels `pvalues`). */
  readonly pValues: readonly number[];
  /** (X^T W X)^{-1}, k x k, W = diag(p (1 - p)) (statsmodels `cov_params()`). */
  readonly covariance: readonly (readonly number[])[];
  /** Log-likelihood at the estimate (statsmodels `llf`). */
  readonly logLikelihood: number;
  /** Log-likelihood of the intercept-only model, which forecasts the training base rate (statsmodels `llnull`). */
  readonly nullLogLikelihood: number;
  /** McFadden's 1 - logLikelihood / nullLogLikelihood (statsmodels `prsquared`). */
  readonly pseudoRSquared: number;
  /** -2 logLikelihood: for 0/1 targets the saturated model's log-likelihood is 0. */
  readonly deviance: number;
  /** Newton iterations taken, the final polishing step included. */
  readonly iterations: number;
  /** Rows used. */
  readonly n: number;
  /** Coefficients, the intercept included. */
  readonly k: number;
}

export interface LogisticFitOptions {
  /** Feature names for reports and `parameters()`; default x1, x2, ... */
  readonly featureNames?: readonly string[];
}

export interface LogisticFitResult extends FitResult {
  readonly summary: LogisticSummary;
}

/**
 * The 0 and 1 targets are (almost) perfectly separated by a combination of the features, so the
 * likelihood keeps rising as coefficients grow and no finite estimate exists. A `UserError`: the
 * data, not the program, is at fault, and the caller adds which strategy and fit it was.
 */
export class LogisticSeparationError extends UserError {
  constructor(detail: string) {
    super(
      'logistic regression has no finite fit: a combination of the features separates the rows with target 1 from ' +
        'those with target 0 (perfectly, or all but ties on the boundary), so the likelihood keeps improving as the coefficients ' +
        `grow without bound and the fitted probabilities reach 0 or 1 (${detail}); use more rows or fewer features`,
    );
    this.name = 'LogisticSeparationError';
  }
}

const FILE = 'logistic.json';
const FORMAT = 'backtest-logistic';
const MAX_ITERATIONS = 100;
/** R's glm rule: |dev - dev_old| / (|dev| + 0.1) < 1e-10 (the 0.1 guards a deviance near 0). */
const DEVIANCE_TOLERANCE = 1e-10;
const MAX_HALVINGS = 40;
/**
 * Largest change of any row's linear predictor that the Newton step from the converged estimate
 * may still make. Near a finite maximum Newton converges quadratically, so once the deviance
 * stopped changing that step is ~1e-8 or less. Under separation the deviance also flattens (the
 * separated rows' losses ~exp(-|eta|) vanish), but Newton keeps pushing their |eta| up by about
 * 1 per step, for ever: a step this large after convergence is the sign of an infinite MLE.
 */
const SEPARATION_STEP = 1e-3;

/** Logistic regression with an intercept, fitted by maximum likelihood (IRLS with Householder QR). */
export class LogisticModel extends LinearSummaryModel<LogisticSummary> implements Model<LogisticFitResult, LogisticFitOptions> {
  readonly kind = 'logistic';

  constructor() {
    super({ file: FILE, format: FORMAT, name: 'logistic regression' });
  }

  protected link(v: number): number {
    return sigmoid(v);
  }

  /**
   * @throws UserError for targets other than 0/1, a single class, too few rows, a rank-deficient
   *   design, and (as `LogisticSeparationError`) separated data.
   */
  fit(x: Features, y: Target, options: LogisticFitOptions = {}): LogisticFitResult {
    // A refit that throws must not leave the previous fit's coefficients answering predict().
    this.fittedSummary = undefined;
    const m = toFeatureMatrix(x);
    const target = toTarget(y, m.rows);
    const names = ['intercept', ...featureNames(options.featureNames, m.cols)];
    const n = m.rows;
    const k = m.cols + 1;
    let ones = 0;
    for (let r = 0; r < n; r++) {
      const v = target[r] as number;
      if (v !== 0 && v !== 1) {
        throw new UserError(`logistic regression: target row ${r + 1} is ${v}; targets must be 0 (did not rise) or 1 (rose)`);
      }
      ones += v;
    }
    if (n <= k) {
      // With n <= k some coefficients always fit every row exactly: separation by construction.
      throw new UserError(`logistic regression needs more rows than coefficients: got ${n} rows for ${k} coefficients (intercept + ${m.cols} features)`);
    }
    if (ones === 0 || ones === n) {
      throw new UserError(
        `logistic regression: every target is ${ones === 0 ? '0' : '1'} (all ${n} rows), so there is nothing to tell apart; it needs both rising and non-rising months`,
      );
    }
    const design = new Float64Array(n * k);
    for (let r = 0; r < n; r++) {
      design[r * k] = 1;
      for (let c = 0; c < m.cols; c++) design[r * k + c + 1] = m.data[r * m.cols + c] as number;
    }

    // Start at the intercept-only MLE: every weight is then the same, so the first QR judges the
    // rank of the design itself, exactly as OLS does.
    const rate = ones / n;
    let beta = new Float64Array(k);
    beta[0] = Math.log(rate / (1 - rate));
    let eta = linearPredictor(design, n, k, beta);
    const nullDeviance = deviance(eta, target);
    let dev = nullDeviance;
    let iterations = 0;
    let converged = false;
    while (iterations < MAX_ITERATIONS && !converged) {
      let step: Float64Array;
      try {
        step = newtonStep(design, n, k, eta, target).coefficients;
      } catch (err) {
        if (!(err instanceof RankDeficiencyError)) throw err;
        if (iterations === 0) throw rankDeficient(names, err);
        // The design had full rank at the start, so weights collapsing to 0 made it deficient.
        throw new LogisticSeparationError(`the weights p(1 - p) of too many rows fell to 0 after ${iterations} iterations`);
      }
      if (!step.every(Number.isFinite)) {
        throw new LogisticSeparationError(`the Newton step overflowed after ${iterations} iterations`);
      }
      iterations++;
      // Step halving: a full Newton step can overshoot far from the optimum; the deviance must
      // not rise. If no fraction of the step lowers it, we are at the optimum to rounding.
      let t = 1;
      let accepted = false;
      for (let h = 0; h <= MAX_HALVINGS; h++, t /= 2) {
        const candidate = beta.map((b, j) => b + t * (step[j] as number));
        const candidateEta = linearPredictor(design, n, k, candidate);
        const candidateDev = deviance(candidateEta, target);
        if (candidateDev <= dev) {
          converged = Math.abs(dev - candidateDev) / (Math.abs(candidateDev) + 0.1) < DEVIANCE_TOLERANCE;
          beta = candidate;
          eta = candidateEta;
          dev = candidateDev;
          accepted = true;
          break;
        }
      }
      if (!accepted) converged = true;
    }
    if (!converged) {
      throw new LogisticSeparationError(`the deviance was still falling after ${MAX_ITERATIONS} Newton iterations`);
    }

    // One more Newton step from where the deviance settled: for a finite maximum it is tiny and
    // taking it polishes the estimate to rounding (Newton converges quadratically), so the score
    // equations X^T (y - p) = 0 hold to ~1e-12 instead of ~1e-8; under separation it is large.
    let polish: Float64Array;
    try {
      polish = newtonStep(design, n, k, eta, target).coefficients;
    } catch (err) {
      if (!(err instanceof RankDeficiencyError)) throw err;
      throw new LogisticSeparationError('the weights p(1 - p) of too many rows are 0 at the estimate');
    }
    const move = linearPredictor(design, n, k, polish);
    let largestMove = 0;
    for (let r = 0; r < n; r++) largestMove = Math.max(largestMove, Math.abs(move[r] as number));
    if (!(largestMove <= SEPARATION_STEP)) {
      throw new LogisticSeparationError(`after the deviance settled, Newton's method still moved a fitted log-odds by ${largestMove.toPrecision(3)}`);
    }
    beta = beta.map((b, j) => b + (polish[j] as number));
    eta = linearPredictor(design, n, k, beta);
    dev = deviance(eta, target);
    iterations++;
    // The weighted QR at the final estimate gives the inverse Fisher information.
    let final: ReturnType<typeof newtonStep>;
    try {
      final = newtonStep(design, n, k, eta, target);
    } catch (err) {
      if (!(err instanceof RankDeficiencyError)) throw err;
      throw new LogisticSeparationError('the weights p(1 - p) of too many rows are 0 at the estimate');
    }

    // (X^T W X)^{-1} = R^{-1} R^{-T} for the QR of W^{1/2} X.
    const ri = final.rInverse;
    const covariance: number[][] = [];
    for (let i = 0; i < k; i++) {
      const row: number[] = [];
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let l = Math.max(i, j); l < k; l++) s += (ri[i * k + l] as number) * (ri[j * k + l] as number);
        row.push(s);
      }
      covariance.push(row);
    }
    const coefficients = Array.from(beta);
    const standardErrors = covariance.map((row, i) => Math.sqrt(row[i] as number));
    const zStatistics = coefficients.map((b, i) => b / (standardErrors[i] as number));
    let sse = 0;
    for (let r = 0; r < n; r++) sse += ((target[r] as number) - sigmoid(eta[r] as number)) ** 2;
    this.fittedSummary = {
      names,
      coefficients,
      standardErrors,
      zStatistics,
      pValues: zStatistics.map((z) => 2 * normalSf(Math.abs(z))),
      covariance,
      logLikelihood: -dev / 2,
      nullLogLikelihood: -nullDeviance / 2,
      pseudoRSquared: 1 - dev / nullDeviance,
      deviance: dev,
      iterations,
      n,
      k,
    };
    // trainMse is the Brier score of the training rows: the MSE of probabilities against 0/1.
    return { history: { loss: [] }, trainMse: sse / n, summary: this.fittedSummary };
  }

  /** Reads a model written by `save`. JSON keeps every double exactly, so predictions are identical. */
  static load(dir: string): LogisticModel {
    return new LogisticModel().loadFrom(dir, 'a logistic model');
  }

  /** True when `dir` holds a saved logistic regression model. */
  static isSaved(dir: string): boolean {
    return existsSync(join(dir, FILE));
  }
}

/**
 * The Newton step from the current fit as a weighted least-squares problem: minimising
 * || W^{1/2} X d - W^{-1/2} (y - p) || gives d = (X^T W X)^{-1} X^T (y - p). With p the sigmoid of
 * eta, W^{1/2} = 1 / (2 cosh(eta / 2)) and W^{-1/2} (y - p) is exp(-eta/2) for y = 1 and
 * -exp(eta/2) for y = 0: written that way neither loses digits when p is near 0 or 1.
 */
function newtonStep(design: Float64Array, n: number, k: number, eta: Float64Array, y: Float64Array) {
  const a = new Float64Array(n * k);
  const rhs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const e = eta[r] as number;
    const u = Math.exp(-Math.abs(e));
    const sqrtW = Math.sqrt(u) / (1 + u);
    for (let c = 0; c < k; c++) a[r * k + c] = sqrtW * (design[r * k + c] as number);
    rhs[r] = (y[r] as number) === 1 ? Math.exp(-e / 2) : -Math.exp(e / 2);
  }
  return solveLeastSquares(a, n, k, rhs);
}

function linearPredictor(design: Float64Array, n: number, k: number, beta: Float64Array): Float64Array {
  const eta = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let v = 0;
    for (let c = 0; c < k; c++) v += (design[r * k + c] as number) * (beta[c] as number);
    eta[r] = v;
  }
  return eta;
}

/** -2 log-likelihood: row r contributes 2 log(1 + exp(-eta)) if y = 1, 2 log(1 + exp(eta)) if y = 0. */
function deviance(eta: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let r = 0; r < eta.length; r++) s += softplus((y[r] as number) === 1 ? -(eta[r] as number) : (eta[r] as number));
  return 2 * s;
}

/** log(1 + exp(x)) without overflow for large x or loss of digits for very negative x. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** 1 / (1 + exp(-x)), computed from exp(-|x|) so neither tail overflows. */
function sigmoid(x: number): number {
  const u = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + u) : u / (1 + u);
}

function rankDeficient(names: readonly string[], err: RankDeficiencyError): UserError {
  const what = err.column === 0 ? 'the intercept column' : `feature "${names[err.column]}"`;
  return new UserError(
    `logistic regression: ${what} is constant or a linear combination of the intercept and the features before it ` +
      `(the design matrix is rank-deficient); drop or combine collinear features`,
  );
}

function featureNames(given: readonly string[] | undefined, cols: number): string[] {
  if (given === undefined) return Array.from({ length: cols }, (_, i) => `x${i + 1}`);
  if (given.length !== cols) throw new UserError(`logistic regression: ${given.length} feature names for ${cols} features`);
  if (given.includes('intercept')) throw new UserError('logistic regression: "intercept" is reserved for the constant term');
  return [...given];
}
