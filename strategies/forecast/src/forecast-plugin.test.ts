import { createMarketView, type PriceSeries, resolveParams, silentProgress } from '@backtest/core';
import { builtInFeatures, type FeatureBuilder } from '@backtest/forecast';
import { composedForecastStrategy } from './forecast-plugin';

const context = { frequency: 'monthly' as const, seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

describe('the composed forecast strategy', () => {
  const extra: FeatureBuilder = { id: 'extra', description: 'a plugin feature', warmup: () => 0, build: (c) => c };
  const plugin = composedForecastStrategy([...builtInFeatures, extra]);

  it('lists the registered features in its parameter help', () => {
    expect(plugin.params.features.description).toBe('model inputs besides close, by name: sma, ema, rsi, momentum, macd, volatility, extra');
  });

  it('takes every forecast and network parameter of nn-sma, plus model and features', () => {
    expect(Object.keys(plugin.params)).toEqual([
      'model', 'features', 'window', 'refit', 'trainWindow', 'minTrain', 'threshold', 'sizing', 'fullAt', 'short',
      'hidden', 'activation', 'epochs', 'optimizer', 'learningRate', 'batchSize', 'patience', 'validation', 'trainer',
    ]);
    expect(resolveParams('forecast', plugin.params, {})).toMatchObject({ model: 'ols', features: 'sma', window: 10, hidden: [10], epochs: 20 });
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
    const p = resolveParams('forecast', plugin.params, { features: 'sma,momentum,ema,rsi', window: '4' });
    const declared = plugin.create(p, context).indicators!(createMarketView(series, n - 1));
    expect(declared.map((i) => [i.name, i.pane])).toEqual([['4-month SMA', 'price'], ['4-month EMA', 'price'], ['4-month RSI', 'own']]);
    const sma = declared[0]!.values;
    expect(sma.length).toBe(n);
    expect(sma[2]).toBeNaN();
    for (const t of [3, 17, n - 1]) expect(sma[t]).toBeCloseTo((series.close[t]! + series.close[t - 1]! + series.close[t - 2]! + series.close[t - 3]!) / 4, 10);
    const rsi = declared[2]!.values;
    expect(Array.from(rsi.slice(5)).every((v) => v >= 0 && v <= 100)).toBe(true);
    // A plugin feature without an indicator declares nothing.
    const own = resolveParams('forecast', plugin.params, { features: 'extra', window: '4' });
    expect(plugin.create(own, context).indicators!(createMarketView(series, n - 1))).toEqual([]);
  });

  it('needs the warm-up of its slowest feature', () => {
    const p = resolveParams('forecast', plugin.params, { features: 'sma,macd', window: '4', minTrain: '8' });
    // macd's warm-up (25 + 3 rows) + 8 training rows + the decision row.
    expect(plugin.create(p, context).minHistory).toBe(28 + 8 + 1);
  });

  it('refuses an unknown feature with the list of registered ones', () => {
    const p = resolveParams('forecast', plugin.params, { features: 'sma,extr' });
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
  it('ols-sma and nn-sma are presets: the composed parameters less model and features (and the network\'s for ols)', () => {
    const { forecastPreset } = jest.requireActual('./forecast-plugin') as typeof import('./forecast-plugin');
    const { smaFeature } = jest.requireActual('@backtest/forecast') as typeof import('@backtest/forecast');
    const ols = forecastPreset({ id: 'ols-x', description: 'd', model: 'ols', features: [smaFeature] });
    const nn = forecastPreset({ id: 'nn-x', description: 'd', model: 'nn', features: [smaFeature] });
    expect(Object.keys(ols.params)).toEqual(['window', 'refit', 'trainWindow', 'minTrain', 'threshold', 'sizing', 'fullAt', 'short']);
    expect(Object.keys(nn.params)).toEqual([
      'window', 'refit', 'trainWindow', 'minTrain', 'threshold', 'sizing', 'fullAt', 'short',
      'hidden', 'activation', 'epochs', 'optimizer', 'learningRate', 'batchSize', 'patience', 'validation', 'trainer',
    ]);
  });
});

describe('model faults, said in the strategy\'s terms', () => {
  const plugin = composedForecastStrategy(builtInFeatures);
  const nn = (params: Record<string, string>) => resolveParams('forecast', plugin.params, { model: 'nn', ...params });

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
    // One fit at a time, the regressor names its fit.
    const { nnPart } = jest.requireActual('./models') as typeof import('./models');
    const part = nnPart(p, 2, context, 'forecast');
    expect(() => part.regressor(0).fit({ rows: 24, cols: 2, data: Float64Array.from({ length: 48 }, (_, i) => Math.sin(i)) }, Float64Array.from({ length: 24 }, (_, i) => Math.cos(i)))).toThrow(
      /^fit 0 diverged at epoch/,
    );
  });
});
