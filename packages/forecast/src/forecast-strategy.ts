import type {
  FitRecord,
  ForecastRecord,
  Indicator,
  MarketView,
  ModelInfo,
  ParamValues,
  ParamSpecs,
  SavedModel,
  Strategy,
  StrategyContext,
  StrategyOutput,
  TrainingRecord,
} from '@backtest/core';
import { UserError } from '@backtest/core';
import { type FeatureRows, type FeatureSet, prefixFeatures, sameValues } from './features';
import { fitSeed, type ForecastTarget, type ModelPlugin, type ModelSettings, type Samples } from './model-plugin';
import { type ModelJob, type ModelJobResult, runModelJobs } from './model-pool';
import { type TrainingWindow, trainingRows } from './schedule';
import { type Sizing, weightFromForecast } from './sizing';

/**
 * Fits whose estimated work (multiply-adds, summed over the walk) is below this train in the main
 * thread even when the run has more threads: a worker thread costs its start-up and the loading
 * of the model's module, which small fits do not repay. The numbers are the same either way.
 * The environment variable BACKTEST_WORKER_MIN_WORK overrides it (0: workers whenever threads > 1).
 */
const WORKER_MIN_WORK = 1e10;

/** Fewest training rows a nested selection holds out to score its candidates. */
const SELECT_MIN_HELD = 12;

/** Training-sample values (doubles) a walk may hold at once: 2 GB. */
const MAX_SAMPLE_VALUES = 2.5e8;

export interface ForecastStrategyOptions {
  readonly features: FeatureSet;
  /** The model: a registered plugin and its resolved parameters. */
  readonly model: { readonly plugin: ModelPlugin; readonly params: ParamValues<ParamSpecs> };
  /** What the model learns. @default 'price' */
  readonly target?: ForecastTarget;
  /** Refit every `refit` decisions (1 = every period). */
  readonly refit: number;
  readonly window: TrainingWindow;
  /** Fewest training samples a fit may use. */
  readonly minTrain: number;
  /** How a forecast becomes a weight: of the forecast return (`price`), or of the probability (`direction`). */
  readonly sizing: Sizing;
  readonly defaultTestStart?: string;
  /**
   * An ensemble of this many members (`--seeds N --ensemble`): each fit trains the models of the
   * seeds seed, ..., seed+members-1 and forecasts their mean. @default 1
   */
  readonly members?: number;
  /**
   * Nested walk-forward selection (`--select`): the candidates' model parameters, and the
   * fraction of each fit's latest training samples held out to score them (at least 12).
   */
  readonly select?: { readonly candidates: readonly { readonly label: string; readonly params: ParamValues<ParamSpecs> }[]; readonly validation: number };
  /** The strategy's indicators (`Strategy.indicators`), typically its features' unscaled indicators. */
  readonly indicators?: (view: MarketView) => readonly Indicator[];
  readonly context: StrategyContext;
  readonly id: string;
}

/** The samples at the end of a view: the last `steps` feature rows, and the scaling back to a price. */
interface DecisionSample {
  readonly x: Float64Array;
  readonly center: number;
  readonly scale: number;
  readonly names: readonly string[];
}

/** A walk's samples (`prepare`): what its fits train on and forecast, by fit and by decision row. */
interface WalkSamples {
  /** Per fit: its training samples, and the decision rows it forecasts with their samples (row-major). */
  readonly fits: readonly { readonly fit: number; readonly x: Samples; readonly y: Float64Array; readonly rows: readonly number[]; readonly data: Float64Array }[];
  /** Each fit's decision row and first and last training rows, as row indices. */
  readonly fitRows: readonly { readonly decision: number; readonly from: number; readonly to: number; readonly rows: number }[];
  readonly samples: ReadonlyMap<number, DecisionSample>;
  /** Values (doubles) held, for the shared store's bound. */
  readonly size: number;
}

/** Threads for these jobs: the run's when their work is worth a worker, else 1 (in the main thread). */
export function threadsFor(plugin: ModelPlugin, jobs: readonly ModelJob[], threads: number, env: NodeJS.ProcessEnv = process.env): number {
  if (threads <= 1 || !plugin.module) return 1;
  const raw = env.BACKTEST_WORKER_MIN_WORK;
  const min = raw === undefined || raw === '' ? WORKER_MIN_WORK : Number(raw);
  if (!(min >= 0)) throw new UserError(`BACKTEST_WORKER_MIN_WORK must be a number >= 0, got "${raw}"`);
  if (!plugin.work) return threads;
  const work = jobs.reduce((sum, job) => sum + plugin.work!(job.model.params as ParamValues<ParamSpecs>, job.settings, job.x.rows), 0);
  return work > min ? threads : 1;
}

/**
 * Features -> model -> forecast -> weight, walk-forward. At a refit decision t the model is
 * trained on every row s whose target (close at s+1) is known at t, i.e. s <= t-1, within the
 * training window; between refits the last model forecasts. A sample at row s is the feature
 * row s (a row model) or rows s-L+1..s (a sequence model of lookback L), each built from the
 * view's rows up to s only; a forecast at t is turned back into a price with row t's scaling.
 *
 * Every fit runs in `prepare`: the training samples of each refit from its refit view, the
 * forecast sample of each decision from that decision's view (so no view sees more than its own
 * rows), fitted in the main thread or on worker threads (`runModelJobs`, the same numbers), and
 * `decide` reads the forecast made for its view. Fit i is seeded `fitSeed(run seed, i)`.
 */
/** A forecast strategy, with what its forecast was at each decision (for an allocation across assets). */
export interface ForecastStrategy extends Strategy {
  /**
   * The forecast behind the decision at row `index`, after `decide` of that row: the return the
   * forecast implies (target price) or the probability of a rise (target direction); undefined
   * where the features were undefined (the decision stayed in cash).
   */
  scoreAt(index: number): number | undefined;
}

export function createForecastStrategy(o: ForecastStrategyOptions): ForecastStrategy {
  const { plugin, params } = o.model;
  const target = o.target ?? 'price';
  if (!(plugin.targets ?? ['price']).includes(target)) {
    throw new UserError(`${o.id}: model "${plugin.id}" cannot learn target "${target}" (it learns: ${(plugin.targets ?? ['price']).join(', ')})`);
  }
  const steps = plugin.input === 'sequence' ? Number(params.lookback) : 1;
  if (!Number.isInteger(steps) || steps < 1) throw new UserError(`${o.id}: model "${plugin.id}": lookback must be a positive integer, got ${String(params.lookback)}`);
  const cols = o.features.names.length;
  const settingsOf = (fit: number): ModelSettings => ({ inputs: cols, steps, target, seed: fitSeed(o.context.seed, fit), fit, backend: o.context.backend });
  try {
    plugin.check?.(params, settingsOf(0));
  } catch (e) {
    if (e instanceof UserError || !plugin.origin) throw e;
    throw new UserError(`plugin ${plugin.origin}: model "${plugin.id}" failed in check(): ${e instanceof Error ? e.message : String(e)}`);
  }
  const forecasts: ForecastRecord[] = [];
  const training: TrainingRecord[] = [];
  /** Each fit's decision row and first and last training rows, as row indices (named in `finish`): the walk's, from `prepare`. */
  let fitRows: WalkSamples['fitRows'] = [];
  const keepModels = o.context.saveModels === true;
  const savedModels: SavedModel[] = [];
  let unsaved = 0;
  let info: Omit<ModelInfo, 'kind' | 'features'> | undefined;
  /** The latest view seen: its labels name every row a fit trained on (all before it). */
  let latest: MarketView | undefined;
  let skipped = 0;
  /** Forecast and fit index by decision row (view.index), from `prepare`. */
  let planned: Map<number, { fit: number; prediction: number }> | undefined;
  // A selection holds out at least 12 of the training rows to score its candidates: the first
  // decision waits for them too.
  const minHistory = o.features.warmup + steps - 1 + o.minTrain + (o.select ? SELECT_MIN_HELD : 0) + 1;

  /** Copies the `steps` feature rows ending at row s into `out` from `at`; false (nothing copied) when one is not finite. */
  function sampleAt(data: Float64Array, s: number, out: Float64Array, at: number): boolean {
    const from = (s - steps + 1) * cols;
    const to = (s + 1) * cols;
    if (from < 0) return false;
    for (let i = from; i < to; i++) if (!Number.isFinite(data[i]!)) return false;
    out.set(data.subarray(from, to), at);
    return true;
  }

  /**
   * Training samples of a refit at `view`: rows with a known target, within the window; `from`
   * and `to` are the first and last row used.
   */
  function trainingSet(view: MarketView, features: (closes: Float64Array) => FeatureRows): { x: Samples; y: Float64Array; from: number; to: number } {
    const closes = view.closes();
    const rows = features(closes);
    const { start, end } = trainingRows(rows.firstComplete + steps - 1, view.index, o.window);
    const width = steps * cols;
    const xs = new Float64Array(Math.max(0, end - start) * width);
    const ys = new Float64Array(Math.max(0, end - start));
    let n = 0;
    let from = -1;
    let to = -1;
    for (let s = start; s < end; s++) {
      const y = target === 'direction' ? (closes[s + 1]! > closes[s]! ? 1 : 0) : (closes[s + 1]! - rows.center[s]!) / rows.scale[s]!;
      if (!Number.isFinite(y) || !sampleAt(rows.data, s, xs, n * width)) continue;
      ys[n++] = y;
      if (from < 0) from = s;
      to = s;
    }
    if (n < o.minTrain) {
      const undefinedRows = end - start - n;
      const why = undefinedRows > 0 ? ` (${undefinedRows} of the ${end - start} rows have undefined features: a flat price window leaves the scaling undefined)` : '';
      throw new UserError(`${o.id}: only ${n} training rows at ${view.label}${why}; it needs at least ${o.minTrain} (set --test-start later or lower minTrain)`);
    }
    return { x: { rows: n, steps, cols, data: xs.subarray(0, n * width) }, y: ys.subarray(0, n), from, to };
  }

  /** The sample ending at the view's last row, or undefined when its features or scaling are not finite. */
  function decisionSample(view: MarketView, features: (closes: Float64Array) => FeatureRows): DecisionSample | undefined {
    const history = (o.features.historyRows ?? 4 * o.features.warmup + 4) + steps - 1;
    const closes = view.closes(Math.min(view.length, history));
    // The last `history` rows of a later view are no prefix of the walk's rows (`features`
    // would build them all): a row model takes their last row alone, where it can.
    if (steps === 1 && closes.length < view.length && o.features.buildLast) {
      const row = o.features.buildLast(closes);
      return sampleOf(row.data, 0, row.center, row.scale, o.features.names);
    }
    const rows = features(closes);
    const last = closes.length - 1;
    return sampleOf(rows.data, last, rows.center[last]!, rows.scale[last]!, rows.names);
  }

  /** The decision sample ending at feature row s, or undefined when a feature or the scaling is not finite (or the scale 0). */
  function sampleOf(data: Float64Array, s: number, center: number, scale: number, names: readonly string[]): DecisionSample | undefined {
    const x = new Float64Array(steps * cols);
    return sampleAt(data, s, x, 0) && Number.isFinite(scale) && scale !== 0 ? { x, center, scale, names } : undefined;
  }

  function record(history: ModelJobResult['history'], fit: number): void {
    history.loss.forEach((loss, i) => training.push({ fit, epoch: i + 1, loss, ...(history.valLoss ? { valLoss: history.valLoss[i]! } : {}) }));
  }

  /** Decision samples by row, kept from `prepare` for `decide` (the features it reports): the walk's. */
  let samples: ReadonlyMap<number, DecisionSample> = new Map();
  /** The rows of the views `prepare` was given. */
  const prepared = new Set<number>();
  /** Each decision's forecast, by row (`scoreAt`). */
  const scores = new Map<number, number>();

  /** Each fit's selection: the candidates' validation scores and the one chosen (named in `finish`). */
  const selections: { decision: number; scores: number[]; chosen: number }[] = [];

  /**
   * Nested walk-forward selection. For fit j, every candidate is fitted on the fit's training
   * samples less the latest `validation` block and scored on that block (mean squared error of
   * the scaled target, or log loss of the direction); the best is the fit's parameters. Every
   * sample used is a training sample of the fit: before its refit row.
   */
  async function selectParameters(
    select: NonNullable<ForecastStrategyOptions['select']>,
    fits: readonly { fit: number; x: Samples; y: Float64Array }[],
    modelOf: (p: ParamValues<ParamSpecs>) => ModelJob['model'],
    workOf: (job: ModelJob) => number,
    labelOf: (row: number) => string,
  ): Promise<ParamValues<ParamSpecs>[]> {
    const width = steps * cols;
    const split = fits.map((j) => {
      const held = Math.max(SELECT_MIN_HELD, Math.round(select.validation * j.y.length));
      const kept = j.y.length - held;
      if (kept < o.minTrain) {
        throw new UserError(
          `${o.id}: --select needs ${o.minTrain} training rows besides the ${held} it holds out to score the candidates, but the fit refitted at ${labelOf(fitRows[j.fit]!.decision)} has ${j.y.length}: use more training rows (trainWindow) or lower minTrain`,
        );
      }
      return { kept, held };
    });
    const scoring: ModelJob[] = fits.flatMap((j, k) =>
      select.candidates.map((c) => ({
        model: modelOf(c.params),
        settings: settingsOf(j.fit),
        x: { rows: split[k]!.kept, steps, cols, data: j.x.data.subarray(0, split[k]!.kept * width) },
        y: j.y.subarray(0, split[k]!.kept),
        predict: { rows: split[k]!.held, steps, cols, data: j.x.data.subarray(split[k]!.kept * width) },
      })),
    );
    o.context.progress.start(`${o.id}: selection fits`, scoring.length);
    const scored = await runModelJobs(scoring, {
      threads: threadsFor(plugin, scoring, o.context.threads),
      plugin,
      onResult: () => o.context.progress.tick(),
      ...(plugin.work ? { work: workOf } : {}),
    });
    o.context.progress.stop();
    const n = select.candidates.length;
    return fits.map((j, k) => {
      const actual = j.y.subarray(split[k]!.kept);
      const scores = select.candidates.map((_, c) => {
        const p = scored[k * n + c]!.predictions;
        let loss = 0;
        for (let i = 0; i < p.length; i++) {
          const y = actual[i]!;
          if (target === 'direction') {
            const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
            loss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
          } else loss += (p[i]! - y) ** 2;
        }
        return loss / p.length;
      });
      let best = 0;
      for (let c = 1; c < n; c++) if (scores[c]! < scores[best]!) best = c;
      selections.push({ decision: fitRows[j.fit]!.decision, scores, chosen: best });
      return select.candidates[best]!.params;
    });
  }

  /**
   * Every fit's training samples and every decision's sample of a walk, built from the views
   * alone. Every fit's samples are built before the first fit (so fits can run on any thread):
   * a walk whose samples would not fit in memory is refused here, naming what makes it big.
   */
  function buildWalkSamples(views: readonly MarketView[], closes: Float64Array): WalkSamples {
    let values = 0;
    views.forEach((view, k) => {
      if (k % o.refit === 0) values += Math.min(view.index, o.window.kind === 'rolling' ? o.window.rows : view.index) * steps * cols;
    });
    if (values > MAX_SAMPLE_VALUES) {
      throw new UserError(
        `${o.id}: the walk's ${Math.ceil(views.length / o.refit)} fits would hold about ${(values * 8e-9).toFixed(1)} GB of training samples ` +
          `(training rows x lookback ${steps} x ${cols} features each), more than the ${MAX_SAMPLE_VALUES * 8e-9} GB allowed: refit less often (refit), shorten the lookback, use fewer features or a rolling trainWindow`,
      );
    }
    const fits: { fit: number; x: Samples; y: Float64Array; rows: number[]; data: number[] }[] = [];
    const rows: WalkSamples['fitRows'][number][] = [];
    const decisions = new Map<number, DecisionSample>();
    // Every view of a walk shows a prefix of the last one's rows (`closes`): their features are built once.
    const features = prefixFeatures(o.features, closes);
    let size = 0;
    views.forEach((view, k) => {
      if (k % o.refit === 0) {
        const { x, y, from, to } = trainingSet(view, features);
        fits.push({ fit: fits.length, x, y, rows: [], data: [] });
        rows.push({ decision: view.index, from, to, rows: y.length });
        size += x.data.length + y.length;
      }
      const sample = decisionSample(view, features);
      if (!sample) return;
      decisions.set(view.index, sample);
      const fit = fits[fits.length - 1]!;
      fit.rows.push(view.index);
      for (const v of sample.x) fit.data.push(v);
      size += 2 * sample.x.length;
    });
    return { fits: fits.map((f) => ({ ...f, data: Float64Array.from(f.data) })), fitRows: rows, samples: decisions, size };
  }

  /**
   * `buildWalkSamples`, shared with the other strategies of the command (`StrategyContext.shared`:
   * a compare's configurations, a run's seeds) that walk the same rows with the same features,
   * samples and schedule: they differ in their model only, and the samples are a function of
   * this key and the rows alone. The rows are those of the last view (every view shows a prefix
   * of them), compared bit for bit before a stored walk is used.
   */
  function walkSamples(views: readonly MarketView[]): WalkSamples {
    const closes = views.at(-1)?.closes() ?? new Float64Array(0);
    const shared = o.context.shared;
    if (!shared || o.features.key === undefined || views.length === 0) return buildWalkSamples(views, closes);
    const key = JSON.stringify(['forecast-samples', o.features.key, steps, target, o.window, o.minTrain, o.refit, views.map((v) => v.index)]);
    const stored = shared.get(key) as { closes: Float64Array; walk: WalkSamples } | undefined;
    if (stored && sameValues(stored.closes, closes)) return stored.walk;
    const walk = buildWalkSamples(views, closes);
    shared.set(key, { closes, walk }, walk.size + closes.length);
    return walk;
  }

  return {
    minHistory,
    ...(o.defaultTestStart ? { defaultTestStart: o.defaultTestStart } : {}),
    ...(o.indicators ? { indicators: o.indicators } : {}),
    async prepare(views) {
      for (const view of views) prepared.add(view.index);
      const walk = walkSamples(views);
      ({ fitRows, samples } = walk);
      const jobs = walk.fits;
      const modelOf = (p: ParamValues<ParamSpecs>): ModelJob['model'] => ({
        id: plugin.id,
        params: p as ModelJob['model']['params'],
        ...(plugin.module ? { module: plugin.module } : {}),
        ...(plugin.origin ? { origin: plugin.origin } : {}),
      });
      const workOf = (job: ModelJob) => plugin.work!(job.model.params as ParamValues<ParamSpecs>, job.settings, job.x.rows);
      // Nested selection: each fit's parameters are the candidate that forecast its latest
      // training rows best when fitted on the ones before them (rows before the refit only).
      const labelAt = new Map(views.map((v) => [v.index, v.label]));
      const chosen = o.select ? await selectParameters(o.select, jobs, modelOf, workOf, (row) => labelAt.get(row) ?? `row ${row}`) : undefined;
      // An ensemble: member m of fit j is the model a run seeded (seed + m) trains for fit j; the
      // forecast is the members' mean. Jobs are member-major, all in one pool run.
      const members = o.members ?? 1;
      const modelJobs: ModelJob[] = Array.from({ length: members }, (_, m) =>
        jobs.map((j) => ({
          model: {
            id: plugin.id,
            params: (chosen ? chosen[j.fit]! : params) as ModelJob['model']['params'],
            ...(plugin.module ? { module: plugin.module } : {}),
            ...(plugin.origin ? { origin: plugin.origin } : {}),
          },
          settings: m === 0 ? settingsOf(j.fit) : { ...settingsOf(j.fit), seed: fitSeed(o.context.seed + m, j.fit) },
          x: j.x,
          y: j.y,
          predict: { rows: j.rows.length, steps, cols, data: j.data },
          ...(keepModels && m === 0 ? { keepFiles: true } : {}),
        })),
      ).flat();
      o.context.progress.start(`${o.id}: model fits`, modelJobs.length);
      const threads = threadsFor(plugin, modelJobs, o.context.threads);
      const results = await runModelJobs(modelJobs, {
        threads,
        plugin,
        onResult: () => o.context.progress.tick(),
        ...(plugin.work ? { work: workOf } : {}),
      });
      planned = new Map();
      jobs.forEach((job, i) => {
        // The training records and saved model are the first member's (the run's own seed).
        const r = results[i]!;
        const prediction = (k: number): number => {
          let sum = 0;
          for (let m = 0; m < members; m++) sum += results[m * jobs.length + i]!.predictions[k]!;
          return members === 1 ? r.predictions[k]! : sum / members;
        };
        record(r.history, i);
        if (r.info) info = r.info;
        if (keepModels) {
          if (r.files) savedModels.push({ fit: i, kind: plugin.id, files: r.files });
          else unsaved++;
        }
        job.rows.forEach((t, k) => planned!.set(t, { fit: i, prediction: prediction(k) }));
      });
      latest = views[views.length - 1];
    },
    decide(view) {
      if (!planned) throw new Error(`${o.id}: decide(${view.label}) before prepare`);
      if (!prepared.has(view.index)) throw new Error(`${o.id}: decide(${view.label}) was not among the views given to prepare`);
      if (!latest || view.index > latest.index) latest = view;
      const sample = samples.get(view.index);
      const p = planned.get(view.index);
      if (!sample || !p) {
        skipped++;
        return 0;
      }
      const close = view.close();
      // The decision row's features (the last step of a sequence), by name.
      const features: Record<string, number> = {};
      const last = (steps - 1) * cols;
      sample.names.forEach((n, i) => (features[n] = sample.x[last + i]!));
      if (target === 'direction') {
        forecasts.push({ label: view.label, close, forecast: Number.NaN, probability: p.prediction, features, fit: p.fit });
        scores.set(view.index, p.prediction);
        return weightFromForecast(p.prediction, o.sizing);
      }
      const forecast = p.prediction * sample.scale + sample.center;
      forecasts.push({ label: view.label, close, forecast, features, fit: p.fit });
      const implied = forecast / close - 1;
      scores.set(view.index, implied);
      return weightFromForecast(implied, o.sizing);
    },
    scoreAt: (index) => scores.get(index),
    finish(): StrategyOutput {
      o.context.progress.stop();
      if (skipped) o.context.warn(`${o.id}: ${skipped} decisions had undefined features (flat price window) and stayed in cash`);
      if (unsaved) o.context.warn(`${o.id}: ${unsaved} of ${fitRows.length} fitted models could not be kept for saving (model "${plugin.id}" does not provide its files)`);
      const labels = fitRows.length ? latest!.labels() : [];
      const models: FitRecord[] = fitRows.map((f, fit) => ({
        fit,
        decision: labels[f.decision]!,
        trainFrom: labels[f.from]!,
        trainTo: labels[f.to]!,
        rows: f.rows,
      }));
      const model: ModelInfo = { kind: plugin.id, ...(info ?? {}), features: o.features.names.join(',') };
      const selection = o.select
        ? {
            configurations: o.select.candidates.map((c) => c.label),
            metric: target === 'direction' ? 'log loss' : 'mean squared error of the scaled target',
            validation: o.select.validation,
            choices: selections.map((c) => ({ refit: labels[c.decision]!, chosen: o.select!.candidates[c.chosen]!.label, scores: c.scores })),
          }
        : undefined;
      return { forecasts, training, fits: fitRows.length, models, ...(keepModels ? { savedModels } : {}), model, ...(selection ? { selection } : {}) };
    },
  };
}
