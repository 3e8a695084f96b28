import { UserError } from '@backtest/core';
import type { Model } from './model';
import { isLayersModelDir } from './nn/layers-format';
import { NnModel } from './nn/nn-model';
import { LogisticModel } from './logistic';
import { OlsModel } from './ols';

/** Loads whichever model `save` wrote into `dir` (ols.json, logistic.json, or model.json + weights.bin of a dense network). */
export function loadModel(dir: string): Model {
  if (OlsModel.isSaved(dir)) return OlsModel.load(dir);
  if (LogisticModel.isSaved(dir)) return LogisticModel.load(dir);
  if (isLayersModelDir(dir)) return NnModel.load(dir);
  throw new UserError(`no saved model in ${dir}: expected ols.json, logistic.json or model.json`);
}
