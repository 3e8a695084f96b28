import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { makeDirectory, writeFileAtomic } from '@backtest/core/internal';
import { toFeatureMatrix } from './features';
import type { Features, ModelFiles, Parameters } from './model';

/**
 * The one file format of the closed-form models (OLS, logistic, ridge): `<file>` holding
 * `{ format, version: 1, ...body }` as JSON, which keeps every double exactly, so a loaded model
 * predicts bit for bit as the fitted one did.
 */
export function jsonModelFiles(file: string, format: string, body: Readonly<Record<string, unknown>>): ModelFiles {
  return { [file]: `${JSON.stringify({ format, version: 1, ...body }, null, 2)}\n` };
}

/** Writes a model's files into `dir` (created if missing), atomically per file. */
function saveModelFiles(dir: string, files: ModelFiles): void {
  makeDirectory(dir);
  for (const [name, content] of Object.entries(files)) writeFileAtomic(join(dir, name), content);
}

/**
 * The body of `<dir>/<file>` written by `jsonModelFiles` with `format`, checked by `valid`; a
 * missing file, bad JSON or another format is a UserError naming the path and `what` it is not.
 */
function readJsonModel<T>(dir: string, file: string, format: string, what: string, valid: (body: Record<string, unknown>) => body is Record<string, unknown> & T): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new UserError(`no ${what} in ${dir}: ${file} is missing`);
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const b = body as Record<string, unknown> | null;
  if (b === null || typeof b !== 'object' || b.format !== format || !valid(b)) throw new UserError(`${path}: not ${what} written by @backtest/models`);
  return b;
}

/** What a fitted linear model keeps: its coefficients by name, the intercept first, and how many (`k`). */
export interface LinearSummary {
  readonly names: readonly string[];
  readonly coefficients: readonly number[];
  readonly k: number;
}

/**
 * The part OLS and logistic regression share: a summary holding an intercept and one coefficient
 * per feature, a forecast that is `link(intercept + x . coefficients)`, and the summary saved as
 * `<file>` (`jsonModelFiles`). A subclass fits (setting `fittedSummary`) and says its link.
 */
export abstract class LinearSummaryModel<S extends LinearSummary> {
  protected fittedSummary: S | undefined;

  protected constructor(
    /** The saved file's name and format, and what the model is called in messages (`OLS`). */
    private readonly saved: { readonly file: string; readonly format: string; readonly name: string },
  ) {}

  /** The last fit's statistics, or undefined before the first fit. */
  get summary(): S | undefined {
    return this.fittedSummary;
  }

  /** Identity for a regression, the logistic function for a probability. */
  protected abstract link(v: number): number;

  /** One forecast per row of `x`. */
  predict(x: Features): Float64Array {
    const s = this.fitted();
    const m = toFeatureMatrix(x);
    if (m.cols !== s.k - 1) throw new UserError(`${this.saved.name} was fitted on ${s.k - 1} features but predict got ${m.cols}`);
    const out = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) {
      let v = s.coefficients[0]!;
      for (let c = 0; c < m.cols; c++) v += s.coefficients[c + 1]! * m.data[r * m.cols + c]!;
      out[r] = this.link(v);
    }
    return out;
  }

  /** The coefficients by name (on the link's scale). */
  parameters(): Parameters {
    const s = this.fitted();
    return Object.fromEntries(s.names.map((name, i) => [name, s.coefficients[i]!]));
  }

  save(dir: string): void {
    saveModelFiles(dir, this.files());
  }

  /** The summary, every double exactly (what `save` writes). */
  files(): ModelFiles {
    return jsonModelFiles(this.saved.file, this.saved.format, { summary: this.fitted() });
  }

  dispose(): void {}

  protected fitted(): S {
    if (!this.fittedSummary) throw new UserError(`${this.saved.name} model is not fitted: call fit() or load() first`);
    return this.fittedSummary;
  }

  /** Sets the summary read from `dir` (written by `save`): the loaded model predicts bit for bit as the fitted one. */
  protected loadFrom(dir: string, what: string): this {
    this.fittedSummary = readJsonModel(
      dir,
      this.saved.file,
      this.saved.format,
      what,
      (b): b is { summary: S } => typeof b.summary === 'object' && b.summary !== null && Array.isArray((b.summary as { coefficients?: unknown }).coefficients),
    ).summary;
    return this;
  }
}
