import { Container, type ModelFiles, type ModelInfo, type RawParamValue } from '@backtest/core';
import { NetworkDivergedError } from '@backtest/models';
import { ModelPlugin, type ModelSettings, type Samples } from '../model-plugin';

/**
 * One model fit and the forecasts it makes, as plain data (structured-clonable, no callbacks),
 * so that it can run on any thread: the thread builds the model from `model` (a registered model
 * plugin's id, its parameter values, and the file that binds it) and this object alone decides
 * the result.
 */
export interface ModelJob {
  readonly model: {
    readonly id: string;
    readonly params: Readonly<Record<string, RawParamValue>>;
    /** The file whose default export binds the plugin (`ModelPlugin.module`); needed on a worker only. */
    readonly module?: string;
  };
  readonly settings: ModelSettings;
  readonly x: Samples;
  readonly y: Float64Array;
  /** Samples the fitted model forecasts (may have 0 rows). */
  readonly predict: Samples;
  /** Return the fitted model's files too (`ModelJobResult.files`), to save it. */
  readonly keepFiles?: boolean;
}

export interface ModelJobResult {
  /** One forecast per sample of `job.predict`. */
  readonly predictions: Float64Array;
  readonly history: { readonly loss: readonly number[]; readonly valLoss?: readonly number[] };
  readonly info?: Omit<ModelInfo, 'kind' | 'features'>;
  /** The fitted model's files, when `job.keepFiles` and the model provides them; null when it cannot. */
  readonly files?: ModelFiles | null;
}

/**
 * Fits and forecasts with `plugin`. The in-process pool and every worker call exactly this, so a
 * job's numbers do not depend on where it ran. A fit fault is named by the job's fit number.
 */
export async function runModelJob(job: ModelJob, plugin: ModelPlugin): Promise<ModelJobResult> {
  const model = plugin.create(job.model.params as never, job.settings);
  try {
    const fit = await model.fit(job.x, job.y);
    const predictions = job.predict.rows > 0 ? Float64Array.from(await model.predict(job.predict)) : new Float64Array(0);
    if (predictions.length !== job.predict.rows) {
      throw new Error(`model "${plugin.id}" returned ${predictions.length} forecasts for ${job.predict.rows} samples`);
    }
    const info = model.info?.();
    return {
      predictions,
      history: { loss: [...fit.history.loss], ...(fit.history.valLoss ? { valLoss: [...fit.history.valLoss] } : {}) },
      ...(info ? { info } : {}),
      ...(job.keepFiles ? { files: model.files ? model.files() : null } : {}),
    };
  } catch (e) {
    throw e instanceof NetworkDivergedError ? e.withContext({ fit: job.settings.fit }) : e;
  } finally {
    model.dispose?.();
  }
}

/** The model plugins a module binds (its default export, a container module), by id. */
export function modelPluginsOf(moduleExports: unknown): Map<string, ModelPlugin> {
  const m = moduleExports as { default?: unknown } | null;
  const main = m !== null && typeof m === 'object' && m.default !== undefined ? m.default : moduleExports;
  const container = new Container();
  for (const item of Array.isArray(main) ? main : [main]) container.loadSync(item as never);
  const plugins = container.isBound(ModelPlugin) ? container.getAll<ModelPlugin>(ModelPlugin) : [];
  return new Map(plugins.map((p) => [p.id, p]));
}
