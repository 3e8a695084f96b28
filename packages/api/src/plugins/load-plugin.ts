import { createRequire } from 'node:module';
import { Container, StrategyPlugin, UserError } from '@backtest/core';
import { FeatureBuilder, ModelPlugin } from '@backtest/forecast';
import type { PluginSource } from './plugin-source';
import { attributed, checkFeatureBuilder, checkModelPlugin, checkStrategyPlugin } from './plugin-shape';

/** What one plugin contributes, checked and attributed to it. */
export interface LoadedPlugin {
  readonly source: PluginSource;
  readonly strategies: readonly StrategyPlugin[];
  readonly features: readonly FeatureBuilder[];
  /** Its models, each with `module` (the plugin's entry, for worker threads to build it) unless it names its own. */
  readonly models: readonly ModelPlugin[];
}

type ModuleLike = { id: unknown; load: (options: unknown) => unknown };

/**
 * A ContainerModule from any copy of inversify: the container only calls `load(options)` and
 * reads `id`, so a plugin's module binds into our container whichever copy built it.
 */
const isContainerModule = (v: unknown): v is ModuleLike => v !== null && typeof v === 'object' && typeof (v as ModuleLike).load === 'function' && 'id' in v;

const isStrategyLike = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as { create?: unknown }).create === 'function';

function exportsOf(mod: unknown): unknown[] {
  const m = mod as { default?: unknown; __esModule?: boolean } | null;
  const main = m !== null && typeof m === 'object' && m.default !== undefined ? m.default : mod;
  return Array.isArray(main) ? main : [main];
}

const keysOf = (v: unknown): string => (v !== null && typeof v === 'object' ? `an object with keys ${Object.keys(v).join(', ') || '(none)'}` : typeof v);

/**
 * Require one plugin and collect what it exports as its default (or as module.exports): a
 * ContainerModule (`strategyModule(plugin)`, or a module that also binds feature builders), a
 * plain StrategyPlugin object, or an array of these. Each module is loaded into a container
 * of its own first, so every strategy and feature is checked and attributed to this plugin.
 */
export function loadPlugin(source: PluginSource): LoadedPlugin {
  let mod: unknown;
  try {
    // Node's own require even under a test runner: the plugin is outside this program.
    mod = createRequire(source.entry)(source.entry);
  } catch (e) {
    throw new UserError(`plugin ${source.label}: loading ${source.entry} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const items = exportsOf(mod);
  const container = new Container();
  const plain: unknown[] = [];
  for (const item of items) {
    if (isContainerModule(item)) {
      try {
        container.loadSync(item as never);
      } catch (e) {
        throw new UserError(`plugin ${source.label}: its container module failed to load: ${(e as Error).message}`);
      }
    } else if (isStrategyLike(item)) {
      plain.push(item);
    } else {
      throw new UserError(
        `plugin ${source.label}: exports no strategy: expected a ContainerModule (strategyModule(plugin)), a StrategyPlugin or an array of them as its default export, got ${keysOf(item)}`,
      );
    }
  }
  const bound = (id: symbol): unknown[] => {
    try {
      return container.isBound(id) ? container.getAll(id) : [];
    } catch (e) {
      throw new UserError(`plugin ${source.label}: resolving what its module binds failed: ${(e as Error).message}`);
    }
  };
  const strategies = [...bound(StrategyPlugin), ...plain].map((p) => attributed(checkStrategyPlugin(p, source.label), source.label));
  const features = bound(FeatureBuilder).map((f) => checkFeatureBuilder(f, source.label));
  const models = bound(ModelPlugin).map((m) => {
    const model = checkModelPlugin(m, source.label);
    return { ...model, module: model.module ?? source.entry, origin: source.label };
  });
  if (strategies.length === 0 && features.length === 0 && models.length === 0) {
    throw new UserError(`plugin ${source.label}: its container module binds no strategy (StrategyPlugin), no feature (FeatureBuilder) and no model (ModelPlugin)`);
  }
  return { source, strategies, features, models };
}
