import type { ModelPlugin } from '@backtest/forecast';
import { nnModel } from './nn-model';
import { olsModel, ridgeModel } from './row-models';
import { conv1dModel, gruModel, lstmModel } from './sequence-models';

export { nnModel } from './nn-model';
export { olsModel } from './row-models';

/** The models that ship with the tool, in the order `backtest list` shows them. */
export const builtInModels: readonly ModelPlugin[] = [olsModel, ridgeModel, nnModel, lstmModel, gruModel, conv1dModel] as readonly ModelPlugin[];
