import { Container, type ModelFiles, type ModelInfo, type RawParamValue, UserError } from '@backtest/core';
import { NetworkDivergedError, NetworkTooLargeError } from '@backtest/models';
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
    /** The plugin the model came from (`ModelPlugin.origin`), for messages; undefined for a built-in model. */
    readonly origin?: string;
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
 * job's numbers do not depend on where it ran. What goes wrong is said with the fit's number:
 * a network fault keeps its type (the walk names its refit month); a model's user error, and any
 * error of a plugin's own code (`job.model.origin`: the fix is in the plugin), become a UserError
 * naming the model and the step that failed; forecasts that are not finite, or for the direction
 * target not probabilities in [0, 1], are refused here, before the walk uses them.
 */
export async function runModelJob(job: ModelJob, plugin: ModelPlugin): Promise<ModelJobResult> {
  const { fit } = job.settings;
  const who = `${job.model.origin ? `plugin ${job.model.origin}: ` : ''}model "${plugin.id}"`;
  let step = 'create()';
  let model: ReturnType<ModelPlugin['create']> | undefined;
  try {
    model = plugin.create(job.model.params as never, job.settings);
    step = 'fit()';
    const outcome = await model.fit(job.x, job.y);
    step = 'predict()';
    const predictions = job.predict.rows > 0 ? Float64Array.from(await model.predict(job.predict)) : new Float64Array(0);
    if (predictions.length !== job.predict.rows) throw new UserError(`${who}: fit ${fit}: predict() returned ${predictions.length} forecasts for ${job.predict.rows} samples`);
    const direction = job.settings.target === 'direction';
    const bad = predictions.findIndex((p) => !Number.isFinite(p) || (direction && (p < 0 || p > 1)));
    if (bad >= 0) {
      const want = direction ? 'a probability in [0, 1] (end the network in a sigmoid)' : 'a finite number';
      throw new UserError(`${who}: fit ${fit}: forecast ${bad + 1} of ${predictions.length} is ${predictions[bad]}, not ${want}`);
    }
    step = 'info()';
    const info = model.info?.();
    step = 'files()';
    return {
      predictions,
      history: { loss: [...outcome.history.loss], ...(outcome.history.valLoss ? { valLoss: [...outcome.history.valLoss] } : {}) },
      ...(info ? { info } : {}),
      ...(job.keepFiles ? { files: model.files ? model.files() : null } : {}),
    };
  } catch (e) {
    if (e instanceof NetworkDivergedError) throw e.withContext({ fit });
    if (e instanceof NetworkTooLargeError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof UserError && message.startsWith(who)) throw e;
    if (e instanceof UserError) throw new UserError(`${who}: fit ${fit}: ${message}`);
    if (job.model.origin) throw new UserError(`${who} failed in ${step} of fit ${fit}: ${message}`);
    throw e;
  } finally {
    model?.dispose?.();
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
