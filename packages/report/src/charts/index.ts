/**
 * Vega-Lite spec builders, one per chart kind. Each returns a complete spec with its data
 * inline, for the HTML report and for any command that draws (the study's figures).
 */
export type { Comparison } from './comparison';
export { drawdownChart } from './drawdown-chart';
export { epochChart, type EpochChartOptions, type EpochSeries, type ReferenceLine } from './epoch-chart';
export { equityChart } from './equity-chart';
export { forecastLevelChart, forecastReturnChart, type ForecastPoint } from './forecast-chart';
export { monthlyHeatmap, monthlyReturns } from './monthly-heatmap';
export { type NetworkLayer, networkDiagram } from './network-diagram';
export { indicatorChart, priceChart, type PriceChartOptions, priceSmaChart, type PriceSmaOptions, simpleMovingAverage } from './price-sma-chart';
export { rollingSharpeChart, type RollingSharpeOptions } from './rolling-sharpe-chart';
export { CHART_CONFIG, logTicks } from './theme';
export { timeSeriesChart, type TimeSeries, type TimeSeriesChartOptions } from './time-series';
export { trainingLossChart } from './training-chart';
