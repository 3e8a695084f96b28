import { type ModelInfo, type ParamValues, type StrategyContext, UserError } from '@backtest/core';
import type { ForecastStrategyOptions, Regressor } from '@backtest/forecast';
import { type Activation, type BackendRequest, NetworkTooLargeError, nnForecaster, OlsModel, type Trainer } from '@backtest/models';
import type { composedParams } from './params';

type Params = ParamValues<typeof composedParams>;

/** A model part: a fresh regressor per fit, and what the report says about the model. */
export interface ModelPart {
  readonly regressor: (fit: number) => Regressor;
  readonly info: () => ModelInfo;
  /** Every fit at once, on the run's worker threads (see ForecastStrategyOptions.fitBatch). */
  readonly fitBatch?: ForecastStrategyOptions['fitBatch'];
  /** Work before the first fit (choosing the TensorFlow.js backend). */
  readonly setup?: () => Promise<void>;
}

/** Least squares with an intercept on the features. */
export function olsPart(): ModelPart {
  return {
    regressor: () => new OlsModel(),
    info: () => ({ kind: 'ols' }),
  };
}

/** A network too big for a fit, said in the strategy's parameters: `hidden` (and `batchSize` when the batch is the bulk). */
function tooLarge(e: unknown, p: Params, id: string): unknown {
  if (!(e instanceof NetworkTooLargeError)) return e;
  const batch = e.size.batchBytes > e.size.bytes / 2;
  const named = batch ? `parameters "hidden" (${p.hidden.join(',')}) and "batchSize" (${p.batchSize})` : `parameter "hidden" (${p.hidden.join(',')})`;
  return new UserError(`strategy "${id}": ${named}: ${e.message}`);
}

/**
 * A dense TensorFlow.js network with `inputs` inputs. Each fit is seeded from the run's seed and
 * the fit's index only, so results do not depend on the order or thread the fits run in. A
 * network too big for one fit's memory is refused here, when the strategy is created, naming
 * `hidden` and the number of weights.
 */
export function nnPart(p: Params, inputs: number, context: StrategyContext, id = 'forecast'): ModelPart {
  let nn: ReturnType<typeof nnForecaster>;
  try {
    nn = network(p, inputs, context);
  } catch (e) {
    throw tooLarge(e, p, id);
  }
  return {
    regressor: (fit) => {
      const r = nn.regressor(fit);
      return {
        ...r,
        fit: (x, y) => {
          try {
            return r.fit(x, y);
          } catch (e) {
            throw tooLarge(e, p, id);
          }
        },
      };
    },
    fitBatch: async (fits, done, options) => {
      try {
        return await nn.fitBatch(fits, done, options);
      } catch (e) {
        throw tooLarge(e, p, id);
      }
    },
    setup: nn.setup,
    info: () => ({ kind: 'nn', backend: nn.backend(), trainer: nn.trainer(), layers: [inputs, ...p.hidden, 1].join('-') }),
  };
}

function network(p: Params, inputs: number, context: StrategyContext) {
  return nnForecaster({
    network: { inputSize: inputs, layers: [...p.hidden.map((units) => ({ units, activation: p.activation as Activation })), { units: 1, activation: 'linear' as const }] },
    optimizer: (p.learningRate > 0 ? { name: p.optimizer, learningRate: p.learningRate } : { name: p.optimizer }) as { name: 'sgd' | 'adam' },
    epochs: p.epochs,
    batchSize: p.batchSize,
    patience: p.patience,
    validation: p.validation,
    trainer: p.trainer as 'auto' | Trainer,
    seed: context.seed,
    threads: context.threads,
    backend: context.backend as BackendRequest,
  });
}
