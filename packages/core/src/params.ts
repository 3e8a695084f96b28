import { didYouMean } from './did-you-mean';
import { UserError } from './errors';

/**
 * A strategy's typed parameters. Each spec documents itself (`description`, `default`) and
 * validates what the user passes (`--param k=v` strings, or JSON values from a config file).
 */
export type ParamSpec =
  | { readonly type: 'integer'; readonly default: number; readonly min?: number; readonly max?: number; readonly description: string }
  | { readonly type: 'number'; readonly default: number; readonly min?: number; readonly max?: number; readonly description: string }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description: string }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string; readonly description: string }
  | { readonly type: 'string'; readonly default: string; readonly pattern?: RegExp; readonly hint?: string; readonly description: string }
  | {
      readonly type: 'integer-list';
      readonly default: readonly number[];
      readonly min?: number;
      /** Fewest items (default 1: an empty list is refused). */
      readonly minItems?: number;
      readonly description: string;
    };

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

type ValueOf<P extends ParamSpec> = P extends { type: 'integer' | 'number' }
  ? number
  : P extends { type: 'boolean' }
    ? boolean
    : P extends { type: 'integer-list' }
      ? readonly number[]
      : string;

export type ParamValues<S extends ParamSpecs> = { readonly [K in keyof S]: ValueOf<S[K]> };

export type RawParamValue = string | number | boolean | readonly number[];

/** Declare parameter specs with their literal types kept (for `ParamValues`). */
export function defineParams<S extends ParamSpecs>(specs: S): S {
  return specs;
}

/**
 * Check raw values against the specs and fill in defaults. Unknown names get a
 * "did you mean" hint; bad values say what was expected.
 */
export function resolveParams<S extends ParamSpecs>(owner: string, specs: S, raw: Readonly<Record<string, RawParamValue>>): ParamValues<S> {
  const out: Record<string, unknown> = {};
  const names = Object.keys(specs);
  for (const key of Object.keys(raw)) {
    // Own names only: `toString` or `__proto__` is no parameter of anything.
    if (!Object.hasOwn(specs, key)) {
      const known = names.length ? `; its parameters are: ${names.join(', ')}` : '; it takes no parameters';
      throw new UserError(`unknown parameter "${key}" for ${owner}${didYouMean(key, names)}${known}`);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    out[name] = value === undefined ? spec.default : parseParam(owner, name, spec, value);
  }
  return out as ParamValues<S>;
}

function parseParam(owner: string, name: string, spec: ParamSpec, value: RawParamValue): unknown {
  const bad = (expected: string): never => {
    throw new UserError(`parameter "${name}" of ${owner} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  const asNumber = (v: RawParamValue): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return NaN;
  };
  const range = (min?: number, max?: number): string =>
    min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = asNumber(value);
      const what = `${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec.min, spec.max)}`;
      if (!Number.isFinite(n)) return bad(what);
      if (spec.type === 'integer' && !Number.isInteger(n)) return bad(what);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return bad(what);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1' || value === 'yes') return true;
      if (value === 'false' || value === '0' || value === 'no') return false;
      return bad('true or false');
    }
    case 'enum': {
      if (typeof value === 'string' && spec.values.includes(value)) return value;
      return bad(`one of ${spec.values.join(', ')}${typeof value === 'string' ? didYouMean(value, spec.values) : ''}`);
    }
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') return bad('a string');
      const s = String(value);
      if (spec.pattern && !spec.pattern.test(s)) return bad(spec.hint ?? `a string matching ${spec.pattern}`);
      return s;
    }
    case 'integer-list': {
      const parts: RawParamValue[] = Array.isArray(value)
        ? [...(value as readonly number[])]
        : typeof value === 'number'
          ? [value]
          : String(value)
              .split(',')
              .filter((p) => p.trim() !== '');
      const minItems = spec.minItems ?? 1;
      const what = `a comma-separated list of integers${range(spec.min)}${minItems > 0 ? ` (at least ${minItems === 1 ? 'one' : minItems})` : ''}`;
      const nums = parts.map(asNumber);
      if (nums.length < minItems || nums.some((n) => !Number.isInteger(n) || (spec.min !== undefined && n < spec.min))) return bad(what);
      return nums;
    }
  }
}

/** `window=10 (integer >= 2): ...` lines for `backtest list`. */
export function describeParams(specs: ParamSpecs): string[] {
  return Object.entries(specs).map(([name, s]) => {
    const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
    const type = s.type === 'enum' ? s.values.join('|') : s.type;
    return `${name}=${def} (${type}): ${s.description}`;
  });
}
