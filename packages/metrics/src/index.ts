export type { Series } from './validate';
export { mean, sampleVariance, sampleStd } from './descriptive';
export { equityCurve, drawdownSeries, maxDrawdown, type MaxDrawdown } from './drawdown';
export { totalReturn, cagr } from './growth';
export { volatility, sharpeRatio, sortinoRatio, informationRatio, rollingSharpe } from './sharpe';
export { alphaBeta, type AlphaBeta } from './regression';
export { exposure, turnover, tradeCount } from './positions';
export { computeMetrics, hitRate, type Metrics, type MetricsInput } from './computeMetrics';
export { forecastMetrics, type ForecastInput, type ForecastMetrics } from './forecastMetrics';
