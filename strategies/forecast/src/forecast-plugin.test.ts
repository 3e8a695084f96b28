import { createMarketView, defineParams, type PriceSeries, resolveParams, silentProgress } from '@backtest/core';
import { strategyParams } from '@backtest/core/internal';
import { builtInFeatures, defineModel, type FeatureBuilder, type ModelPlugin } from '@backtest/forecast';
import { composedForecastStrategy, forecastPreset } from './forecast-plugin';
import { builtInModels, nnModel, olsModel } from './models';

const context = { frequency: 'monthly' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

describe('the composed forecast strategy', () => {
  const extra: FeatureBuilder = { id: 'extra', description: 'a plugin feature', warmup: () => 0, build: (c) => c };
  const plugin = composedForecastStrategy([...builtInFeatures, extra], builtInModels);

  it('lists the registered features in its parameter help', () => {
    expect(plugin.params.features.description).toBe('model inputs besides close, by name: sma, ema, rsi, momentum, macd, volatility, extra');
  });

  it("takes its own parameters and, flat after them, the chosen model's", () => {
    const own = ['model', 'features', 'target', 'window', 'refit', 'trainWindow', 'minTrain', 'threshold', 'sizing', 'fullAt', 'short', 'select'];
    expect(Object.keys(plugin.params)).toEqual(own);
    expect(plugin.params.model.type === 'enum' && plugin.params.model.values).toEqual(['ols', 'ridge', 'nn', 'lstm', 'gru', 'conv1d']);
    expect(Object.keys(strategyParams(plugin, {}))).toEqual(own);
    expect(Object.keys(strategyParams(plugin, { model: 'nn' }))).toEqual([...own, ...Object.keys(nnModel.params)]);
    expect(strategyParams(plugin, { model: 'nn', epochs: '5' })).toMatchObject({ model: 'nn', features: 'sma', window: 10, hidden: [10], epochs: 5 });
    expect(strategyParams(plugin, { model: 'lstm' })).toMatchObject({ lookback: 12, units: 32, epochs: 20 });
  });

  it("refuses another model's parameter, and an unknown model, with a hint", () => {
    expect(() => strategyParams(plugin, { model: 'ols', units: '32' })).toThrow(/^unknown parameter "units" for strategy "forecast"/);
    expect(() => strategyParams(plugin, { model: 'lstn' })).toThrow(
      /parameter "model" of strategy "forecast" must be one of ols, ridge, nn, lstm, gru, conv1d \(did you mean "lstm"\?\)/,
    );
  });

  it('takes 0.5 as the default threshold of a direction forecast (a probability)', () => {
    expect(strategyParams(plugin, {}).threshold).toBe(0);
    expect(strategyParams(plugin, { target: 'direction' }).threshold).toBe(0.5);
    expect(strategyParams(plugin, { target: 'direction', threshold: '0.6' }).threshold).toBe(0.6);
    expect(() => strategyParams(plugin, { target: 'direction', threshold: '-0.1' })).toThrow(/must be a number between 0 and 1/);
    const p = strategyParams(plugin, { target: 'direction', sizing: 'proportional' });
    expect(() => plugin.create(p as never, context)).toThrow(/sizing=proportional needs a forecast return; target=direction forecasts a probability/);
    const ridge = strategyParams(plugin, { model: 'ridge', target: 'direction' });
    expect(() => plugin.create(ridge as never, context)).toThrow('forecast: model "ridge" cannot learn target "direction" (it learns: price)');
  });

  it("refuses, when models are registered, a model's parameter named like one of the strategy's", () => {
    const clash: ModelPlugin = defineModel({
      id: 'clash',
      description: 'd',
      input: 'row',
      params: defineParams({ window: { type: 'integer', default: 3, description: 'd' } }),
      create: () => ({ fit: () => ({ history: { loss: [] } }), predict: (x) => new Float64Array(x.rows) }),
    }) as unknown as ModelPlugin;
    expect(() => composedForecastStrategy(builtInFeatures, [...builtInModels, clash])).toThrow(
      'model "clash": its parameter "window" is also a parameter of the forecast strategy; rename it (parameters are passed flat: --param window=...)',
    );
  });

  it('declares the unscaled indicators behind its features: SMA and EMA on the price pane, RSI on its own, none for the others', () => {
    const n = 40;
    const series: PriceSeries = {
      source: 'in-code',
      frequency: 'monthly',
      dates: Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`),
      close: Float64Array.from({ length: n }, (_, t) => 100 + t + 5 * Math.sin(t)),
      columns: {},
    };
    const p = strategyParams(plugin, { features: 'sma,momentum,ema,rsi', window: '4' }) as never;
    const declared = plugin.create(p, context).indicators!(createMarketView(series, n - 1));
    expect(declared.map((i) => [i.name, i.pane])).toEqual([
      ['4-month SMA', 'price'],
      ['4-month EMA', 'price'],
      ['4-month RSI', 'own'],
    ]);
    const sma = declared[0]!.values;
    expect(sma.length).toBe(n);
    expect(sma[2]).toBeNaN();
    for (const t of [3, 17, n - 1]) expect(sma[t]).toBeCloseTo((series.close[t]! + series.close[t - 1]! + series.close[t - 2]! + series.close[t - 3]!) / 4, 10);
    const rsi = declared[2]!.values;
    expect(Array.from(rsi.slice(5)).every((v) => v >= 0 && v <= 100)).toBe(true);
    // A plugin feature without an indicator declares nothing.
    const own = strategyParams(plugin, { features: 'extra', window: '4' }) as never;
    expect(plugin.create(own, context).indicators!(createMarketView(series, n - 1))).toEqual([]);
  });

  it('needs the warm-up of its slowest feature', () => {
    const p = strategyParams(plugin, { features: 'sma,macd', window: '4', minTrain: '8' }) as never;
    // macd's warm-up (25 + 3 rows) + 8 training rows + the decision row.
    expect(plugin.create(p, context).minHistory).toBe(28 + 8 + 1);
  });

  it('refuses an unknown feature with the list of registered ones', () => {
    const p = strategyParams(plugin, { features: 'sma,extr' }) as never;
    expect(() => plugin.create(p, context)).toThrow(
      'strategy "forecast": unknown feature "extr" (did you mean "extra"?); registered features: sma, ema, rsi, momentum, macd, volatility, extra',
    );
  });

  it('refuses a malformed feature list before it is created', () => {
    expect(() => resolveParams('forecast', plugin.params, { features: 'sma,,rsi' })).toThrow(
      'parameter "features" of forecast must be a comma-separated list of feature names, e.g. sma,rsi, got "sma,,rsi"',
    );
  });
});

describe('presets', () => {
  it("ols-sma and nn-sma are presets: the composed parameters less model, features and target, and the model's", () => {
    const { smaFeature } = jest.requireActual('@backtest/forecast') as typeof import('@backtest/forecast');
    const ols = forecastPreset({ id: 'ols-x', description: 'd', model: olsModel, features: [smaFeature] });
    const nn = forecastPreset({ id: 'nn-x', description: 'd', model: nnModel, features: [smaFeature] });
    expect(Object.keys(ols.params)).toEqual(['window', 'refit', 'trainWindow', 'minTrain', 'threshold', 'sizing', 'fullAt', 'short', 'select']);
    expect(Object.keys(nn.params)).toEqual([
      'window',
      'refit',
      'trainWindow',
      'minTrain',
      'threshold',
      'sizing',
      'fullAt',
      'short',
      'select',
      'hidden',
      'activation',
      'epochs',
      'optimizer',
      'learningRate',
      'batchSize',
      'patience',
      'validation',
      'trainer',
    ]);
  });
});

describe("model faults, said in the strategy's terms", () => {
  const plugin = composedForecastStrategy(builtInFeatures, builtInModels);
  const nn = (params: Record<string, string>) => strategyParams(plugin, { model: 'nn', ...params }) as never;

  it('refuses a network too big for memory when the strategy is created, naming hidden and its weights', () => {
    expect(() => plugin.create(nn({ hidden: '100000,100000' }), context)).toThrow(
      /^strategy "forecast": parameter "hidden" \(100000,100000\): a 2-100000-100000-1 network has 10,000,500,001 weights: .* more than the 1 GB a fit may use; use fewer or smaller hidden layers$/,
    );
    expect(() => plugin.create(nn({ hidden: '300,100' }), context)).not.toThrow();
  });

  it('names the fit that diverged by its refit month, and its regressor by its fit number', async () => {
    // Five years of a trending, cycling monthly close from 2000-01.
    const n = 60;
    const series: PriceSeries = {
      source: 'in-code',
      frequency: 'monthly',
      dates: Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`),
      close: Float64Array.from({ length: n }, (_, t) => 100 * Math.exp(0.01 * t + 0.1 * Math.sin(t / 3))),
      columns: {},
    };
    const p = nn({ learningRate: '1.5', minTrain: '12', refit: '12' });
    const strategy = plugin.create(p, context);
    const views = Array.from({ length: n - strategy.minHistory + 1 }, (_, k) => createMarketView(series, strategy.minHistory - 1 + k));
    // The first decision, 2002-07 (the warm-up and minTrain rows before it), is fit 0's refit.
    const message = /^strategy "forecast": fit 0 \(refit at 2002-07\) diverged at epoch \d+ \(training loss [^)]+\): lower learningRate \(now 1\.5\)$/;
    expect(views[0]!.label).toBe('2002-07');
    await expect(strategy.prepare!(views)).rejects.toThrow(message);
  });
});
