import type { Curves, EarlyStopped, NeuronRun } from './experiments';
import type { Coefficients, RegressionFit } from './regression';

/** The article's conclusions, recomputed from this run's numbers rather than restated. */
export interface Conclusions {
  /** Experiment 2 after its last epoch: is validation RMSE below training RMSE? */
  readonly networkValidBelowTrain: boolean;
  /** Epochs of experiment 2 in which validation RMSE was below training RMSE. */
  readonly networkEpochsValidBelowTrain: number;
  readonly networkEpochs: number;
  /** Experiment 5 at its restored (best) epoch. */
  readonly deepValidBelowTrain: boolean;
  /** Regression validation RMSE below its training RMSE (sqrt(SSR/n); also below sqrt(SSR/(n-k))). */
  readonly regressionValidBelowTrain: boolean;
  /** Neuron minus regression, per coefficient, after the last epoch. */
  readonly neuronMinusRegression: Coefficients;
  readonly neuronMaxAbsDifference: number;
  /** The same differences in units of the regression's standard errors. */
  readonly neuronMaxDifferenceInStandardErrors: number;
  /** Largest absolute coefficient difference after each epoch, epoch 1 first. */
  readonly neuronMaxAbsDifferenceByEpoch: number[];
  /** Validation RMSE: deep network (restored) minus small network (restored, experiment 3); > 0 means more layers did not help. */
  readonly deepMinusSmallValidRmse: number;
  /** Validation RMSE: deep network (restored) minus the regression. */
  readonly deepMinusRegressionValidRmse: number;
  /** The findings in words, built from the numbers above. */
  readonly statements: string[];
}

const f = (v: number, d = 4) => v.toFixed(d);

function maxAbs(a: Coefficients, b: Coefficients): number {
  return Math.max(Math.abs(a.intercept - b.intercept), Math.abs(a.close - b.close), Math.abs(a.sma - b.sma));
}

/** Relative validation-RMSE gain below which more layers are said not to have materially helped: a stated threshold, not a significance test. */
const MATERIAL_DIFFERENCE = 0.02;

function deepStatement(deep: EarlyStopped, small: EarlyStopped, regression: RegressionFit, vsSmall: number, vsRegression: number): string {
  const rel = (d: number, base: number) => `${d >= 0 ? '+' : ''}${((100 * d) / base).toFixed(1)}%`;
  const bestOther = Math.min(small.restoredValidRmse, regression.validRmse);
  const gain = (bestOther - deep.restoredValidRmse) / bestOther;
  const verdict =
    gain > MATERIAL_DIFFERENCE
      ? `more layers helped: ${(100 * gain).toFixed(1)}% lower validation error than the better of the other two.`
      : gain > 0
        ? `more layers did not materially help: the deep network is lower by only ${(100 * gain).toFixed(1)}%, under the ${100 * MATERIAL_DIFFERENCE}% this study counts as a difference.`
        : 'more layers did not help: the deep network does not beat the simpler models.';
  return (
    `Deep network (2-300-100-1, restored epoch ${deep.bestEpoch} of ${deep.stoppedAt}): validation RMSE ${f(deep.restoredValidRmse)}, ` +
    `${rel(vsSmall, small.restoredValidRmse)} against the 2-10-1 network (${f(small.restoredValidRmse)}) and ` +
    `${rel(vsRegression, regression.validRmse)} against the regression (${f(regression.validRmse)}); ${verdict}`
  );
}

export function drawConclusions(regression: RegressionFit, network: Curves, small: EarlyStopped, neuron: NeuronRun, deep: EarlyStopped): Conclusions {
  const train = network.train;
  const valid = network.valid ?? [];
  const last = train.length - 1;
  const networkValidBelowTrain = valid[last]! < train[last]!;
  const networkEpochsValidBelowTrain = valid.filter((v, i) => v < train[i]!).length;
  const best = deep.bestEpoch - 1;
  const deepValidBelowTrain = deep.valid[best]! < deep.train[best]!;
  const regressionValidBelowTrain = regression.validRmse < regression.trainRmse;
  const r = regression.coefficients;
  const n = neuron.coefficients;
  const se = regression.standardErrors;
  const neuronMinusRegression = { intercept: n.intercept - r.intercept, close: n.close - r.close, sma: n.sma - r.sma };
  const neuronMaxAbsDifference = maxAbs(n, r);
  const neuronMaxDifferenceInStandardErrors = Math.max(
    Math.abs(neuronMinusRegression.intercept) / se.intercept,
    Math.abs(neuronMinusRegression.close) / se.close,
    Math.abs(neuronMinusRegression.sma) / se.sma,
  );
  const neuronMaxAbsDifferenceByEpoch = neuron.coefficientsByEpoch.map((c) => maxAbs(c, r));
  const deepMinusSmallValidRmse = deep.restoredValidRmse - small.restoredValidRmse;
  const deepMinusRegressionValidRmse = deep.restoredValidRmse - regression.validRmse;
  const below = (yes: boolean) => (yes ? 'below' : 'not below');
  const statements = [
    `Network (experiment 1): training RMSE falls from ${f(train[0]!)} after epoch 1 to ${f(train[last]!)} after epoch ${last + 1} (the article: from above 1.3 to below 0.8).`,
    `Network (experiment 2, epoch ${last + 1}): validation RMSE ${f(valid[last]!)} is ${below(networkValidBelowTrain)} training RMSE ${f(train[last]!)} ` +
      `(validation below training in ${networkEpochsValidBelowTrain} of ${train.length} epochs).`,
    `Regression: validation RMSE ${f(regression.validRmse)} is ${below(regressionValidBelowTrain)} training RMSE ${f(regression.trainRmse)} ` +
      `(residual RMSE sqrt(SSR/(n-k)) ${f(regression.residualRmse)}).`,
    networkValidBelowTrain && regressionValidBelowTrain
      ? 'Both models err less on the validation years (1991-2000) than on the training years: a regime effect, not skill.'
      : 'The validation years are not uniformly easier here: the models do not both err less on them than on the training years.',
    `Single neuron after ${neuron.coefficientsByEpoch.length} epochs of SGD vs OLS: bias ${f(n.intercept)} vs ${f(r.intercept)}, ` +
      `close ${f(n.close)} vs ${f(r.close)}, SMA ${f(n.sma)} vs ${f(r.sma)}; the largest difference is ${f(neuronMaxAbsDifference)} ` +
      `(${f(neuronMaxDifferenceInStandardErrors, 2)} regression standard errors).`,
    deepStatement(deep, small, regression, deepMinusSmallValidRmse, deepMinusRegressionValidRmse),
  ];
  return {
    networkValidBelowTrain,
    networkEpochsValidBelowTrain,
    networkEpochs: train.length,
    deepValidBelowTrain,
    regressionValidBelowTrain,
    neuronMinusRegression,
    neuronMaxAbsDifference,
    neuronMaxDifferenceInStandardErrors,
    neuronMaxAbsDifferenceByEpoch,
    deepMinusSmallValidRmse,
    deepMinusRegressionValidRmse,
    statements,
  };
}
