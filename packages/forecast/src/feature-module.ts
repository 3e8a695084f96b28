import { ContainerModule } from '@backtest/core';
import { FeatureBuilder } from './feature-builder';

/**
 * The container module that registers feature builders: bound into the one `FeatureBuilder`
 * multi-binding, they become usable by name in the `forecast` strategy
 * (`--param features=...`). A plugin package may export one next to its strategy.
 */
export function featureModule(...builders: readonly FeatureBuilder[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const b of builders) bind<FeatureBuilder>(FeatureBuilder).toConstantValue(b);
  });
}
