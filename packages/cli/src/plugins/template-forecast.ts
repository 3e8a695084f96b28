/**
 * The source of a forecast plugin as `backtest new <name> --kind forecast` writes it: a
 * feature builder of its own plus the SMA, and least squares, on the shared forecast building
 * block. docs/plugins.md shows this code for `my-forecast`; a test keeps the two in step.
 */
export function forecastSource(id: string): string {
  return `import { ContainerModule, defineStrategy, StrategyPlugin } from '@backtest/core';
import {
  composeFeatures,
  createForecastStrategy,
  defineModel,
  FeatureBuilder,
  forecastParams,
  sizingFrom,
  smaFeature,
  trainingWindowFrom,
} from '@backtest/forecast';
import { OlsModel } from '@backtest/models';

/**
 * Where the close sits in its N-period high-low range: -1 at the low, 1 at the high. Row t
 * reads closes t-N+1..t only. It needs no scaling: the range makes it free of the price level
 * (a feature in price units would be z-scored with \`trailingZScore\`, by rows <= t).
 */
export const rangeFeature: FeatureBuilder = {
  id: '${id}-range',
  description: 'position of close in its N-period high-low range, -1 to 1',
  warmup: (window) => window - 1,
  build(closes, window) {
    const position = new Float64Array(closes.length).fill(NaN);
    for (let t = window - 1; t < closes.length; t++) {
      let low = Infinity;
      let high = -Infinity;
      for (let j = t - window + 1; j <= t; j++) {
        low = Math.min(low, closes[j]!);
        high = Math.max(high, closes[j]!);
      }
      position[t] = high > low ? (2 * (closes[t]! - low)) / (high - low) - 1 : 0;
    }
    return position;
  },
};

/**
 * Least squares with an intercept on the decision month's features: a model as the framework
 * sees one (fit on samples, predict samples; a row model's sample is one feature row).
 */
export const leastSquares = defineModel({
  id: '${id}-ols',
  description: 'least squares with an intercept',
  input: 'row',
  params: {},
  create() {
    const ols = new OlsModel();
    return {
      fit: (x, y) => ols.fit({ rows: x.rows, cols: x.cols, data: x.data }, y),
      predict: (x) => ols.predict({ rows: x.rows, cols: x.cols, data: x.data }),
    };
  },
});

/**
 * Forecast next period's close by least squares on the scaled close, its SMA and its range
 * position, refitted walk-forward; long when the forecast beats the close by the threshold.
 */
export const plugin = defineStrategy({
  id: '${id}',
  description: 'OLS forecast of next close from close, SMA and range position',
  kind: 'forecast',
  params: forecastParams,
  create: (p, context) =>
    createForecastStrategy({
      id: '${id}',
      features: composeFeatures([smaFeature, rangeFeature], p.window),
      model: { plugin: leastSquares, params: {} },
      refit: p.refit,
      window: trainingWindowFrom(p),
      minTrain: p.minTrain,
      sizing: sizingFrom(p),
      context,
    }),
});

/** The strategy, and the feature for the composed strategy: --strategy forecast --param features=sma,${id}-range */
export default new ContainerModule(({ bind }) => {
  bind<StrategyPlugin>(StrategyPlugin).toConstantValue(plugin);
  bind<FeatureBuilder>(FeatureBuilder).toConstantValue(rangeFeature);
});
`;
}

export function forecastTestSource(id: string): string {
  return `import { type PriceSeries, resolveParams, silentProgress, type StrategyContext } from '@backtest/core';
import { walkForward } from '@backtest/engine';
import { plugin, rangeFeature } from './index';

const context: StrategyContext = { frequency: 'monthly', seed: 42, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

/** Month-end rows from 2000-01 on. */
function monthly(closes: readonly number[]): PriceSeries {
  const dates = closes.map((_, i) => \`\${2000 + Math.floor(i / 12)}-\${String((i % 12) + 1).padStart(2, '0')}-28\`);
  return { source: 'in-code', frequency: 'monthly', dates, close: Float64Array.from(closes), columns: {} };
}

describe('${id}', () => {
  it('learns a cycle: long before rises, in cash before falls', async () => {
    // Ten years of a 1%-a-month trend with a two-year cycle of +-15%.
    const closes = Array.from({ length: 120 }, (_, t) => 100 * Math.exp(0.01 * t + 0.15 * Math.sin((2 * Math.PI * t) / 24)));
    const params = resolveParams(plugin.id, plugin.params, {});
    const walk = await walkForward(monthly(closes), plugin.create(params, context));
    expect(walk.output.fits).toBeGreaterThan(0);
    expect(walk.output.forecasts).toHaveLength(walk.weights.length);
    // A decision is right when it is long before a rise and in cash before a fall; always
    // being long would be right in only about two months of three here.
    const right = walk.weights.filter((w, k) => (w === 1) === (walk.assetReturns[k]! > 0)).length;
    expect(right / walk.weights.length).toBeGreaterThan(0.9);
  });

  it('reads rows up to t only', () => {
    const closes = Float64Array.from([5, 4, 6, 8, 7, 9, 12, 10, 11, 13]);
    const full = rangeFeature.build(closes, 3);
    const cut = rangeFeature.build(closes.slice(0, 7), 3);
    expect(Array.from(cut)).toEqual(Array.from(full.slice(0, 7)));
    // Row 3: close 8 is the high of 4, 6, 8.
    expect(full[3]).toBe(1);
    expect(Number.isNaN(full[1]!)).toBe(true);
  });
});
`;
}
