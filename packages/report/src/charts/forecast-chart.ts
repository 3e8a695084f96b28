import type { TopLevelSpec } from './vega-types';
import { CHART_CONFIG, CHART_HEIGHT, chartNumber, EXTRA_COLORS, maxAbs, STRATEGY_COLOR } from './theme';
import { timeSeriesChart } from './time-series';

const MAX_POINTS = 2000;

export interface ForecastPoint {
  /** The decision period the forecast was made at. */
  readonly label: string;
  /** Close at the decision, the forecast of the next close, and the next close itself. */
  readonly close: number;
  readonly forecast: number;
  readonly actual: number;
}

/** Forecast and realised next close over time, on a log scale; each point sits at the period forecast. */
export function forecastLevelChart(points: readonly ForecastPoint[], asset: string): TopLevelSpec {
  const next = (p: ForecastPoint) => p.actual;
  return timeSeriesChart({
    title: 'Forecast against actual next close',
    subtitle: 'Plotted at the period the forecast was made, for the period after it',
    labels: points.map((p) => p.label),
    series: [
      { name: 'Actual next close', values: points.map(next), color: '#222' },
      { name: 'Forecast', values: points.map((p) => p.forecast), color: STRATEGY_COLOR, dash: [4, 2] },
    ],
    y: { title: `${asset} close (log scale)`, format: ',.0f', log: true },
  });
}

/**
 * The return each forecast implied (forecast / close - 1) against the return that followed. A
 * forecast with skill leans along the diagonal; a cloud around a flat line has none, however
 * close the two level lines look (the next close is mostly this close).
 */
export function forecastReturnChart(points: readonly ForecastPoint[]): TopLevelSpec {
  // A scatter of every forecast of a long daily run would be thousands of SVG circles; an even
  // sample of at most MAX_POINTS shows the same cloud.
  const step = Math.ceil(points.length / MAX_POINTS);
  const values = points
    .filter((_, i) => i % step === 0)
    .map((p) => ({ t: p.label, f: chartNumber(p.forecast / p.close - 1), a: chartNumber(p.actual / p.close - 1) }))
    .filter((v) => v.f !== null && v.a !== null);
  // Separate scales: forecasts move far less than prices do, and on the realised scale they
  // would collapse into a thin column. The diagonal still marks forecast = realised.
  const xl =
    maxAbs(
      values.map((v) => v.f!),
      0.005,
    ) * 1.05;
  const yl =
    maxAbs(
      values.map((v) => v.a!),
      0.005,
    ) * 1.05;
  const d = Math.min(xl, yl);
  const x = {
    field: 'f',
    type: 'quantitative' as const,
    title: 'Forecast return (forecast / close − 1)',
    axis: { format: xl > 0.03 ? '.0%' : '.1%', tickCount: 8 },
    scale: { domain: [-xl, xl], nice: false },
  };
  const y = { field: 'a', type: 'quantitative' as const, title: 'Realised return (next close / close − 1)', axis: { format: '.0%' }, scale: { domain: [-yl, yl], nice: false } };
  return {
    title: {
      text: 'Forecast return against realised return',
      subtitle: `${step > 1 ? `Every ${step}th forecast` : 'One point per forecast'}, axes scaled separately; the dashed line is forecast = realised`,
    },
    width: 'container',
    height: CHART_HEIGHT + 60,
    config: CHART_CONFIG,
    data: { values },
    layer: [
      {
        data: {
          values: [
            { f: -d, a: -d },
            { f: d, a: d },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 3], strokeWidth: 1 },
        encoding: { x, y },
      },
      {
        mark: { type: 'point', filled: true, size: 14, opacity: 0.55, color: EXTRA_COLORS[1] },
        encoding: {
          x,
          y,
          tooltip: [
            { field: 't', type: 'nominal', title: 'Forecast made at' },
            { field: 'f', type: 'quantitative', title: 'Forecast return', format: '.2%' },
            { field: 'a', type: 'quantitative', title: 'Realised return', format: '.2%' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
