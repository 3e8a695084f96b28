import { defineParams, defineStrategy, strategyModule } from '@backtest/core';
import { SMA } from 'technicalindicators';

const params = defineParams({
  window: { type: 'integer', default: 10, min: 1, max: 10_000, description: 'SMA length in periods (months for monthly data)' },
  short: { type: 'boolean', default: false, description: 'go short (-1) instead of to cash when close <= SMA' },
});

/**
 * The classic trend rule: long while the close is above its simple moving average of the last
 * `window` closes (the current one included), else in cash (or short with `short=true`).
 */
export const smaStrategy = defineStrategy({
  id: 'sma',
  description: 'Long when close > its N-period simple moving average, else cash',
  kind: 'rule',
  params,
  create: ({ window, short }) => ({
    minHistory: window,
    decide(view) {
      const [sma] = SMA.calculate({ period: window, values: Array.from(view.closes(window)) });
      if (sma === undefined) throw new Error(`sma: no average from ${window} closes at ${view.label}`);
      return view.close() > sma ? 1 : short ? -1 : 0;
    },
  }),
});

export default strategyModule(smaStrategy);
