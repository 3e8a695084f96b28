import { Container, type ModelFiles, type ModelInfo, type RawParamValue, UserError } from '@backtest/core';
import { NetworkDivergedError, NetworkTooLargeError } from '@backtest/models';
import { type ForecastModel, type ModelFitOutcome, ModelPlugin, type ModelSettings, type Samples } from '../model-plugin';

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
  const [outcome] = await runModelUnit([job], plugin);
  if (outcome!.status === 'rejected') throw outcome!.reason;
  return outcome!.value;
}

/**
 * `runModelJob` for a unit of jobs: one job, or fits the plugin trains together (its
 * `lockstep`), which it fits in one call and which then forecast one by one. Each job's outcome
 * (its result, or its error said as `runModelJob` says it) is its own: a failed fit fails
 * alone, and the others' results are those they would have had alone.
 */
export async function runModelUnit(jobs: readonly ModelJob[], plugin: ModelPlugin): Promise<PromiseSettledResult<ModelJobResult>[]> {
  const runs = jobs.map((job) => new JobRun(job, plugin));
  try {
    for (const r of runs) await r.attempt('create()', async () => r.create());
    const fitting = runs.filter((r) => !r.failed);
    if (fitting.length > 1 && plugin.lockstep) {
      try {
        const outcomes = await plugin.lockstep.fit(
          fitting.map((r) => r.model!),
          fitting.map((r) => ({ x: r.job.x, y: r.job.y })),
        );
        if (outcomes.length !== fitting.length) throw new Error(`lockstep fit returned ${outcomes.length} outcomes for ${fitting.length} models`);
        outcomes.forEach((o, i) => {
          if (o.status === 'fulfilled') fitting[i]!.outcome = o.value;
          else fitting[i]!.fail('fit()', o.reason);
        });
      } catch (e) {
        for (const r of fitting) r.fail('fit()', e);
      }
    } else {
      for (const r of fitting) await r.attempt('fit()', async () => (r.outcome = await r.model!.fit(r.job.x, r.job.y)));
    }
    const settled: PromiseSettledResult<ModelJobResult>[] = [];
    for (const r of runs) {
      if (!r.failed) await r.attempt('predict()', () => r.finish());
      settled.push(r.failed ? { status: 'rejected', reason: r.error } : { status: 'fulfilled', value: r.result! });
    }
    return settled;
  } finally {
    for (const r of runs) r.model?.dispose?.();
  }
}

/** One job of a unit: its model, where it is, and its error said as `runModelJob` says it. */
class JobRun {
  model: ForecastModel | undefined;
  outcome: ModelFitOutcome | undefined;
  result: ModelJobResult | undefined;
  error: unknown;
  failed = false;
  readonly #who: string;

  constructor(
    readonly job: ModelJob,
    readonly plugin: ModelPlugin,
  ) {
    this.#who = `${job.model.origin ? `plugin ${job.model.origin}: ` : ''}model "${plugin.id}"`;
  }

  create(): void {
    this.model = this.plugin.create(this.job.model.params as never, this.job.settings);
  }

  /** Runs the step `name`; what it throws (or rejects with) fails the job. */
  async attempt(name: string, what: () => Promise<unknown>): Promise<void> {
    if (this.failed) return;
    try {
      await what();
    } catch (e) {
      this.fail(name, e);
    }
  }

  fail(step: string, e: unknown): void {
    this.failed = true;
    this.error = this.#said(step, e);
  }

  /** Forecasts, checks them, and collects the fit's history, info and files. */
  async finish(): Promise<void> {
    const job = this.job;
    const model = this.model!;
    const { fit } = job.settings;
    const predictions = job.predict.rows > 0 ? Float64Array.from(await model.predict(job.predict)) : new Float64Array(0);
    if (predictions.length !== job.predict.rows)
      throw new UserError(`${this.#who}: fit ${fit}: predict() returned ${predictions.length} forecasts for ${job.predict.rows} samples`);
    const direction = job.settings.target === 'direction';
    const bad = predictions.findIndex((p) => !Number.isFinite(p) || (direction && (p < 0 || p > 1)));
    if (bad >= 0) {
      const want = direction ? 'a probability in [0, 1] (end the network in a sigmoid)' : 'a finite number';
      throw new UserError(`${this.#who}: fit ${fit}: forecast ${bad + 1} of ${predictions.length} is ${predictions[bad]}, not ${want}`);
    }
    let step = 'info()';
    try {
      const info = model.info?.();
      step = 'files()';
      const outcome = this.outcome!;
      this.result = {
        predictions,
        history: { loss: [...outcome.history.loss], ...(outcome.history.valLoss ? { valLoss: [...outcome.history.valLoss] } : {}) },
        ...(info ? { info } : {}),
        ...(job.keepFiles ? { files: model.files ? model.files() : null } : {}),
      };
    } catch (e) {
      this.fail(step, e);
    }
  }

  /** What went wrong in `step`, said with the fit's number (see runModelJob). */
  #said(step: string, e: unknown): unknown {
    const { fit } = this.job.settings;
    const who = this.#who;
    if (e instanceof NetworkDivergedError) return e.withContext({ fit });
    if (e instanceof NetworkTooLargeError) return e;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof UserError && message.startsWith(who)) return e;
    if (e instanceof UserError) return new UserError(`${who}: fit ${fit}: ${message}`);
    if (this.job.model.origin) return new UserError(`${who} failed in ${step} of fit ${fit}: ${message}`);
    return e;
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
