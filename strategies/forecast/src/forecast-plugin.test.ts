import { resolveParams, silentProgress } from '@backtest/core';
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
