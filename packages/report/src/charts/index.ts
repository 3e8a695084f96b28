/**
 * Vega-Lite spec builders, one per chart kind. Each returns a complete spec with its data
 * inline, for the HTML report and for any command that draws (the study's figures).
 */
export { drawdownChart } from './drawdown-chart';
export { epochChart } from './epoch-chart';
export { equityChart } from './equity-chart';
export { forecastLevelChart, forecastReturnChart, type ForecastPoint } from './forecast-chart';
export { monthlyHeatmap } from './monthly-heatmap';
export { indicatorChart, priceChart, priceSmaChart } from './price-sma-chart';
export { rollingSharpeChart } from './rolling-sharpe-chart';
export { CHART_CONFIG } from './theme';
export { trainingLossChart } from './training-chart';
