import { realpathSync } from 'node:fs';
import { Container, ContainerModule, didYouMean, StrategyPlugin, UserError } from '@backtest/core';
import { strategyPlugins } from '@backtest/core/internal';
import { findProjectRoot } from '@backtest/data';
import { builtInFeatures, FeatureBuilder, ModelPlugin } from '@backtest/forecast';
import buyAndHold from '@backtest/strategy-buy-and-hold';
import forecast, { builtInModels, composedParams } from '@backtest/strategy-forecast';
import nnSma from '@backtest/strategy-nn-sma';
import olsSma from '@backtest/strategy-ols-sma';
import sma from '@backtest/strategy-sma';
import { provideHostPackages } from './plugins/host-packages';
import { type LoadedPlugin, loadPlugin } from './plugins/load-plugin';
import { resolvePluginSpec } from './plugins/plugin-source';
import { type ProjectPackage, projectStrategies } from './plugins/project-strategies';

/** The container modules of the strategies that ship with the tool. */
const builtInStrategyModules: readonly ContainerModule[] = [buyAndHold, sma, olsSma, nnSma, forecast];

/** Package names of the built-in strategies: discovery under strategies/ skips them. */
const BUILT_IN_PACKAGES = new Set(['buy-and-hold', 'sma', 'ols-sma', 'nn-sma', 'forecast'].map((n) => `@backtest/strategy-${n}`));

export interface RegistryOptions {
  /** What the user named with `--plugin` or `plugins: [...]`: paths or installed package names. */
  readonly plugins?: readonly string[];
  /** The project whose strategies/ packages load as its own (default: the one this tool is in). */
  readonly projectRoot?: string;
  /** Where relative plugin paths and package names are looked up from. */
  readonly cwd?: string;
  /**
   * What to do with the packages in the project's strategies/ that no flag or config named:
   * 'load' them (a run: they are the project's code, as docs/plugins.md says), or only
   * 'describe' them from their package.json, running none of their code (`backtest list`).
   * @default 'load'
   */
  readonly projectPackages?: 'load' | 'describe';
}

/** A file's real path (symlinks resolved), to tell whether two names are one plugin. */
function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * All strategy plugins, collected through the one multi-binding: the built-in ones, the
 * project's own strategy packages (unless `projectPackages` is 'describe'), and the plugins the
 * user named. Loading a plugin runs its code with the user's rights; nothing is loaded that is
 * not one of these. Modules load flat into one container (nested loading would bind shared
 * modules twice). Every plugin is checked first, alone, so a bad one or a clash of ids gets an
 * error that names it.
 */
export function loadStrategyRegistry(options: RegistryOptions = {}): StrategyRegistry {
  const projectRoot = options.projectRoot ?? findProjectRoot(__dirname);
  const cwd = options.cwd ?? process.cwd();
  const project = projectStrategies(projectRoot, BUILT_IN_PACKAGES);
  const named = (options.plugins ?? []).map((spec) => resolvePluginSpec(spec, cwd, projectRoot));
  if (named.length) provideHostPackages(projectRoot);
  // A project package also named with --plugin loads once, under the name the user gave.
  const namedFiles = new Set(named.map((s) => realFile(s.entry)));
  const unnamed = project.packages.filter((p) => p.entry === undefined || !namedFiles.has(realFile(p.entry)));
  const describeOnly = options.projectPackages === 'describe';
  const projectSources = describeOnly ? [] : unnamed.flatMap((p) => (p.entry ? [{ label: p.label, entry: p.entry }] : []));

  const owners = new Map<string, string>();
  const builtIns = new Container();
  builtIns.loadSync(...builtInStrategyModules);
  for (const p of strategyPlugins(builtIns)) owners.set(`strategy ${p.id}`, `the built-in strategy "${p.id}"`);
  for (const f of builtInFeatures) owners.set(`feature ${f.id}`, `the built-in feature "${f.id}"`);
  for (const m of builtInModels) owners.set(`model ${m.id}`, `the built-in model "${m.id}"`);

  const loaded: LoadedPlugin[] = [];
  for (const source of [...projectSources, ...named]) {
    const plugin = loadPlugin(source);
    const claim = (kind: 'strategy' | 'feature' | 'model', id: string): void => {
      const owner = owners.get(`${kind} ${id}`);
      if (owner) throw new UserError(`plugin ${source.label}: ${kind} id "${id}" is already used by ${owner}`);
      owners.set(`${kind} ${id}`, `plugin ${source.label}`);
    };
    plugin.strategies.forEach((s) => claim('strategy', s.id));
    plugin.features.forEach((f) => claim('feature', f.id));
    plugin.models.forEach((m) => {
      claim('model', m.id);
      // Parameters are passed flat: a model's may not share a name with the forecast strategy's.
      const clash = Object.keys(m.params).find((name) => Object.hasOwn(composedParams, name));
      if (clash)
        throw new UserError(
          `plugin ${source.label}: model "${m.id}": its parameter "${clash}" is also a parameter of the forecast strategy; rename it (parameters are passed flat: --param ${clash}=...)`,
        );
    });
    loaded.push(plugin);
  }

  const container = new Container();
  container.loadSync(
    ...builtInStrategyModules,
    ...loaded.map(
      (p) =>
        new ContainerModule(({ bind }) => {
          for (const s of p.strategies) bind<StrategyPlugin>(StrategyPlugin).toConstantValue(s);
          for (const f of p.features) bind<FeatureBuilder>(FeatureBuilder).toConstantValue(f);
          for (const m of p.models) bind<ModelPlugin>(ModelPlugin).toConstantValue(m);
        }),
    ),
  );
  return new StrategyRegistry(strategyPlugins(container), project.unbuilt, describeOnly ? unnamed : [], container.getAll<ModelPlugin>(ModelPlugin));
}

export class StrategyRegistry {
  private readonly byId = new Map<string, StrategyPlugin>();
  constructor(
    plugins: readonly StrategyPlugin[],
    /** Project strategy packages that are not built yet, named when a lookup fails. */
    private readonly unbuilt: readonly string[] = [],
    /** Project strategy packages described from their package.json and not loaded (`projectPackages: 'describe'`). */
    readonly notLoaded: readonly ProjectPackage[] = [],
    /** Every model plugin the forecast strategy can use (`--param model=ID`), built-in first. */
    readonly models: readonly ModelPlugin[] = [],
  ) {
    for (const p of plugins) {
      if (this.byId.has(p.id)) throw new UserError(`two strategy plugins share the id "${p.id}"`);
      this.byId.set(p.id, p);
    }
  }
  get all(): StrategyPlugin[] {
    return [...this.byId.values()];
  }
  get(id: string): StrategyPlugin {
    const p = this.byId.get(id);
    if (!p) {
      const ids = [...this.byId.keys()];
      const unbuilt = this.unbuilt.length ? `; not built yet, so not loaded: ${this.unbuilt.join(', ')} (run "npm run build")` : '';
      throw new UserError(`unknown strategy "${id}"${didYouMean(id, ids)}; available: ${ids.join(', ')} (see "backtest list")${unbuilt}`);
    }
    return p;
  }
}
