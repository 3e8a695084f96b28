import { Container, type ContainerModule, didYouMean, type StrategyPlugin, strategyPlugins, UserError } from '@backtest/core';
import buyAndHold from '@backtest/strategy-buy-and-hold';
import nnSma from '@backtest/strategy-nn-sma';
import olsSma from '@backtest/strategy-ols-sma';
import sma from '@backtest/strategy-sma';

/** The container modules of the strategies that ship with the tool. */
export const builtInStrategyModules: readonly ContainerModule[] = [buyAndHold, sma, olsSma, nnSma];

/**
 * All strategy plugins, collected through the one multi-binding. Modules load flat into one
 * container (nested loading would bind shared modules twice).
 */
export function loadStrategyRegistry(extraModules: readonly ContainerModule[] = []): StrategyRegistry {
  const container = new Container();
  container.loadSync(...builtInStrategyModules, ...extraModules);
  return new StrategyRegistry(strategyPlugins(container));
}

export class StrategyRegistry {
  private readonly byId = new Map<string, StrategyPlugin>();
  constructor(plugins: readonly StrategyPlugin[]) {
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
      throw new UserError(`unknown strategy "${id}"${didYouMean(id, ids)}; available: ${ids.join(', ')} (see "backtest list")`);
    }
    return p;
  }
}
