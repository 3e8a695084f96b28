import type { ParamValues, StrategyContext } from '@backtest/core';
import type { Regressor } from '@backtest/forecast';
import { type Activation, type BackendRequest, initBackend, NnModel, OlsModel } from '@backtest/models';
import type { composedParams } from './params';

type Params = ParamValues<typeof composedParams>;

/** A model part: a fresh regressor per fit, and what the report says about the model. */
export interface ModelPart {
  readonly regressor: (fit: number) => Regressor;
  readonly info: () => Record<string, unknown>;
  /** Work before the first fit (choosing the TensorFlow.js backend). */
  readonly setup?: () => Promise<void>;
}

/** Least squares with an intercept on the features. */
export function olsPart(): ModelPart {
  let last: OlsModel | undefined;
  return {
    regressor: () => (last = new OlsModel()),
    info: () => ({ model: 'ols', lastCoefficients: last?.parameters() }),
  };
}

/**
 * A dense TensorFlow.js network with `inputs` inputs. Each fit is seeded from the run's seed and
 * the fit's index only, so results do not depend on the order or thread the fits run in.
 */
export function nnPart(p: Params, inputs: number, context: StrategyContext): ModelPart {
  let backend = '';
  const layers = [...p.hidden.map((units) => ({ units, activation: p.activation as Activation })), { units: 1, activation: 'linear' as const }];
  const optimizer = p.learningRate > 0 ? { name: p.optimizer, learningRate: p.learningRate } : { name: p.optimizer };
  return {
    regressor: (fit) => {
      const net = new NnModel({ network: { inputSize: inputs, layers }, optimizer: optimizer as { name: 'sgd' | 'adam' } });
      return {
        fit(x, y) {
          // Early stopping watches the latest rows when a validation fraction is set (Keras'
          // validation_split also holds out the last rows), else the training loss.
          const nVal = Math.floor(y.length * p.validation);
          const nTrain = y.length - nVal;
          const train = { rows: nTrain, cols: x.cols, data: x.data.subarray(0, nTrain * x.cols) };
          const val = nVal > 0 ? { x: { rows: nVal, cols: x.cols, data: x.data.subarray(nTrain * x.cols) }, y: y.subarray(nTrain) } : undefined;
          const r = net.fit(train, y.subarray(0, nTrain), {
            epochs: p.epochs,
            batchSize: p.batchSize,
            seed: context.seed + fit,
            ...(val ? { validation: val } : {}),
            ...(p.patience > 0 ? { earlyStopping: { patience: p.patience, restoreBestWeights: true } } : {}),
          });
          backend = r.backend;
          return r;
        },
        predict: (x) => net.predict(x),
        dispose: () => net.dispose(),
      };
    },
    setup: async () => {
      backend = await initBackend(context.backend as BackendRequest);
    },
    info: () => ({ model: 'nn', backend, layers: [inputs, ...p.hidden, 1].join('-') }),
  };
}
