import {
  assetSeed,
  defineStrategy,
  didYouMean,
  eachAsset,
  overAssets,
  type ParamSpecs,
  type ParamValues,
  type RawParamValue,
  resolveParams,
  type Strategy,
  type StrategyContext,
  type StrategyPlugin,
  UserError,
} from '@backtest/core';
import { parseAlternatives } from '@backtest/core/internal';
import { NetworkDivergedError } from '@backtest/models';
import {
  composeFeatures,
  createForecastStrategy,
  type FeatureBuilder,
  type ForecastStrategy,
  type ForecastStrategyOptions,
  type ForecastTarget,
  type ModelPlugin,
  type Sizing,
  sizingFrom,
  trainingWindowFrom,
} from '@backtest/forecast';
import { allocationParams, composedParams } from './params';

type Composed = ParamValues<typeof composedParams>;

/** The strategy's parameters with model `model`'s after them; a name both declare is the model's author's to rename. */
function withModel(strategyParams: ParamSpecs, model: ModelPlugin): ParamSpecs {
  for (const name of Object.keys(model.params)) {
    if (Object.hasOwn(strategyParams, name)) {
      throw new UserError(`model "${model.id}": its parameter "${name}" is also a parameter of the forecast strategy; rename it (parameters are passed flat: --param ${name}=...)`);
    }
  }
  return { ...strategyParams, ...model.params };
}

/** On the direction target a probability is compared with `threshold`: its default is then 0.5. */
function forTarget(specs: ParamSpecs, target: unknown): ParamSpecs {
  if (target !== 'direction') return specs;
  const threshold = specs.threshold;
  return threshold?.type === 'number' ? { ...specs, threshold: { ...threshold, default: 0.5, min: 0, max: 1 } } : specs;
}

/** The model's own parameter values out of the strategy's. */
function modelValues(model: ModelPlugin, p: Readonly<Record<string, unknown>>): ParamValues<ParamSpecs> {
  return Object.fromEntries(Object.keys(model.params).map((k) => [k, p[k]])) as ParamValues<ParamSpecs>;
}

/**
 * The forecast strategy composed by name: `--param model=nn --param features=sma,rsi` picks a
 * model and feature builders from those registered, without a package of its own. nn-sma is
 * `model=nn features=sma` and ols-sma is `model=ols features=sma`, to the last bit.
 *
 * `features` and `models` are every feature builder and model plugin bound in the container
 * when the strategy is created, so a plugin that registers one makes it usable here by name. A
 * model's parameter named like one of the strategy's is refused here, when they are registered.
 */
export function composedForecastStrategy(features: readonly FeatureBuilder[], models: readonly ModelPlugin[]): StrategyPlugin<typeof composedParams> {
  const byId = new Map(features.map((f) => [f.id, f]));
  const modelsById = new Map(models.map((m) => [m.id, m]));
  const base: ParamSpecs = {
    ...composedParams,
    model: {
      ...composedParams.model,
      values: [...modelsById.keys()],
      description: `the forecast model, by id: ${[...modelsById.keys()].join(', ')} (its parameters follow, flat)`,
    },
    // The list of usable features is the registry's, so `backtest list` shows plugins' ones too.
    features: { ...composedParams.features, description: `model inputs besides close, by name: ${[...byId.keys()].join(', ')}` },
  };
  for (const m of models) withModel(base, m);
  const params = base as typeof composedParams;
  const modelOf = (raw: Readonly<Record<string, RawParamValue>>): ModelPlugin | undefined => {
    const id = Object.hasOwn(raw, 'model') ? String(raw.model) : composedParams.model.default;
    return modelsById.get(id);
  };
  return defineStrategy({
    id: 'forecast',
    description: 'Forecast of next close (or its direction) by a registered model on features chosen by name; long when it beats the close',
    kind: 'forecast',
    params,
    // An unknown model id leaves the specs as they are: resolving them then names it, with a hint.
    stochastic: (p) => modelsById.get(p.model)?.deterministic !== true,
    paramsFor: (raw) => {
      const model = modelOf(raw);
      return withAllocation(forTarget(model ? withModel(params, model) : params, raw.target), raw);
    },
    create: (p, context) => {
      if (allocationOf(p).allocation === 'rotation')
        throw new UserError('strategy "forecast": allocation=rotation chooses among the assets of a universe: give at least two (--universe a,b,...)');
      return createComposed(p, context);
    },
    createUniverse: (p, context) => {
      const { assets } = context;
      const own = (asset: string) => ({ ...context, seed: assetSeed(context.seed, asset) });
      const { allocation, top } = allocationOf(p);
      if (allocation !== 'rotation') return eachAsset(assets, (asset) => createComposed(p, own(asset)));
      if (top >= assets.length) {
        throw new UserError(
          `strategy "forecast": allocation=rotation with top=${top} holds every asset of the ${assets.length} in the universe; choose top below ${assets.length} (or allocation=timing)`,
        );
      }
      return rotation(
        assets,
        assets.map((asset) => createComposed(p, own(asset))),
        top,
      );
    },
  });

  /** The strategy of the chosen model and features on one asset. */
  function createComposed(p: Composed, context: StrategyContext): ForecastStrategy {
    const chosen = p.features.split(',').map((id) => {
      const f = byId.get(id);
      if (!f) {
        const ids = [...byId.keys()];
        throw new UserError(`strategy "forecast": unknown feature "${id}"${didYouMean(id, ids)}; registered features: ${ids.join(', ')}`);
      }
      return f;
    });
    if (new Set(chosen).size !== chosen.length) throw new UserError(`strategy "forecast": feature list "${p.features}" names a feature twice`);
    const model = modelsById.get(p.model)!;
    return composedStrategy('forecast', p, model, modelValues(model, p), chosen, context);
  }
}

/** The allocation parameters' values (declared only when given: `withAllocation`). */
function allocationOf(p: Readonly<Record<string, unknown>>): { allocation: string; top: number } {
  return { allocation: typeof p.allocation === 'string' ? p.allocation : 'timing', top: typeof p.top === 'number' ? p.top : 1 };
}

/**
 * The allocation parameters, when they are given: `allocation` (and `top`, with rotation). Only
 * then, so that a run that does not use them records the parameters it always did.
 */
function withAllocation(specs: ParamSpecs, raw: Readonly<Record<string, RawParamValue>>): ParamSpecs {
  if (!Object.hasOwn(raw, 'allocation')) {
    if (Object.hasOwn(raw, 'top'))
      throw new UserError('strategy "forecast": parameter "top" is the number of assets allocation=rotation holds; give --param allocation=rotation with it');
    return specs;
  }
  const { allocation, top } = allocationParams;
  if (raw.allocation !== 'rotation' && Object.hasOwn(raw, 'top')) {
    throw new UserError(`strategy "forecast": parameter "top" applies to allocation=rotation, not allocation=${String(raw.allocation)}`);
  }
  return { ...specs, allocation, ...(raw.allocation === 'rotation' ? { top } : {}) };
}

/**
 * Rotation: at each decision, the `top` assets whose forecasts (the implied return, or the
 * probability of a rise) are highest, at 1/top each (ties to the earlier asset); an asset
 * without a forecast (undefined features) is not ranked, and its slice stays in cash.
 */
function rotation(assets: readonly string[], inner: readonly ForecastStrategy[], top: number): Strategy {
  return overAssets(assets, inner, (view) => {
    const ranked: { i: number; score: number }[] = [];
    inner.forEach((s, i) => {
      s.decide(view.asset(i));
      const score = s.scoreAt(view.index);
      if (score !== undefined && Number.isFinite(score)) ranked.push({ i, score });
    });
    ranked.sort((a, b) => b.score - a.score || a.i - b.i);
    const w = new Float64Array(assets.length);
    for (const { i } of ranked.slice(0, top)) w[i] = 1 / top;
    return w;
  });
}

function sizingFor(id: string, p: Composed, target: ForecastTarget): Sizing {
  if (target === 'direction' && p.sizing === 'proportional') {
    throw new UserError(`strategy "${id}": sizing=proportional needs a forecast return; target=direction forecasts a probability (use sizing=binary with a threshold)`);
  }
  return sizingFrom(p);
}

/** The strategy of a model on chosen features (the composition itself, shared with the presets). */
function composedStrategy(
  id: string,
  p: Composed,
  model: ModelPlugin,
  modelParams: ParamValues<ParamSpecs>,
  chosen: readonly FeatureBuilder[],
  context: StrategyContext,
): ForecastStrategy {
  const featureSet = composeFeatures(chosen, p.window);
  const target = p.target as ForecastTarget;
  const select = selectionOf(id, p.select, model, modelParams);
  let strategy: ForecastStrategy;
  try {
    strategy = createForecastStrategy({
      id,
      features: featureSet,
      model: { plugin: model, params: modelParams },
      target,
      refit: p.refit,
      window: trainingWindowFrom(p),
      minTrain: p.minTrain,
      sizing: sizingFor(id, p, target),
      defaultTestStart: '1991-01',
      context,
      ...(context.ensemble !== undefined && context.ensemble > 1 ? { members: context.ensemble } : {}),
      ...(select ? { select } : {}),
      indicators: (view) => chosen.flatMap((f) => (f.indicator ? [f.indicator(view.closes(), p.window, context.frequency)] : [])),
    });
  } catch (e) {
    throw named(e, id);
  }
  return namingFits(strategy, id, p.refit);
}

/**
 * The candidates of `--select "hidden=5|10;epochs=10|20"`: the model's parameters with each
 * combination of the alternatives, checked like any parameter of the model; and the fraction of
 * each fit's latest training rows held out to score them (the model's `validation` when it has
 * one above 0, else 0.2).
 */
function selectionOf(id: string, spec: string, model: ModelPlugin, base: ParamValues<ParamSpecs>): ForecastStrategyOptions['select'] {
  if (spec === '') return undefined;
  const points = parseAlternatives(spec, '--select');
  const names = Object.keys(model.params);
  for (const name of Object.keys(points[0] ?? {})) {
    if (!names.includes(name)) {
      throw new UserError(
        `strategy "${id}": --select: "${name}" is not a parameter of model "${model.id}"${didYouMean(name, names)}; its parameters are: ${names.join(', ') || 'none'}`,
      );
    }
  }
  if (points.length < 2) throw new UserError(`strategy "${id}": --select "${spec}" gives one candidate; give at least two alternatives (a|b)`);
  const candidates = points.map((point) => ({
    label: Object.entries(point)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    params: resolveParams(`model "${model.id}" (--select)`, model.params, { ...(base as Record<string, RawParamValue>), ...point }),
  }));
  const validation = typeof base['validation'] === 'number' && base['validation'] > 0 ? base['validation'] : 0.2;
  return { candidates, validation };
}

/** A user error of the model (a network too big, a bad lookback) said as the strategy's. */
function named(e: unknown, id: string): unknown {
  if (e instanceof UserError && !(e instanceof NetworkDivergedError) && !e.message.startsWith(`strategy "${id}"`) && !e.message.startsWith(`${id}:`)) {
    return new UserError(`strategy "${id}": ${e.message}`);
  }
  return e;
}

/**
 * The strategy, with a fit that diverged named as the user sees the walk: the strategy, the
 * fit's number and the period it was refitted at (`strategy "nn-sma": fit 3 (refit at
 * 1994-01) diverged at epoch 2 ...`). Fit j was trained at the j-th refit view, one every
 * `refit` views. Other user errors of a fit (a network too big) name the strategy.
 */
function namingFits(strategy: ForecastStrategy, id: string, refit: number): ForecastStrategy {
  const prepare = strategy.prepare!.bind(strategy);
  return {
    ...strategy,
    async prepare(views) {
      try {
        await prepare(views);
      } catch (e) {
        if (!(e instanceof NetworkDivergedError)) throw named(e, id);
        const at = e.details.fit === undefined ? undefined : views[e.details.fit * refit]?.label;
        throw e.withContext({ strategy: id, ...(at !== undefined ? { refit: at } : {}) });
      }
    },
  };
}

/**
 * A named preset of the composed strategy: a fixed model and feature list, the other
 * parameters as `forecast` has them (the target is the price's) and the model's. `nn-sma` and
 * `ols-sma` are presets, so they are `forecast model=nn|ols features=sma` by construction.
 */
export function forecastPreset(preset: { id: string; description: string; model: ModelPlugin; features: readonly FeatureBuilder[] }): StrategyPlugin {
  const { model: _model, features: _features, target: _target, ...rest } = composedParams;
  const params = withModel(rest, preset.model);
  return defineStrategy({
    id: preset.id,
    description: preset.description,
    kind: 'forecast',
    params,
    stochastic: () => preset.model.deterministic !== true,
    create: (p, context) =>
      composedStrategy(
        preset.id,
        { ...p, model: preset.model.id, features: preset.features.map((f) => f.id).join(','), target: 'price' } as Composed,
        preset.model,
        modelValues(preset.model, p),
        preset.features,
        context,
      ),
  });
}
