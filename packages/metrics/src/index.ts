export type { Series } from './validate';
export { mean, sampleVariance, sampleStd } from './descriptive';
export { equityCurve, drawdownSeries, maxDrawdown, type MaxDrawdown } from './drawdown';
export { totalReturn, cagr } from './growth';
export { volatility, sharpeRatio, sortinoRatio, informationRatio, rollingSharpe } from './sharpe';
export { alphaBeta, type AlphaBeta } from './regression';
export { exposure, turnover, tradeCount } from './positions';
export { computeMetrics, hitRate, type Metrics, type MetricsInput } from './computeMetrics';
export { forecastMetrics, type ForecastInput, type ForecastMetrics } from './forecastMetrics';

// Statistics for `backtest compare`
export { erf, erfc, normalPdf, normalCdf, normalSf, normalQuantile } from './stats/normal';
export { lnGamma, lnBeta } from './stats/gamma';
export { regularizedBeta, regularizedBetaComplement } from './stats/incompleteBeta';
export { studentTCdf, studentTSf, studentTTwoSided } from './stats/studentT';
export { skewness, kurtosis } from './stats/higherMoments';
export { probabilisticSharpeRatio, probabilisticSharpeRatioOfReturns } from './stats/probabilisticSharpe';
export { deflatedSharpeRatio, expectedMaxSharpe, EULER_GAMMA } from './stats/deflatedSharpe';
export { mulberry32, type Rng } from './stats/random';
export { optimalBlockLength } from './stats/blockLength';
export {
  stationaryBootstrapSharpeDiff,
  stationaryBootstrapIndices,
  quantileSorted,
  type SharpeDiffBootstrapOptions,
  type SharpeDiffBootstrapResult,
} from './stats/stationaryBootstrap';
export {
  dieboldMariano,
  type DieboldMarianoOptions,
  type DieboldMarianoResult,
  type ForecastLoss,
} from './stats/dieboldMariano';
export { clarkWest, type ClarkWestInput, type ClarkWestResult } from './stats/clarkWest';
export { ledoitWolfSharpeDiff, type LedoitWolfResult } from './stats/ledoitWolf';
export { directionMetrics, type DirectionInput, type DirectionMetrics } from './directionMetrics';
export { trailingMeanSd, trailingSma } from './rolling';
