import type {
  FitRecord,
  ForecastRecord,
  Indicator,
  MarketView,
  ModelFiles,
  ModelInfo,
  SavedModel,
  Strategy,
  StrategyContext,
  StrategyOutput,
  TrainingRecord,
} from '@backtest/core';
import { UserError } from '@backtest/core';
import type { FeatureSet } from './features';
import { type TrainingWindow, trainingRows } from './schedule';
import { type Sizing, weightFromForecast } from './sizing';

/** Row-major rows x cols values. */
type Packed = { rows: number; cols: number; data: Float64Array };
type History = { loss: readonly number[]; valLoss?: readonly number[] };

/** What the building block needs of a model: fit on packed rows, predict packed rows. */
export interface Regressor {
  fit(x: Packed, y: Float64Array): { history: History };
  predict(x: Packed): Float64Array;
  dispose(): void;
  /** What the model is (`ols`, `nn`), for the list of saved models. */
  readonly kind?: string;
  /**
   * The fitted model as the files its `save(dir)` writes, by name. Called after `fit` only
   * when the run keeps its models (`StrategyContext.saveModels`); a model without it cannot
   * be saved (the run warns).
   */
  files?(): ModelFiles;
}

export interface ForecastStrategyOptions {
  readonly features: FeatureSet;
  /** A fresh, unfitted model for fit number `fit` (seed it from the run seed and `fit`). */
  readonly model: (fit: number) => Regressor;
  /**
   * Optional: every fit of the walk at once (for example on worker threads). Fit `fits[i].fit`
   * must be the model `model(fit)` would train on `x`, `y`; it returns one prediction per row of
   * `predict`, in job order. Call `done` as each fit finishes (progress only). When given, the
   * walk trains everything in `prepare` and `decide` reads the forecasts.
   */
  readonly fitBatch?: (
    fits: readonly { readonly fit: number; readonly x: Packed; readonly y: Float64Array; readonly predict: Packed }[],
    done: () => void,
    /**
     * Given (as `{ keepModels: true }`) only when the run keeps its models: each result must
     * then carry its fitted model's files as `model` (see `Regressor.files`).
     */
    options?: { readonly keepModels: boolean },
  ) => Promise<
    readonly { readonly predictions: Float64Array; readonly history: History; readonly model?: { readonly kind?: string; readonly files: ModelFiles } }[]
  >;
  /** Refit every `refit` decisions (1 = every period). */
  readonly refit: number;
  readonly window: TrainingWindow;
  /** Fewest training rows a fit may use. */
  readonly minTrain: number;
  readonly sizing: Sizing;
  readonly defaultTestStart?: string;
  /** Asynchronous set-up before the first sequential fit (for example choosing a TensorFlow.js backend); a `fitBatch` sets up its own threads. */
  readonly setup?: () => Promise<void>;
  /** What the model is, asked in `finish` (after the fits: the backend is known then). */
  readonly modelInfo?: () => ModelInfo;
  /** The strategy's indicators (`Strategy.indicators`), typically its features' unscaled indicators. */
  readonly indicators?: (view: MarketView) => readonly Indicator[];
  readonly context: StrategyContext;
  readonly id: string;
}

/** A decision's features, and the scaling that turns a prediction back into a price. */
interface FeatureRow {
  readonly x: Float64Array;
  readonly center: number;
  readonly scale: number;
  readonly names: readonly string[];
}

/**
 * Features -> model -> forecast -> weight, walk-forward. At a refit decision t the model is
 * trained on every row s whose target (close at s+1) is known at t, i.e. s <= t-1, within the
 * training window; between refits the last model forecasts. A forecast at t uses row t's
 * features only and is turned back into a price with row t's scaling.
 *
 * Two paths with the same numbers: sequential (fit in `decide` at each refit) and, when
 * `fitBatch` is given, batched: `prepare` builds each fit's training rows from its refit view
 * and each decision's features from that decision's view (the very functions the sequential
 * path uses, so no view sees more than its own rows), runs every fit through `fitBatch`, and
 * `decide` reads the forecast made for its view.
 */
export function createForecastStrategy(o: ForecastStrategyOptions): Strategy {
  const forecasts: ForecastRecord[] = [];
  const training: TrainingRecord[] = [];
  /** Each fit's decision row and first and last training rows, as row indices (named in `finish`). */
  const fitRows: { decision: number; from: number; to: number; rows: number }[] = [];
  /** With `context.saveModels` only: every fit's model, as files. */
  const keepModels = o.context.saveModels === true;
  const savedModels: SavedModel[] = [];
  let unsaved = 0;
  /** The latest view seen: its labels name every row a fit trained on (all before it). */
  let latest: MarketView | undefined;
  let model: Regressor | undefined;
  let decisions = 0;
  let fits = 0;
  let skipped = 0;
  /** Batched path: forecast and fit index by decision row (view.index). */
  let planned: Map<number, { fit: number; prediction: number }> | undefined;
  const minHistory = o.features.warmup + o.minTrain + 1;

  /**
   * Training rows of a refit at `view`: rows with a known target, within the window; `from`
   * and `to` are the first and last row used.
   */
  function trainingSet(view: MarketView): { x: Packed; y: Float64Array; from: number; to: number } {
    const closes = view.closes();
    const rows = o.features.build(closes);
    const t = view.index;
    const { start, end } = trainingRows(rows.firstComplete, t, o.window);
    const cols = rows.names.length;
    const xs: number[] = [];
    const ys: number[] = [];
    let from = -1;
    let to = -1;
    for (let s = start; s < end; s++) {
      const y = (closes[s + 1]! - rows.center[s]!) / rows.scale[s]!;
      let ok = Number.isFinite(y);
      for (let c = 0; c < cols && ok; c++) ok = Number.isFinite(rows.data[s * cols + c]!);
      if (!ok) continue;
      for (let c = 0; c < cols; c++) xs.push(rows.data[s * cols + c]!);
      ys.push(y);
      if (from < 0) from = s;
      to = s;
    }
    if (ys.length < o.minTrain) {
      const undefinedRows = end - start - ys.length;
      const why = undefinedRows > 0 ? ` (${undefinedRows} of the ${end - start} rows have undefined features: a flat price window leaves the scaling undefined)` : '';
      throw new UserError(
        `${o.id}: only ${ys.length} training rows at ${view.label}${why}; it needs at least ${o.minTrain} (set --test-start later or lower minTrain)`,
      );
    }
    return { x: { rows: ys.length, cols, data: Float64Array.from(xs) }, y: Float64Array.from(ys), from, to };
  }

  /** The features of the view's last row, or undefined when they or its scaling are not finite. */
  function featureRow(view: MarketView): FeatureRow | undefined {
    const closes = view.closes(Math.min(view.length, o.features.historyRows ?? 4 * o.features.warmup + 4));
    const rows = o.features.build(closes);
    const last = closes.length - 1;
    const cols = rows.names.length;
    const x = rows.data.slice(last * cols, last * cols + cols);
    if (!x.every(Number.isFinite) || !Number.isFinite(rows.scale[last]!) || rows.scale[last] === 0) return undefined;
    return { x, center: rows.center[last]!, scale: rows.scale[last]!, names: rows.names };
  }

  function record(history: History, fit: number): void {
    history.loss.forEach((loss, i) => training.push({ fit, epoch: i + 1, loss, ...(history.valLoss ? { valLoss: history.valLoss[i]! } : {}) }));
  }

  /** Keeps fit `fit`'s model for saving (files undefined: this model cannot be saved). */
  function keep(fit: number, kind: string | undefined, files: ModelFiles | undefined): void {
    if (files) savedModels.push({ fit, ...(kind ? { kind } : {}), files });
    else unsaved++;
  }

  function refit(view: MarketView): void {
    const { x, y, from, to } = trainingSet(view);
    model?.dispose();
    model = o.model(fits);
    record(model.fit(x, y).history, fits);
    fitRows.push({ decision: view.index, from, to, rows: y.length });
    if (keepModels) keep(fits, model.kind, model.files?.());
    fits++;
    o.context.progress.tick();
  }

  async function prepareBatch(views: readonly MarketView[], fitBatch: NonNullable<ForecastStrategyOptions['fitBatch']>): Promise<void> {
    const jobs: { fit: number; x: Packed; y: Float64Array; rows: number[]; features: number[] }[] = [];
    views.forEach((view, k) => {
      if (k % o.refit === 0) {
        const { x, y, from, to } = trainingSet(view);
        jobs.push({ fit: jobs.length, x, y, rows: [], features: [] });
        fitRows.push({ decision: view.index, from, to, rows: y.length });
      }
      const row = featureRow(view);
      if (!row) return;
      const job = jobs[jobs.length - 1]!;
      job.rows.push(view.index);
      job.features.push(...row.x);
    });
    o.context.progress.start(`${o.id}: model fits`, jobs.length);
    const cols = o.features.names.length;
    const batch = jobs.map((j) => ({ fit: j.fit, x: j.x, y: j.y, predict: { rows: j.rows.length, cols, data: Float64Array.from(j.features) } }));
    const tick = (): void => o.context.progress.tick();
    const results = await (keepModels ? fitBatch(batch, tick, { keepModels: true }) : fitBatch(batch, tick));
    if (results.length !== jobs.length) throw new Error(`${o.id}: the batch fitter returned ${results.length} results for ${jobs.length} fits`);
    planned = new Map();
    jobs.forEach((job, i) => {
      const r = results[i]!;
      if (r.predictions.length !== job.rows.length) throw new Error(`${o.id}: fit ${i} returned ${r.predictions.length} forecasts for ${job.rows.length} rows`);
      record(r.history, i);
      if (keepModels) keep(i, r.model?.kind, r.model?.files);
      job.rows.forEach((t, k) => planned!.set(t, { fit: i, prediction: r.predictions[k]! }));
    });
    fits = jobs.length;
    latest = views[views.length - 1];
  }

  return {
    minHistory,
    ...(o.defaultTestStart ? { defaultTestStart: o.defaultTestStart } : {}),
    ...(o.indicators ? { indicators: o.indicators } : {}),
    async prepare(views) {
      if (o.fitBatch) return prepareBatch(views, o.fitBatch);
      await o.setup?.();
      o.context.progress.start(`${o.id}: model fits`, Math.ceil(views.length / o.refit));
    },
    decide(view) {
      if (!latest || view.index > latest.index) latest = view;
      if (!planned && decisions % o.refit === 0) refit(view);
      decisions++;
      const row = featureRow(view);
      if (!row) {
        skipped++;
        return 0;
      }
      let pred: number;
      let fit = fits - 1;
      if (planned) {
        const p = planned.get(view.index);
        if (!p) throw new Error(`${o.id}: decide(${view.label}) was not among the views given to prepare`);
        ({ prediction: pred, fit } = p);
      } else {
        pred = model!.predict({ rows: 1, cols: row.x.length, data: row.x })[0]!;
      }
      const close = view.close();
      const forecast = pred * row.scale + row.center;
      const features: Record<string, number> = {};
      row.names.forEach((n, i) => (features[n] = row.x[i]!));
      forecasts.push({ label: view.label, close, forecast, features, fit });
      return weightFromForecast(forecast / close - 1, o.sizing);
    },
    finish(): StrategyOutput {
      model?.dispose();
      model = undefined;
      o.context.progress.stop();
      if (skipped) o.context.warn(`${o.id}: ${skipped} decisions had undefined features (flat price window) and stayed in cash`);
      if (unsaved) o.context.warn(`${o.id}: ${unsaved} of ${fits} fitted models could not be kept for saving (this model does not provide its files)`);
      const labels = fitRows.length ? latest!.labels() : [];
      const models: FitRecord[] = fitRows.map((f, fit) => ({
        fit,
        decision: labels[f.decision]!,
        trainFrom: labels[f.from]!,
        trainTo: labels[f.to]!,
        rows: f.rows,
      }));
      return { forecasts, training, fits, models, ...(keepModels ? { savedModels } : {}), ...(o.modelInfo ? { model: o.modelInfo() } : {}) };
    },
  };
}
