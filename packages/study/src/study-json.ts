import type { StudyResult } from './run-study';

/**
 * The study as one JSON document: what `--json` prints and study.json holds. `rmse.network` is
 * experiment 2 (the 2-10-1 network with validation), `rmse.deep` experiment 5; the regression's
 * training RMSE is the article's sqrt(SSR/(n-k)), with sqrt(SSR/n) beside it.
 */
export function studyDocument(r: StudyResult, folder?: string): Record<string, unknown> {
  const e = r.experiments;
  const es = e.earlyStopping;
  const { note, ...leak } = r.leak;
  return {
    study: r.study,
    rows: r.rows,
    coefficients: {
      regression: r.regression.coefficients,
      regressionStandardErrors: r.regression.standardErrors,
      neuron: e.neuron.coefficients,
      neuronByEpoch: e.neuron.coefficientsByEpoch,
    },
    rmse: {
      regressionTrain: r.regression.residualRmse,
      regressionTrainPlain: r.regression.trainRmse,
      regressionValid: r.regression.validRmse,
      network: { train: e.validation.train, valid: e.validation.valid },
      experiment1: { train: e.network.train },
      earlyStopping: {
        train: es.train,
        valid: es.valid,
        stoppedAt: es.stoppedAt,
        bestEpoch: es.bestEpoch,
        restoredValid: es.restoredValidRmse,
        reloadedValid: es.checkpoint.reloadedValidRmse,
        reloadedIdentical: es.checkpoint.identical,
        reloadedMaxAbsDifference: es.checkpoint.maxAbsDifference,
      },
      neuron: { train: e.neuron.train },
      deep: { train: e.deep.train, valid: e.deep.valid, stoppedAt: e.deep.stoppedAt, bestEpoch: e.deep.bestEpoch, restoredValid: e.deep.restoredValidRmse },
    },
    regression: { n: r.regression.n, k: r.regression.k, rSquared: r.regression.rSquared },
    conclusions: r.conclusions,
    leak: { leaks: true, note, ...leak },
    backend: r.backend,
    seed: r.seed,
    from: r.from,
    to: r.to,
    data: r.data,
    seconds: r.seconds,
    ...(folder ? { folder } : {}),
  };
}
