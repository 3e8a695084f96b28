import { defineParams, defineStrategy, strategyModule } from '@backtest/core';

/** The benchmark every run reports: fully invested in the asset every period. */
export const buyAndHold = defineStrategy({
  id: 'buy-and-hold',
  description: 'Benchmark: fully invested in the asset every period',
  kind: 'benchmark',
  params: defineParams({}),
  create: () => ({
    minHistory: 1,
    decide: () => 1,
  }),
});

export default strategyModule(buyAndHold);
