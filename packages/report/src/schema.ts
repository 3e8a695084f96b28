/**
 * A small schema of JSON documents, for the files a report is rebuilt from: what each key must
 * hold. `checkJson` walks a parsed document against one and refuses the first value of the wrong
 * type with a UserError (exit 2) that names the file, the key path (`period.periods`,
 * `results.sma.sharpe`, `warnings[2]`), what was expected and what was found. Keys a schema does
 * not name are allowed and ignored (a newer run may add some); keys it names are required unless
 * marked optional.
 */
import { UserError } from '@backtest/core';
import { printable, quoted } from '@backtest/core/internal';

export type Schema =
  | { readonly type: 'string'; readonly pattern?: RegExp; readonly what?: string }
  | { readonly type: 'number'; readonly nullable?: boolean; readonly integer?: boolean; readonly min?: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'object'; readonly fields: Readonly<Record<string, Field>>; readonly others?: Schema }
  | { readonly type: 'array'; readonly items: Schema; readonly length?: number }
  | { readonly type: 'oneOf'; readonly of: readonly Schema[] }
  | { readonly type: 'json' };

export interface Field {
  readonly schema: Schema;
  readonly optional?: boolean;
}

// Builders, so a schema reads like the type it checks.
export const str = (o: { pattern?: RegExp; what?: string } = {}): Schema => ({ type: 'string', ...o });
export const num = (o: { nullable?: boolean; integer?: boolean; min?: number } = {}): Schema => ({ type: 'number', ...o });
export const bool = (): Schema => ({ type: 'boolean' });
export const oneOfStrings = (...values: string[]): Schema => ({ type: 'enum', values });
export const arr = (items: Schema, length?: number): Schema => ({ type: 'array', items, ...(length === undefined ? {} : { length }) });
export const either = (...of: Schema[]): Schema => ({ type: 'oneOf', of });
/** Any JSON value (shown as JSON, never read as a number or text). */
export const json = (): Schema => ({ type: 'json' });
/** An object with these keys (a Schema: required; `optional(s)`: may be absent), and any others of `others` when given. */
export function obj(fields: Readonly<Record<string, Schema | Field>>, others?: Schema): Schema {
  const f: Record<string, Field> = {};
  for (const [k, v] of Object.entries(fields)) f[k] = 'schema' in v ? v : { schema: v };
  return { type: 'object', fields: f, ...(others ? { others } : {}) };
}
/** An object whose every value is `values` (keys are free: strategy ids, parameter names). */
export const record = (values: Schema): Schema => obj({}, values);
export const optional = (schema: Schema): Field => ({ schema, optional: true });

/** What a schema expects, in words: `a number or null`, `"monthly" or "daily"`. */
export function expected(s: Schema): string {
  switch (s.type) {
    case 'string':
      return s.what ?? 'a string';
    case 'number': {
      const base = s.integer ? 'a whole number' : 'a number';
      const min = s.min === undefined ? '' : s.min === 0 ? ' (0 or more)' : ` (${s.min} or more)`;
      return base + min + (s.nullable ? ' or null' : '');
    }
    case 'boolean':
      return 'true or false';
    case 'enum':
      return s.values.map((v) => JSON.stringify(v)).join(' or ');
    case 'object':
      return 'an object';
    case 'array':
      return s.length === undefined ? `a list (each item ${expected(s.items)})` : `a list of ${s.length} items (each ${expected(s.items)})`;
    case 'oneOf':
      return [...new Set(s.of.map(expected))].join(' or ');
    case 'json':
      return 'any JSON value';
  }
}

/** A value as a message shows it: its kind, and a short JSON preview (control characters escaped). */
export function found(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the text ${preview(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return String(v);
}

/** A string quoted, control characters escaped and cut to 40 characters: safe to print on a terminal. */
export function preview(text: string): string {
  return quoted(text, 40);
}

/** `period.periods`, `results["a b"].sharpe`, `warnings[2]`: a key's path as messages name it. */
export function keyPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${preview(key)}]`;
}

function matches(v: unknown, s: Schema): boolean {
  switch (s.type) {
    case 'string':
      return typeof v === 'string' && (!s.pattern || s.pattern.test(v));
    case 'number':
      if (v === null) return !!s.nullable;
      return typeof v === 'number' && Number.isFinite(v) && (!s.integer || Number.isInteger(v)) && (s.min === undefined || v >= s.min);
    case 'boolean':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && s.values.includes(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v) && (s.length === undefined || v.length === s.length);
    case 'oneOf':
      return s.of.some((o) => matches(v, o) && deepOk(v, o));
    case 'json':
      return v !== undefined;
  }
}

function deepOk(v: unknown, s: Schema): boolean {
  try {
    walk(v, s, '', '');
    return true;
  } catch {
    return false;
  }
}

function walk(v: unknown, s: Schema, path: string, file: string): void {
  if (s.type === 'oneOf' && !matches(v, s)) {
    // Of several shapes of object, the one the value is nearest (most of its keys present)
    // names the key that is wrong, rather than "expected an object, found an object".
    const near = nearestObject(v, s.of);
    if (near) {
      walk(v, near, path, file);
      return;
    }
  }
  if (!matches(v, s)) {
    throw new UserError(`${printable(file, 1024)}: ${path ? `"${path}"` : 'the document'}: expected ${expected(s)}, found ${found(v)}`);
  }
  if (s.type === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, f] of Object.entries(s.fields)) {
      // Own keys only: "constructor" or "__proto__" in a file is a key like any other.
      const has = Object.hasOwn(o, k);
      if (!has && f.optional) continue;
      walk(has ? o[k] : undefined, f.schema, keyPath(path, k), file);
    }
    if (s.others) {
      for (const [k, x] of Object.entries(o)) if (!Object.hasOwn(s.fields, k)) walk(x, s.others, keyPath(path, k), file);
    }
  } else if (s.type === 'array') {
    (v as unknown[]).forEach((x, i) => walk(x, s.items, keyPath(path, i), file));
  }
}

function nearestObject(v: unknown, of: readonly Schema[]): Schema | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  let best: Schema | undefined;
  let score = -1;
  for (const o of of) {
    if (o.type !== 'object') continue;
    const present = keys.filter((k) => Object.hasOwn(o.fields, k)).length;
    if (present > score) [best, score] = [o, present];
  }
  return best;
}

/** Checks `doc` (parsed from `file`) against `schema`; throws a UserError naming the first bad key. */
export function checkJson(doc: unknown, schema: Schema, file: string): void {
  walk(doc, schema, '', file);
}

/** `JSON.parse`, with a UserError naming the file when the text is not JSON. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${printable(file, 1024)}: not valid JSON (${printable((e as Error).message, 200)})`);
  }
}
