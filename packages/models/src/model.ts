/**
 * The one interface every forecasting model implements, so strategies and the walk-forward
 * engine can refit and query an OLS regression and a neural network the same way.
 */
import type { ModelFiles } from '@backtest/core';

/**
 * Feature rows. `number[][]` is rows x features; a bare `Float64Array` is a single feature (one
 * value per row); a `FeatureMatrix` is the packed row-major form, which avoids building arrays of
 * arrays inside a walk-forward loop.
 */
export type Features = readonly (readonly number[])[] | Float64Array | FeatureMatrix;

/** Row-major packed features: value (row r, feature c) is `data[r * cols + c]`. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** One target value per row. */
export type Target = readonly number[] | Float64Array;

/** Per-epoch mean-squared-error losses. Empty for closed-form models, which have no epochs. */
interface TrainingHistory {
  /** Training loss (MSE) of each epoch, epoch 1 first. */
  readonly loss: readonly number[];
  /** Validation loss (MSE) of each epoch; present only when validation data was given. */
  readonly valLoss?: readonly number[];
}

export interface FitResult {
  readonly history: TrainingHistory;
  /** Mean squared error on the training rows at the parameters the model ends with. */
  readonly trainMse: number;
}

/** A saved model's files by name (`ols.json`; `weights.bin` + `model.json`), in the order `save` writes them: @backtest/core's type. */
export type { ModelFiles };

/** Named parameters: a scalar (an intercept, a bias of one unit) or a vector/matrix of weights. */
export type Parameters = Readonly<Record<string, number | readonly number[] | readonly (readonly number[])[]>>;

export interface Model<R extends FitResult = FitResult, O = object> {
  /** 'ols' or 'nn': tells `loadModel` and reports what was fitted. */
  readonly kind: string;
  /** Fits from scratch (earlier fits are forgotten), so a refit depends only on its arguments. */
  fit(x: Features, y: Target, options?: O): R;
  /** One forecast per row of `x`. Throws a `UserError` if the model is not fitted. */
  predict(x: Features): Float64Array;
  /** Fitted parameters by name, for reports and coefficient tables. */
  parameters(): Parameters;
  /** Writes the fitted model into directory `dir` (created if missing), atomically per file. */
  save(dir: string): void;
  /** The files `save` writes, by name, in memory (for a writer of its own, e.g. a whole run folder). */
  files(): ModelFiles;
  /** Frees native memory (TensorFlow tensors); a no-op for pure-JS models. */
  dispose(): void;
}
