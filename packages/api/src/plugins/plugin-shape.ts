import type { ParamSpec, StrategyPlugin } from '@backtest/core';
import { UserError } from '@backtest/core';
import type { FeatureBuilder, ModelPlugin } from '@backtest/forecast';

/**
 * Checks of what a plugin exports, so a mistake gets a message naming the plugin and the
 * problem when it loads, not a TypeError in the middle of a backtest. A plugin is compiled
 * against its own copy of @backtest/core, so nothing here relies on `instanceof`.
 */

const ID = /^[a-z][a-z0-9-]*$/;
const KINDS = ['rule', 'forecast', 'benchmark'];
const PARAM_TYPES = ['integer', 'number', 'boolean', 'enum', 'string', 'integer-list'];

type Loose = Record<string, unknown>;

const describe = (v: unknown): string =>
  v === undefined
    ? 'nothing'
    : v === null
      ? 'null'
      : Array.isArray(v)
        ? 'an array'
        : typeof v === 'string'
          ? `"${v}"`
          : typeof v === 'object'
            ? 'an object'
            : typeof v === 'function'
              ? 'a function'
              : `${typeof v} ${String(v)}`;

/** Problem with one parameter spec, or undefined if it is well formed. */
function paramProblem(name: string, spec: unknown): string | undefined {
  if (spec === null || typeof spec !== 'object') return `parameter "${name}" must be an object with a type, a default and a description, got ${describe(spec)}`;
  const s = spec as Loose;
  if (typeof s.type !== 'string' || !PARAM_TYPES.includes(s.type)) {
    return `parameter "${name}" has type ${describe(s.type)}; expected one of ${PARAM_TYPES.join(', ')}`;
  }
  if (typeof s.description !== 'string') return `parameter "${name}" needs a description (a string)`;
  const bad = (expected: string) => `parameter "${name}" (${String(s.type)}) has default ${describe(s.default)}; expected ${expected}`;
  for (const bound of ['min', 'max'] as const) {
    if (s[bound] !== undefined && (typeof s[bound] !== 'number' || !Number.isFinite(s[bound]))) return `parameter "${name}": ${bound} must be a number, got ${describe(s[bound])}`;
  }
  const p = spec as ParamSpec;
  switch (p.type) {
    case 'integer':
      return Number.isInteger(p.default) ? undefined : bad('an integer');
    case 'number':
      return typeof p.default === 'number' && Number.isFinite(p.default) ? undefined : bad('a number');
    case 'boolean':
      return typeof p.default === 'boolean' ? undefined : bad('true or false');
    case 'enum':
      if (!Array.isArray(p.values) || p.values.length === 0 || !p.values.every((v) => typeof v === 'string')) {
        return `parameter "${name}" (enum) needs "values", a non-empty list of strings`;
      }
      return p.values.includes(p.default) ? undefined : bad(`one of its values (${p.values.join(', ')})`);
    case 'string':
      if (p.pattern !== undefined && !(p.pattern instanceof RegExp) && Object.prototype.toString.call(p.pattern) !== '[object RegExp]') {
        return `parameter "${name}" (string): pattern must be a RegExp`;
      }
      return typeof p.default === 'string' ? undefined : bad('a string');
    case 'integer-list':
      return Array.isArray(p.default) && p.default.every((n) => Number.isInteger(n)) ? undefined : bad('a list of integers');
  }
}

/** Throws a UserError naming the plugin if `value` is not a usable StrategyPlugin. */
export function checkStrategyPlugin(value: unknown, label: string): StrategyPlugin {
  const p = value as Loose;
  const id = typeof p.id === 'string' ? p.id : undefined;
  const fail = (problem: string): never => {
    throw new UserError(`plugin ${label}: ${id !== undefined ? `strategy "${id}": ` : ''}${problem}`);
  };
  if (id === undefined) fail(`a strategy needs an id (a string), got ${describe(p.id)}`);
  if (!ID.test(id!)) fail('its id must be lower-case letters, digits and dashes, starting with a letter');
  if (typeof p.description !== 'string') fail(`needs a description (a string), got ${describe(p.description)}`);
  if (typeof p.kind !== 'string' || !KINDS.includes(p.kind)) fail(`kind must be one of ${KINDS.join(', ')}, got ${describe(p.kind)}`);
  if (typeof p.create !== 'function') fail(`needs a create(params, context) function, got ${describe(p.create)}`);
  if (p.params === null || typeof p.params !== 'object' || Array.isArray(p.params)) fail(`params must be an object of parameter specs, got ${describe(p.params)}`);
  for (const [name, spec] of Object.entries(p.params as Loose)) {
    const problem = paramProblem(name, spec);
    if (problem) fail(problem);
  }
  return value as StrategyPlugin;
}

/** Throws a UserError naming the plugin if `value` is not a usable ModelPlugin. */
export function checkModelPlugin(value: unknown, label: string): ModelPlugin {
  const m = value as Loose;
  const id = typeof m.id === 'string' ? m.id : undefined;
  const fail = (problem: string): never => {
    throw new UserError(`plugin ${label}: ${id !== undefined ? `model "${id}": ` : ''}${problem}`);
  };
  if (id === undefined) fail(`a model needs an id (a string), got ${describe(m.id)}`);
  if (!ID.test(id!)) fail('its id must be lower-case letters, digits and dashes, starting with a letter');
  if (typeof m.description !== 'string') fail(`needs a description (a string), got ${describe(m.description)}`);
  if (m.input !== 'row' && m.input !== 'sequence') fail(`input must be "row" or "sequence", got ${describe(m.input)}`);
  if (m.targets !== undefined && (!Array.isArray(m.targets) || m.targets.length === 0 || !m.targets.every((t) => t === 'price' || t === 'direction'))) {
    fail(`targets must be a non-empty list of "price" and "direction", got ${describe(m.targets)}`);
  }
  if (typeof m.create !== 'function') fail(`needs a create(params, settings) function, got ${describe(m.create)}`);
  if (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params)) fail(`params must be an object of parameter specs, got ${describe(m.params)}`);
  for (const [name, spec] of Object.entries(m.params as Loose)) {
    const problem = paramProblem(name, spec);
    if (problem) fail(problem);
  }
  if (m.input === 'sequence' && (m.params as Loose).lookback === undefined) fail('takes a sequence: it must declare an integer parameter "lookback"');
  if (m.input === 'sequence' && ((m.params as Loose).lookback as Loose).type !== 'integer') fail('its parameter "lookback" must be an integer');
  return value as ModelPlugin;
}

/** Throws a UserError naming the plugin if `value` is not a usable FeatureBuilder. */
export function checkFeatureBuilder(value: unknown, label: string): FeatureBuilder {
  const f = value as Loose;
  const id = typeof f.id === 'string' ? f.id : undefined;
  const fail = (problem: string): never => {
    throw new UserError(`plugin ${label}: ${id !== undefined ? `feature "${id}": ` : ''}${problem}`);
  };
  if (id === undefined) fail(`a feature builder needs an id (a string), got ${describe(f.id)}`);
  if (!ID.test(id!)) fail('its id must be lower-case letters, digits and dashes, starting with a letter');
  if (typeof f.description !== 'string') fail(`needs a description (a string), got ${describe(f.description)}`);
  if (typeof f.warmup !== 'function' || typeof f.build !== 'function') fail('needs warmup(window) and build(closes, window) functions');
  return value as FeatureBuilder;
}

/**
 * The plugin, with `create` wrapped so that an error thrown while a strategy is created names
 * the plugin and exits with code 2: the fix is in the plugin or in its parameters, not in the
 * tool.
 */
export function attributed(plugin: StrategyPlugin, label: string): StrategyPlugin {
  return {
    ...plugin,
    create(params, context) {
      try {
        return plugin.create(params, context);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new UserError(`plugin ${label}: strategy "${plugin.id}" failed in create(): ${message}`);
      }
    },
  };
}
