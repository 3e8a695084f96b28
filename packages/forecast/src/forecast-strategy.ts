import type {
  ForecastRecord,
  MarketView,
  Strategy,
  StrategyContext,
  StrategyOutput,
  TrainingRecord,
} from '@backtest/core';
import { UserError } from '@backtest/core';
import type { FeatureSet } from './features';
import { type TrainingWindow, trainingRows } from './schedule';
import { type Sizing, weightFromForecast } from './sizing';

/** What the building block needs of a model: fit on packed rows, predict packed rows. */
export interface Regressor {
  fit(x: { rows: number; cols: number; data: Float64Array }, y: Float64Array): { history: { loss: readonly number[]; valLoss?: readonly number[] } };
  predict(x: { rows: number; cols: number; data: Float64Array }): Float64Array;
  dispose(): void;
}

export interface ForecastStrategyOptions {
  readonly features: FeatureSet;
  /** A fresh, unfitted model for fit number `fit` (seed it from the run seed and `fit`). */
  readonly model: (fit: number) => Regressor;
  /** Refit every `refit` decisions (1 = every period). */
  readonly refit: number;
  readonly window: TrainingWindow;
  /** Fewest training rows a fit may use. */
  readonly minTrain: number;
  readonly sizing: Sizing;
  readonly defaultTestStart?: string;
  /** Asynchronous set-up before the first decision (for example choosing a TensorFlow.js backend). */
  readonly setup?: () => Promise<void>;
  /** Extra information for the report (model kind, backend...). */
  readonly info?: () => Record<string, unknown>;
  readonly context: StrategyContext;
  readonly id: string;
}

/**
 * Features -> model -> forecast -> weight, walk-forward. At a refit decision t the model is
 * trained on every row s whose target (close at s+1) is known at t, i.e. s <= t-1, within the
 * training window; between refits the last model forecasts. A forecast at t uses row t's
 * features only and is turned back into a price with row t's scaling.
 */
export function createForecastStrategy(o: ForecastStrategyOptions): Strategy {
  const forecasts: ForecastRecord[] = [];
  const training: TrainingRecord[] = [];
  let model: Regressor | undefined;
  let decisions = 0;
  let fits = 0;
  let skipped = 0;
  const minHistory = o.features.warmup + o.minTrain + 1;

  function refit(view: MarketView): void {
    const closes = view.closes();
    const rows = o.features.build(closes);
    const t = view.index;
    const { start, end } = trainingRows(rows.firstComplete, t, o.window);
    const cols = rows.names.length;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let s = start; s < end; s++) {
      const y = (closes[s + 1]! - rows.center[s]!) / rows.scale[s]!;
      let ok = Number.isFinite(y);
      for (let c = 0; c < cols && ok; c++) ok = Number.isFinite(rows.data[s * cols + c]!);
      if (!ok) continue;
      for (let c = 0; c < cols; c++) xs.push(rows.data[s * cols + c]!);
      ys.push(y);
    }
    if (ys.length < o.minTrain) {
      throw new UserError(`${o.id}: only ${ys.length} training rows at ${view.label}; it needs at least ${o.minTrain} (set --test-start later or lower minTrain)`);
    }
    model?.dispose();
    model = o.model(fits);
    const result = model.fit({ rows: ys.length, cols, data: Float64Array.from(xs) }, Float64Array.from(ys));
    const h = result.history;
    h.loss.forEach((loss, i) => training.push({ fit: fits, epoch: i + 1, loss, ...(h.valLoss ? { valLoss: h.valLoss[i]! } : {}) }));
    fits++;
    o.context.progress.tick();
  }

  return {
    minHistory,
    ...(o.defaultTestStart ? { defaultTestStart: o.defaultTestStart } : {}),
    async prepare(views) {
      await o.setup?.();
      o.context.progress.start(`${o.id}: model fits`, Math.ceil(views.length / o.refit));
    },
    decide(view) {
      if (decisions % o.refit === 0) refit(view);
      decisions++;
      const closes = view.closes(Math.min(view.length, o.features.historyRows ?? 4 * o.features.warmup + 4));
      const rows = o.features.build(closes);
      const last = closes.length - 1;
      const cols = rows.names.length;
      const x = rows.data.slice(last * cols, last * cols + cols);
      const close = view.close();
      if (!x.every(Number.isFinite) || !Number.isFinite(rows.scale[last]!) || rows.scale[last] === 0) {
        skipped++;
        return 0;
      }
      const pred = model!.predict({ rows: 1, cols, data: x })[0]!;
      const forecast = pred * rows.scale[last]! + rows.center[last]!;
      const features: Record<string, number> = {};
      rows.names.forEach((n, i) => (features[n] = x[i]!));
      forecasts.push({ label: view.label, close, forecast, features, fit: fits - 1 });
      return weightFromForecast(forecast / close - 1, o.sizing);
    },
    finish(): StrategyOutput {
      model?.dispose();
      model = undefined;
      o.context.progress.stop();
      if (skipped) o.context.warn(`${o.id}: ${skipped} decisions had undefined features (flat price window) and stayed in cash`);
      return { forecasts, training, fits, info: o.info?.() ?? {} };
    },
  };
}
