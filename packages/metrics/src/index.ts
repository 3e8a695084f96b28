// `@public`: functions README.md lists that no code here calls (see knip.jsonc).
export { correlation, mean, sampleVariance } from './descriptive';
export { equityCurve, drawdownSeries, worstDrawdowns, type DrawdownEpisode } from './drawdown';
export { calendarReturns, yearlyReturns } from './calendar';
export { histogram } from './histogram';
export { roundTrips } from './trades';
export { sharpeRatio, rollingSharpe } from './sharpe';
export { computeMetrics, type Metrics } from './computeMetrics';
export { forecastMetrics, type ForecastMetrics } from './forecastMetrics';

// Statistics for `backtest compare`
export { erfc, /** @public */ normalCdf, normalSf, /** @public */ normalQuantile } from './stats/normal';
export { /** @public */ lnGamma } from './stats/gamma';
export { /** @public */ regularizedBeta } from './stats/incompleteBeta';
export { /** @public */ studentTCdf, studentTTwoSided } from './stats/studentT';
export { skewness, kurtosis } from './stats/higherMoments';
export { probabilisticSharpeRatio } from './stats/probabilisticSharpe';
export { deflatedSharpeRatio, /** @public */ expectedMaxSharpe } from './stats/deflatedSharpe';
export { mulberry32 } from './stats/random';
export { quantileSorted, stationaryBootstrapSharpeDiff } from './stats/stationaryBootstrap';
export { dieboldMariano } from './stats/dieboldMariano';
export { /** @public */ clarkWest } from './stats/clarkWest';
export { ledoitWolfBootstrap, ledoitWolfSharpeDiff } from './stats/ledoitWolf';
export { directionMetrics, type DirectionMetrics } from './directionMetrics';
export { rollingBeta, rollingVolatility, trailingMeanSd, trailingSma } from './rolling';
export { benchmarkDifferences, type MultipleTestingResult, multipleTesting } from './stats/multipleTesting';
export { type PboInput, type PboResult, pbo } from './stats/pbo';
