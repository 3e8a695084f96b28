/**
 * The source of a rule plugin as `backtest new <name> --kind rule` writes it. docs/plugins.md
 * shows this code for `my-rule`, and a test checks that the guide and the template agree.
 */
export function ruleSource(id: string): string {
  return `import { defineParams, defineStrategy, strategyModule } from '@backtest/core';

const params = defineParams({
  lookback: { type: 'integer', default: 12, min: 1, max: 600, description: 'momentum look-back, in periods' },
  threshold: { type: 'number', default: 0, min: -1, max: 1, description: 'go long when the look-back return exceeds this' },
});

/**
 * Time-series momentum: long while the close is more than \`threshold\` above the close
 * \`lookback\` periods earlier, else in cash.
 */
export const plugin = defineStrategy({
  id: '${id}',
  description: 'Long when the close beats the close N periods earlier, else cash',
  kind: 'rule',
  params,
  create: ({ lookback, threshold }) => ({
    // The decision at t reads the closes of rows t - lookback and t: lookback + 1 rows.
    minHistory: lookback + 1,
    decide(view) {
      const change = view.close() / view.close(lookback) - 1;
      return change > threshold ? 1 : 0;
    },
  }),
});

export default strategyModule(plugin);
`;
}

export function ruleTestSource(id: string): string {
  return `import { type PriceSeries, resolveParams, silentProgress, type StrategyContext } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { plugin } from './index';

const context: StrategyContext = { frequency: 'monthly', seed: 42, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

/** Month-end rows from 2000-01 on. */
function monthly(closes: readonly number[]): PriceSeries {
  const dates = closes.map((_, i) => \`\${2000 + Math.floor(i / 12)}-\${String((i % 12) + 1).padStart(2, '0')}-28\`);
  return { source: 'in-code', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

describe('${id}', () => {
  it('is long after a rise and in cash after a fall', async () => {
    // Twelve months up 2% a month, then twelve months down 3%.
    const closes = [100];
    for (let i = 0; i < 24; i++) closes.push(closes[closes.length - 1]! * (i < 12 ? 1.02 : 0.97));
    const params = resolveParams(plugin.id, plugin.params, { lookback: '3' });
    const walk = await walkForward(monthly(closes), plugin.create(params, context));
    // The first decision is at row 3, the first with a close three months earlier.
    expect(walk.decisionLabels[0]).toBe('2000-04');
    expect(walk.weights[0]).toBe(1);
    expect(walk.weights[walk.weights.length - 1]).toBe(0);
  });

  it('rejects a look-back of zero', () => {
    expect(() => resolveParams(plugin.id, plugin.params, { lookback: '0' })).toThrow(
      'parameter "lookback" of ${id} must be an integer between 1 and 600, got "0"',
    );
  });
});
`;
}
