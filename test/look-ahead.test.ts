/**
 * No look-ahead, as a property: for every registered strategy, changing any rows after month t
 * never changes a decision made at or before t, nor a value at or before t of an indicator it
 * declares (the property itself: look-ahead-property.ts).
 */
import type { StrategyPlugin } from '@backtest/core';
import { loadStrategyRegistry } from '@backtest/api';
import { assertNoLookAhead } from './look-ahead-property';

/** Small, fast settings for the expensive strategies; the property does not depend on size. */
const FAST: Record<string, Record<string, string>> = {
  'nn-sma': { hidden: '4', epochs: '2', refit: '5', minTrain: '8', window: '3' },
  'ols-sma': { refit: '3', minTrain: '8', window: '3' },
  forecast: { refit: '3', minTrain: '8', window: '3' },
};

const plugins = loadStrategyRegistry().all;

describe.each(plugins.map((p) => [p.id, p] as const))('%s never looks ahead', (id, plugin) => {
  it('keeps every decision up to t when rows after t change', async () => {
    await assertNoLookAhead(plugin, FAST[id] ?? {}, id === 'nn-sma' ? 8 : 40);
  });
});

it('covers the built-in strategies', () => {
  expect(plugins.map((p) => p.id)).toEqual(expect.arrayContaining(['buy-and-hold', 'sma', 'ols-sma', 'nn-sma', 'forecast']));
});

it('catches an indicator that looks ahead', async () => {
  // A cheat: its decisions are honest, but its "indicator" is the next row's close.
  const cheat: StrategyPlugin = {
    id: 'cheat-indicator',
    description: 'leaks',
    kind: 'rule',
    params: {},
    create: () => ({
      minHistory: 1,
      decide: () => 1,
      indicators: (view) => {
        const c = view.closes();
        return [{ name: 'next close', pane: 'price', values: Float64Array.from(c, (_, t) => c[t + 1] ?? NaN) }];
      },
    }),
  };
  await expect(assertNoLookAhead(cheat, {}, 30)).rejects.toThrow('Property failed');
});

it('catches a strategy that leaks the future through prepare()', async () => {
  // A cheat: prepare() sees every view, remembers the last close of the whole walk, and every
  // decision compares with it. The property must fail for it, or the tests above prove nothing.
  const cheat: StrategyPlugin = {
    id: 'cheat',
    description: 'leaks',
    kind: 'rule',
    params: {},
    create: () => {
      let future = 0;
      return {
        minHistory: 1,
        async prepare(views) {
          future = views[views.length - 1]!.close();
        },
        decide: (view) => (future > view.close() ? 1 : 0),
      };
    },
  };
  await expect(assertNoLookAhead(cheat, {}, 30)).rejects.toThrow('Property failed');
});
