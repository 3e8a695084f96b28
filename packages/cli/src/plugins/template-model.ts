/**
 * The source of a model plugin as `backtest new <name> --kind model` writes it: a function
 * building a TensorFlow.js network (any layers the author likes), which the framework trains and
 * predicts with the run's seed. docs/plugins.md shows this code for `my-net`.
 */
export function modelSource(id: string): string {
  return `import { defineParams } from '@backtest/core';
import { defineNetworkModel, modelModule } from '@backtest/forecast';

/**
 * An LSTM over the lookback window and a dense output. Change \`build\` to any TensorFlow.js
 * network taking [steps, inputs] and giving one value per sample. The framework sets every weight
 * from the run's seed (initializer arguments are ignored), trains it walk-forward (epochs,
 * optimizer, early stopping and validation are the training parameters every network model
 * has: --param epochs=50 --param optimizer=adam ...) and predicts with it.
 */
export const model = defineNetworkModel({
  id: '${id}',
  description: 'an LSTM over the lookback window, then a dense output',
  params: defineParams({
    units: { type: 'integer', default: 8, min: 1, description: '${id}: units of the LSTM layer' },
  }),
  build: (tf, { steps, inputs, target }, p) =>
    tf.sequential({
      layers: [
        tf.layers.lstm({ units: p.units, inputShape: [steps, inputs] }),
        // A probability for target=direction, a scaled price otherwise.
        tf.layers.dense({ units: 1, activation: target === 'direction' ? 'sigmoid' : 'linear' }),
      ],
    }),
});

/** Registers the model: backtest --strategy forecast --param model=${id} */
export default modelModule(model);
`;
}

export function modelTestSource(id: string): string {
  return `import { type PriceSeries, resolveParams, silentProgress, type StrategyContext } from '@backtest/core';
import { closeAndSmaFeatures, createForecastStrategy } from '@backtest/forecast';
import { walkForward } from '@backtest/engine';
import { model } from './index';

const context: StrategyContext = { frequency: 'monthly', seed: 42, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

/** Month-end rows from 2000-01 on: a trend with a two-year cycle. */
function monthly(n: number): PriceSeries {
  const close = Float64Array.from({ length: n }, (_, t) => 100 * Math.exp(0.01 * t + 0.15 * Math.sin((2 * Math.PI * t) / 24)));
  const dates = Array.from({ length: n }, (_, i) => \`\${2000 + Math.floor(i / 12)}-\${String((i % 12) + 1).padStart(2, '0')}-28\`);
  return { source: 'in-code', frequency: 'monthly', dates, close, columns: {} };
}

/** The model walk-forward on close and its SMA, refitted every 24 months, 3 epochs a fit. */
async function run(series: PriceSeries) {
  const params = resolveParams(model.id, model.params, { epochs: 3, lookback: 6 });
  const strategy = createForecastStrategy({
    id: 'test',
    features: closeAndSmaFeatures(10),
    model: { plugin: model, params },
    refit: 24,
    window: { kind: 'expanding' },
    minTrain: 24,
    sizing: { kind: 'binary', threshold: 0, short: false },
    context,
  });
  return walkForward(series, strategy);
}

describe('${id}', () => {
  it('trains walk-forward and gives the same forecasts from the same seed', async () => {
    const a = await run(monthly(96));
    expect(a.output.fits).toBeGreaterThan(0);
    expect(a.output.forecasts!.length).toBe(a.weights.length);
    expect(a.output.forecasts!.every((f) => Number.isFinite(f.forecast))).toBe(true);
    const b = await run(monthly(96));
    expect(b.output.forecasts).toEqual(a.output.forecasts);
  }, 60_000);

  it('builds a network taking the lookback window of the features', () => {
    expect(model.input).toBe('sequence');
    expect(resolveParams(model.id, model.params, {}).lookback).toBe(12);
  });
});
`;
}
