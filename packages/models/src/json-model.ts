import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory, UserError, writeFileAtomic } from '@backtest/core';
import type { ModelFiles } from './model';

/**
 * The one file format of the closed-form models (OLS, logistic, ridge): `<file>` holding
 * `{ format, version: 1, ...body }` as JSON, which keeps every double exactly, so a loaded model
 * predicts bit for bit as the fitted one did.
 */
export function jsonModelFiles(file: string, format: string, body: Readonly<Record<string, unknown>>): ModelFiles {
  return { [file]: `${JSON.stringify({ format, version: 1, ...body }, null, 2)}\n` };
}

/** Writes a model's files into `dir` (created if missing), atomically per file. */
export function saveModelFiles(dir: string, files: ModelFiles): void {
  makeDirectory(dir);
  for (const [name, content] of Object.entries(files)) writeFileAtomic(join(dir, name), content);
}

/**
 * The body of `<dir>/<file>` written by `jsonModelFiles` with `format`, checked by `valid`; a
 * missing file, bad JSON or another format is a UserError naming the path and `what` it is not.
 */
export function readJsonModel<T>(dir: string, file: string, format: string, what: string, valid: (body: Record<string, unknown>) => body is Record<string, unknown> & T): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new UserError(`no ${what} in ${dir}: ${file} is missing`);
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const b = body as Record<string, unknown> | null;
  if (b === null || typeof b !== 'object' || b['format'] !== format || !valid(b)) throw new UserError(`${path}: not ${what} written by @backtest/models`);
  return b;
}
