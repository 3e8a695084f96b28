import { UserError } from '@backtest/core';
import type { Model } from './model';
import { isLayersModelDir } from './nn/layers-format';
import { NnModel } from './nn/nn-model';
import { OlsModel } from './ols';

/** Loads whichever model `save` wrote into `dir` (ols.json or model.json + weights.bin). */
export function loadModel(dir: string): Model {
  if (OlsModel.isSaved(dir)) return OlsModel.load(dir);
  if (isLayersModelDir(dir)) return NnModel.load(dir);
  throw new UserError(`no saved model in ${dir}: expected ols.json or model.json`);
}
