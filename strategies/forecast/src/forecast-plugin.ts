import {
  defineStrategy,
  didYouMean,
  type ParamSpecs,
  type ParamValues,
  resolveParams,
  type Strategy,
  type StrategyContext,
  type StrategyPlugin,
  UserError,
} from '@backtest/core';
import { NetworkDivergedError } from '@backtest/models';
import { composeFeatures, createForecastStrategy, type FeatureBuilder, sizingFrom, trainingWindowFrom } from '@backtest/forecast';
import { type ModelPart, nnPart, olsPart } from './models';
import { composedParams } from './params';

/**
 * The forecast strategy composed by name: `--param model=nn --param features=sma,rsi` picks a
 * model and feature builders from those registered, without a package of its own. nn-sma is
 * `model=nn features=sma` and ols-sma is `model=ols features=sma`, to the last bit.
 *
 * `features` is every feature builder bound in the container when the strategy is created, so a
 * plugin that registers a feature makes it usable here by name.
 */
export function composedForecastStrategy(features: readonly FeatureBuilder[]): StrategyPlugin<typeof composedParams> {
  const byId = new Map(features.map((f) => [f.id, f]));
  // The list of usable features is the registry's, so `backtest list` shows plugins' ones too.
  const params = {
    ...composedParams,
    features: { ...composedParams.features, description: `model inputs besides close, by name: ${[...byId.keys()].join(', ')}` },
  };
  return defineStrategy({
    id: 'forecast',
    description: 'Forecast of next close by a model (ols|nn) on features chosen by name; long when it beats the close',
    kind: 'forecast',
    params,
    create: (p, context) => {
      const chosen = p.features.split(',').map((id) => {
        const f = byId.get(id);
        if (!f) {
          const ids = [...byId.keys()];
          throw new UserError(`strategy "forecast": unknown feature "${id}"${didYouMean(id, ids)}; registered features: ${ids.join(', ')}`);
        }
        return f;
      });
      if (new Set(chosen).size !== chosen.length) throw new UserError(`strategy "forecast": feature list "${p.features}" names a feature twice`);
      return composedStrategy('forecast', p, chosen, context);
    },
  });
}

/** The strategy of a model on chosen features (the composition itself, shared with the presets). */
function composedStrategy(id: string, p: ParamValues<typeof composedParams>, chosen: readonly FeatureBuilder[], context: StrategyContext): Strategy {
  const featureSet = composeFeatures(chosen, p.window);
  const model: ModelPart = p.model === 'nn' ? nnPart(p, featureSet.names.length, context, id) : olsPart();
  const strategy = createForecastStrategy({
    id,
    features: featureSet,
    model: model.regressor,
    refit: p.refit,
    window: trainingWindowFrom(p),
    minTrain: p.minTrain,
    sizing: sizingFrom(p),
    defaultTestStart: '1991-01',
    context,
    ...(model.setup ? { setup: model.setup } : {}),
    ...(model.fitBatch ? { fitBatch: model.fitBatch } : {}),
    modelInfo: () => ({ ...model.info(), features: featureSet.names.join(',') }),
    indicators: (view) => chosen.flatMap((f) => (f.indicator ? [f.indicator(view.closes(), p.window, context.frequency)] : [])),
  });
  return namingFits(strategy, id, p.refit);
}

/**
 * The strategy, with a fit that diverged named as the user sees the walk: the strategy, the
 * fit's number and the period it was refitted at (`strategy "nn-sma": fit 3 (refit at
 * 1994-01) diverged at epoch 2 ...`). Batched, fit j was trained at the j-th refit view, one
 * every `refit` views; sequentially, in the `decide` of its refit view.
 */
function namingFits(strategy: Strategy, id: string, refit: number): Strategy {
  const named = (e: unknown, label: (fit: number | undefined) => string | undefined): unknown => {
    if (!(e instanceof NetworkDivergedError)) return e;
    const at = label(e.details.fit);
    return e.withContext({ strategy: id, ...(at !== undefined ? { refit: at } : {}) });
  };
  const prepare = strategy.prepare?.bind(strategy);
  return {
    ...strategy,
    ...(prepare
      ? {
          async prepare(views: Parameters<NonNullable<Strategy['prepare']>>[0]) {
            try {
              await prepare(views);
            } catch (e) {
              throw named(e, (fit) => (fit === undefined ? undefined : views[fit * refit]?.label));
            }
          },
        }
      : {}),
    decide(view) {
      try {
        return strategy.decide(view);
      } catch (e) {
        throw named(e, () => view.label);
      }
    },
  };
}

const NN_ONLY = ['hidden', 'activation', 'epochs', 'optimizer', 'learningRate', 'batchSize', 'patience', 'validation', 'trainer'] as const;

/**
 * A named preset of the composed strategy: a fixed model and feature list, the other
 * parameters as `forecast` has them (less the network's for `ols`). `nn-sma` and `ols-sma` are
 * presets, so they are `forecast model=nn|ols features=sma` by construction.
 */
export function forecastPreset(preset: {
  id: string;
  description: string;
  model: 'ols' | 'nn';
  features: readonly FeatureBuilder[];
}): StrategyPlugin {
  const { model: _model, features: _features, ...rest } = composedParams;
  const params: ParamSpecs =
    preset.model === 'nn' ? rest : Object.fromEntries(Object.entries(rest).filter(([k]) => !(NN_ONLY as readonly string[]).includes(k)));
  const defaults = resolveParams(preset.id, composedParams, {});
  return defineStrategy({
    id: preset.id,
    description: preset.description,
    kind: 'forecast',
    params,
    create: (p, context) =>
      composedStrategy(
        preset.id,
        { ...defaults, ...p, model: preset.model, features: preset.features.map((f) => f.id).join(',') } as ParamValues<typeof composedParams>,
        preset.features,
        context,
      ),
  });
}
