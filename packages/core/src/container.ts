import { Container, ContainerModule } from 'inversify';
import { StrategyPlugin } from './plugin';

/**
 * The container module a strategy package exports: it binds the plugin into the one
 * multi-binding (`StrategyPlugin`) that the CLI collects.
 */
export function strategyModule(plugin: StrategyPlugin): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<StrategyPlugin>(StrategyPlugin).toConstantValue(plugin);
  });
}

/** Every strategy plugin bound in the container, in binding order. */
export function strategyPlugins(container: Container): StrategyPlugin[] {
  return container.isBound(StrategyPlugin) ? container.getAll<StrategyPlugin>(StrategyPlugin) : [];
}

export { Container, ContainerModule };
