import { OlsModel } from '@backtest/models';

/** Intercept (or bias) and the weights of normalised close and SMA: the article's coefficient table. */
export interface Coefficients {
  readonly intercept: number;
  readonly close: number;
  readonly sma: number;
}

export interface RegressionFit {
  readonly coefficients: Coefficients;
  readonly standardErrors: Coefficients;
  /** sqrt(SSR / (n - k)): statsmodels' residual standard error, the article's training RMSE. */
  readonly residualRmse: number;
  /** sqrt(SSR / n): the plain root mean squared error on the training rows, comparable to a network's. */
  readonly trainRmse: number;
  /** Root mean squared error of the training-fitted regression on the validation rows. */
  readonly validRmse: number;
  readonly rSquared: number;
  readonly n: number;
  readonly k: number;
}

/** A packed two-feature matrix (normalised close, SMA) and its target. */
export interface XY {
  readonly x: { readonly rows: number; readonly cols: number; readonly data: Float64Array };
  readonly y: Float64Array;
}

export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

/** OLS with an intercept on the training rows, scored on training and validation rows. */
export function fitRegression(train: XY, valid: XY): RegressionFit {
  const model = new OlsModel();
  const { summary } = model.fit(train.x, train.y, { featureNames: ['close', 'sma'] });
  const [b0, b1, b2] = summary.coefficients as [number, number, number];
  const [s0, s1, s2] = summary.standardErrors as [number, number, number];
  return {
    coefficients: { intercept: b0, close: b1, sma: b2 },
    standardErrors: { intercept: s0, close: s1, sma: s2 },
    residualRmse: summary.residualRmse,
    trainRmse: Math.sqrt(summary.ssr / summary.n),
    validRmse: rmse(model.predict(valid.x), valid.y),
    rSquared: summary.rSquared,
    n: summary.n,
    k: summary.k,
  };
}
