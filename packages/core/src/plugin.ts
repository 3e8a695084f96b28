/**
 * The strategy plugin API: everything a plugin author implements, in one place.
 *
 * A plugin is a factory (`StrategyPlugin`) that declares an id, a description and typed
 * parameters, and creates a `Strategy` for one run. The engine then walks forward: for every
 * decision row t it hands the strategy a `MarketView` of rows 0..t and receives a target
 * weight in [-1, 1] (1 = fully long, 0 = cash, -1 = fully short), held over row t+1.
 *
 * On a universe of several assets (`--universe sp500,ndx,gold`), a strategy without
 * `createUniverse` is created once per asset, each instance seeing its own asset alone, and each
 * asset is held at 1/N of its instance's weight (`eachAsset`): the 10-month SMA becomes Faber's
 * tactical allocation. A strategy with `createUniverse` sees every asset (`view.asset(name)`) and
 * returns a weight per asset (`AssetWeights`).
 *
 * Hooks of a Strategy, in the order the engine calls them:
 *  1. `prepare(views)` (optional, async): once, before the walk, with the view of every
 *     decision row. For work that is cheaper done together (training many walk-forward models
 *     in parallel); each view still shows only its own rows.
 *  2. `decide(view)`: once per decision row, in order. Returns the weight.
 *  3. `finish()` (optional): once, after the walk, for the strategy's own outputs (forecasts,
 *     model fits, training histories, the model it used) that reports and JSON include.
 *  4. `indicators(view)` (optional): once, after `finish`, with the view of every row of the
 *     run's range, for what the report draws beside the price (see `Indicator`). A strategy
 *     declaring none gets the price alone.
 */
import type { SharedWork } from './shared-work';
import type { MarketView } from './market-view';
import { type ParamSpecs, type ParamValues, type RawParamValue, resolveParams } from './params';
import type { Frequency } from './series';

/** The inversify service identifier that collects every strategy plugin (a multi-binding). */
export const StrategyPlugin = Symbol.for('backtest.StrategyPlugin');

export interface StrategyPlugin<S extends ParamSpecs = ParamSpecs> {
  /** Unique id used on the command line: `backtest --strategy <id>`. Lower-case, digits, dashes. */
  readonly id: string;
  readonly description: string;
  /** `rule`: a function of prices; `forecast`: trains a model; `benchmark`: buy-and-hold. */
  readonly kind: 'rule' | 'forecast' | 'benchmark';
  readonly params: S;
  /**
   * Parameters that depend on the values given: the specs `raw` is checked against and filled
   * from, when they are more than `params` (the composed forecast strategy adds the chosen
   * model's). `create` receives values of these. Default: `params`.
   */
  paramsFor?(raw: Readonly<Record<string, RawParamValue>>): ParamSpecs;
  /**
   * Whether a run with these parameters draws random numbers (trains a network), so that its
   * result depends on the seed and `--seeds N` runs it under N of them. Default: true for a
   * `forecast` strategy, false for the others.
   */
  stochastic?(params: ParamValues<S>): boolean;
  /** What the strategy needs from the data. */
  readonly needs?: StrategyNeeds;
  /**
   * Whether the weights may sum, in absolute value, above 1 (borrowing, paying the cash rate on
   * what is borrowed); `--max-leverage` then bounds the sum. Default false: the sum is at most 1.
   */
  readonly leverage?: boolean;
  create(params: ParamValues<S>, context: StrategyContext): Strategy;
  /**
   * The strategy over a universe of several assets (`context.assets`), whose `decide` returns a
   * weight per asset. Optional: without it each asset is timed by its own `create` at 1/N.
   */
  createUniverse?(params: ParamValues<S>, context: UniverseContext): Strategy;
}

/** The context of a strategy over a universe: the assets, in the order of its weights. */
export interface UniverseContext extends StrategyContext {
  readonly assets: readonly string[];
}

export interface StrategyNeeds {
  /** Extra columns the data must have (besides close). */
  readonly columns?: readonly string[];
  /** Frequencies the strategy supports (default: any). */
  readonly frequencies?: readonly Frequency[];
}

/** Run-wide settings a strategy may use. */
export interface StrategyContext {
  readonly frequency: Frequency;
  /** The run's seed: every random draw of a strategy must come from it. */
  readonly seed: number;
  /** Worker threads the strategy may use for independent work. */
  readonly threads: number;
  /** Requested TensorFlow.js backend (`auto` unless the user chose). */
  readonly backend: string;
  /** Reports progress of long work (a no-op unless the terminal shows a bar). */
  readonly progress: ProgressReporter;
  /** Records a warning that the output will show. */
  warn(message: string): void;
  /**
   * Keep every fitted model (`StrategyOutput.savedModels`), for a run that saves them
   * (`backtest --save-models`). Off (undefined) by default: a strategy then reads back no
   * weights, so a run without it does no extra work.
   */
  readonly saveModels?: boolean;
  /**
   * `--seeds N --ensemble`: average the forecasts of the models of the seeds seed, ..., seed+N-1
   * into one (a forecast strategy that supports it; the others ignore it). Undefined or 1: one model per fit.
   */
  readonly ensemble?: number;
  /**
   * Work shared with the other strategies of the same command (a compare's configurations, a
   * run's seeds): a strategy keeps here what is a function of its key and of rows it checks, so
   * that another one on the same rows reuses it (a forecast strategy's samples, which do not
   * depend on its model). Undefined: nothing is shared.
   */
  readonly shared?: SharedWork;
}

export interface ProgressReporter {
  start(label: string, total: number): void;
  tick(n?: number): void;
  stop(): void;
  /** A short note shown beside the count (a sweep's jobs running elsewhere); optional. */
  status?(text: string): void;
}

export const silentProgress: ProgressReporter = { start() {}, tick() {}, stop() {} };

export interface Strategy {
  /**
   * Rows (including the current one) the strategy needs before its first decision: the engine
   * makes the first decision at row `minHistory - 1`, or at the test start if later.
   */
  readonly minHistory: number;
  /** The label of this strategy's default first decision row (e.g. `1991-01`), if any. */
  readonly defaultTestStart?: string;
  prepare?(views: readonly MarketView[]): Promise<void>;
  /** The weight to hold over the next row: one number for one asset, a weight per asset on a universe. */
  decide(view: MarketView): number | AssetWeights;
  finish?(): StrategyOutput;
  /**
   * What the strategy's decisions look at, for the report to draw: one `Indicator` per series,
   * each with a value for every row of `view` (the run's whole range). A value at row t must
   * come from rows 0..t only, as a decision at t would see them: changing rows after t never
   * changes it (test/look-ahead.test.ts checks this of every registered strategy).
   *
   * ```ts
   * indicators: (view) => [{ name: '10-month SMA', pane: 'price', values: trailingSma(view.closes(), 10) }]
   * // -> values [NaN x 9, mean of closes 0..9, mean of closes 1..10, ...], drawn over the close
   * ```
   */
  indicators?(view: MarketView): readonly Indicator[];
}

/**
 * Weights of a universe's assets: in `view.assets` order, or by asset name (an asset not named
 * is held at 0). Each in [-1, 1]; the sum of their absolute values at most 1 unless the plugin
 * declares `leverage`. What the sum leaves is cash.
 */
export type AssetWeights = readonly number[] | Float64Array | Readonly<Record<string, number>>;

/**
 * A series the strategy computes from the data, drawn by the report and stored in the run
 * folder (a column `<pane>:<name>` of positions.csv).
 */
export interface Indicator {
  /** Legend text, unique within the strategy, e.g. `10-month SMA`. */
  readonly name: string;
  /** `price`: a level drawn over the close (an SMA); `own`: a chart of its own below it (an RSI). */
  readonly pane: 'price' | 'own';
  /** One value per row of the view, aligned with its rows; NaN where undefined (the warm-up). */
  readonly values: Float64Array;
}

/** What a strategy's model is, for the summary and the JSON (`backend`, `trainer`) and `backtest signal` (`kind`). */
export interface ModelInfo {
  /** The model's id (`ols`, `nn`, `lstm`, or a plugin's own). */
  readonly kind: string;
  /** The TensorFlow.js backend the fits ran on (`tensorflow`, `wasm`, `cpu`), or `none` when no TensorFlow.js was involved (the SIMD kernels). */
  readonly backend?: string;
  /** The training loop used (`simd`: our WebAssembly kernels; `tfjs`: TensorFlow.js). */
  readonly trainer?: string;
  /** Layer sizes from the inputs to the output, e.g. `2-10-1`. */
  readonly layers?: string;
  /** The model's inputs, comma-separated, e.g. `close,sma`. */
  readonly features?: string;
}

/** One forecast made at decision row t, for row t+1. */
export interface ForecastRecord {
  readonly label: string;
  /** Row t's close and the forecast of row t+1's close (NaN for a direction forecast, which has no price). */
  readonly close: number;
  readonly forecast: number;
  /** A direction forecast (`target=direction`): the probability that row t+1's close is above row t's. */
  readonly probability?: number;
  /** Features the model saw at t, by name. */
  readonly features?: Readonly<Record<string, number>>;
  /** Index of the fit that made the forecast. */
  readonly fit?: number;
  /** On a universe: the asset forecast (each asset has its own models and fits). */
  readonly asset?: string;
}

/** One epoch of one model fit. */
export interface TrainingRecord {
  readonly fit: number;
  /** On a universe: the asset whose model this is. */
  readonly asset?: string;
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss?: number;
}

/**
 * One model fit of the walk and the rows it trained on. Rows are named by their labels
 * (`YYYY-MM` monthly): a training row is the row whose features the model saw; its target is
 * the next row's close, so every training row is before the decision row.
 */
export interface FitRecord {
  /** Index of the fit (0 first), as in `ForecastRecord.fit` and `TrainingRecord.fit`. */
  readonly fit: number;
  /** On a universe: the asset whose model this is (fits are counted per asset). */
  readonly asset?: string;
  /** Label of the decision row at which the model was (re)fitted. */
  readonly decision: string;
  /** Labels of the first and last training row used. */
  readonly trainFrom: string;
  readonly trainTo: string;
  /**
   * Training rows the fit was given (rows with undefined features skipped). A network with
   * `validation` > 0 holds out the latest fraction of them to monitor early stopping.
   */
  readonly rows: number;
}

/** What a nested walk-forward selection chose at each refit, from the scores of its candidates there. */
export interface SelectionRecord {
  /** The candidates' labels, e.g. `hidden=5 epochs=10`. */
  readonly configurations: readonly string[];
  /** What scored them on the held-out rows (lower is better). */
  readonly metric: string;
  /** Fraction of each fit's latest training rows held out (at least 12 rows). */
  readonly validation: number;
  /** One per fit: its refit period, the candidate chosen, and every candidate's score, in `configurations` order. */
  readonly choices: readonly { readonly refit: string; readonly chosen: string; readonly scores: readonly number[]; readonly asset?: string }[];
}

/** Files of one saved model, by file name: what the model's `save(dir)` writes into `dir`. */
export type ModelFiles = Readonly<Record<string, string | Uint8Array>>;

/** The fitted model of one fit, kept when `StrategyContext.saveModels` is set. */
export interface SavedModel {
  /** The fit (`FitRecord.fit`) this model is. */
  readonly fit: number;
  /** What the model is (`ols`, `nn`), when the strategy knows. */
  readonly kind?: string;
  /** e.g. `model.json` + `weights.bin` (TensorFlow.js layers format) or `ols.json`. */
  readonly files: ModelFiles;
}

export interface StrategyOutput {
  readonly forecasts?: readonly ForecastRecord[];
  readonly training?: readonly TrainingRecord[];
  /** Number of models trained. */
  readonly fits?: number;
  /** Forecast strategies: every model fit of the walk, in fit order, with the rows it trained on. */
  readonly models?: readonly FitRecord[];
  /** Every fit's fitted model, in fit order; only when `StrategyContext.saveModels` asked for them. */
  readonly savedModels?: readonly SavedModel[];
  /** Forecast strategies: what the model is, and what it ran on. */
  readonly model?: ModelInfo;
  /** Nested walk-forward selection (`--select`): the candidates, and what each fit chose and why. */
  readonly selection?: SelectionRecord;
}

/**
 * A strategy's parameter values from what the user gave: checked against its specs for these
 * values (`paramsFor`, else `params`), defaults filled in. Every place that creates a strategy
 * resolves its parameters here, so a flag, a config file and a grid point are checked alike.
 */
export function strategyParams(plugin: StrategyPlugin, raw: Readonly<Record<string, RawParamValue>>, owner = `strategy "${plugin.id}"`): ParamValues<ParamSpecs> {
  return resolveParams(owner, plugin.paramsFor ? plugin.paramsFor(raw) : plugin.params, raw);
}

/** Helper for plugin authors: keeps the parameter types of `params` in `create`. */
export function defineStrategy<S extends ParamSpecs>(plugin: StrategyPlugin<S>): StrategyPlugin<S> {
  if (!/^[a-z][a-z0-9-]*$/.test(plugin.id)) {
    throw new Error(`strategy id "${plugin.id}" must be lower-case letters, digits and dashes, starting with a letter`);
  }
  return plugin;
}
