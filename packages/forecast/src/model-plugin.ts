/**
 * The model plugin API: a forecasting model that any forecast strategy can use by name
 * (`backtest --strategy forecast --param model=ID`), collected through one inversify
 * multi-binding like strategies and features.
 *
 * A plugin declares an id, a description, typed parameters with defaults (passed flat:
 * `--param units=32`), the input it takes (one feature row, or a sequence of the last
 * `lookback` rows) and the targets it can learn, and creates one fresh model per walk-forward
 * fit. The framework builds the training samples (no row after the decision month), seeds each
 * fit from the run's seed and the fit's number (`fitSeed`), and turns the forecasts into
 * positions; a model only fits and predicts.
 */
import { ContainerModule, type ModelFiles, type ModelInfo, type ParamSpecs, type ParamValues } from '@backtest/core';

/** The inversify service identifier that collects every model plugin (a multi-binding). */
export const ModelPlugin = Symbol.for('backtest.ModelPlugin');

/** What a model learns: the next close (scaled; see FeatureSet), or whether it rises (1) or not (0). */
export type ForecastTarget = 'price' | 'direction';

/**
 * Training or forecast samples, row-major: sample r, step k, feature c is
 * `data[(r * steps + k) * cols + c]`. `steps` is 1 for a model of input `row`; for a model of
 * input `sequence` it is the lookback, step `steps - 1` being the decision month's row.
 */
export interface Samples {
  readonly rows: number;
  readonly steps: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** What the framework tells a model about one fit. */
export interface ModelSettings {
  /** Features per step (close first, then the feature builders', in order). */
  readonly inputs: number;
  /** 1 for a row model; the lookback for a sequence model. */
  readonly steps: number;
  /** `direction`: targets are 0/1 and `predict` returns probabilities in [0, 1]. */
  readonly target: ForecastTarget;
  /** This fit's seed (`fitSeed(run seed, fit)`): every random draw of the fit must come from it. */
  readonly seed: number;
  /** The fit's number in the walk (0 first). */
  readonly fit: number;
  /** Requested TensorFlow.js backend (`auto` unless the user chose). */
  readonly backend: string;
}

export interface ModelFitOutcome {
  /** Per-epoch losses (empty for closed-form models). */
  readonly history: { readonly loss: readonly number[]; readonly valLoss?: readonly number[] };
}

/** One fit's model: created unfitted, fitted once, then asked for forecasts. */
export interface ForecastModel {
  fit(x: Samples, y: Float64Array): ModelFitOutcome | Promise<ModelFitOutcome>;
  /** One value per sample: a scaled price (target `price`) or a probability (`direction`). */
  predict(x: Samples): Float64Array | Promise<Float64Array>;
  /** What the model is and what it ran on, asked after its fit (the backend is known then). */
  info?(): Omit<ModelInfo, 'kind' | 'features'>;
  /** The fitted model's files by name, for `--save-models`; without it the run warns that it cannot save. */
  files?(): ModelFiles;
  /** Frees native memory (TensorFlow.js tensors). */
  dispose?(): void;
}

export interface ModelPlugin<S extends ParamSpecs = ParamSpecs> {
  /** Used as `--param model=<id>`. Lower-case letters, digits and dashes. */
  readonly id: string;
  readonly description: string;
  /**
   * `row`: the decision month's feature row. `sequence`: the last `lookback` rows (the plugin
   * must then declare an integer parameter `lookback`).
   */
  readonly input: 'row' | 'sequence';
  /** The targets it can learn. @default ['price'] */
  readonly targets?: readonly ForecastTarget[];
  /** A closed-form model (least squares): its fits draw no random numbers, so the seed changes nothing. @default false */
  readonly deterministic?: boolean;
  /** Its parameters, passed flat with the strategy's (a name both declare is refused at registration). */
  readonly params: S;
  /**
   * The file whose default export is a container module binding this plugin: worker threads load
   * it to build the model, so the fits of a run with `--threads 2` train beside each other.
   * Without it every fit runs in the main thread (the same numbers, one at a time).
   */
  readonly module?: string;
  /** Set by the registry for a model a plugin brought: the plugin's name, for messages. */
  readonly origin?: string;
  /**
   * Rough cost of one fit on `rows` samples, in multiply-adds: fits whose total is small train in
   * the main thread (starting a worker costs more than it saves). Without it, fits of a plugin
   * with a `module` always go to the workers when the run has more than one thread.
   */
  work?(params: ParamValues<S>, settings: ModelSettings, rows: number): number;
  /**
   * Fits that train together (lockstep): fits whose `key` is equal (and defined) may be handed to
   * `fit` together, `size` at most at once, in job order; `fit` trains models this plugin's
   * `create` made, each on its own samples, and returns for each the outcome (or the error) its
   * own `fit` would have given: the same numbers, only sooner. Without it, or for a fit whose key
   * is undefined, every fit trains alone. The same groups form on any number of threads (a group
   * is one unit of work for a worker), so results do not depend on the thread count either way.
   */
  readonly lockstep?: {
    readonly size: number;
    key(params: ParamValues<S>, settings: ModelSettings): string | undefined;
    fit(
      models: readonly ForecastModel[],
      samples: readonly { readonly x: Samples; readonly y: Float64Array }[],
    ): PromiseSettledResult<ModelFitOutcome>[] | Promise<PromiseSettledResult<ModelFitOutcome>[]>;
  };
  /** Refuses impossible parameters (a network too big for memory) when the strategy is created, before any fit. */
  check?(params: ParamValues<S>, settings: ModelSettings): void;
  create(params: ParamValues<S>, settings: ModelSettings): ForecastModel;
}

/** Helper for plugin authors: keeps the parameter types of `params` in `create`, and checks the shape. */
export function defineModel<S extends ParamSpecs>(plugin: ModelPlugin<S>): ModelPlugin<S> {
  if (!/^[a-z][a-z0-9-]*$/.test(plugin.id)) throw new Error(`model id "${plugin.id}" must be lower-case letters, digits and dashes, starting with a letter`);
  if (plugin.input === 'sequence' && plugin.params.lookback?.type !== 'integer') {
    throw new Error(`model "${plugin.id}" takes a sequence: it must declare an integer parameter "lookback"`);
  }
  return plugin;
}

/**
 * The seed of fit `fit` of a run seeded `seed`: one derivation for every model, so fit 1 of
 * seed 42 is not fit 0 of seed 43 (as `seed + fit` made it). A 32-bit finaliser (murmur3's
 * fmix32) of the two, mixed in turn: nearby inputs give unrelated seeds.
 */
export function fitSeed(seed: number, fit: number): number {
  const mix = (h: number): number => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return mix((mix(seed >>> 0) ^ Math.imul((fit >>> 0) + 1, 0x9e3779b9)) >>> 0);
}

/**
 * The container module that registers model plugins: bound into the one `ModelPlugin`
 * multi-binding, they become usable by name in the `forecast` strategy (`--param model=...`).
 * A plugin package exports one as its default (or beside its strategies and features).
 */
export function modelModule(...models: readonly ModelPlugin[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const m of models) bind<ModelPlugin>(ModelPlugin).toConstantValue(m as ModelPlugin);
  });
}
