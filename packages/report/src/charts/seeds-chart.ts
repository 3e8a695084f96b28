import type { SeedsSummary } from '../summary';
import { BENCHMARK_COLOR, CHART_CONFIG, EXTRA_COLORS, STRATEGY_COLOR } from './theme';
import type { TopLevelSpec } from './vega-types';

/**
 * The Sharpe ratio of every seed of a stochastic strategy as a strip of points against
 * buy-and-hold's (a vertical line), the headline seed ringed, and the ensemble's when there is one:
 * how much of a result is the seed's.
 */
export function seedsChart(id: string, s: SeedsSummary): TopLevelSpec {
  const points = s.runs
    .filter((r) => Number.isFinite(r.sharpe))
    .map((r) => ({ what: r.seed === s.headlineSeed ? `headline: seed ${r.seed}` : `${id}, one seed`, seed: r.seed, sharpe: r.sharpe }));
  const ensemble = s.ensemble && Number.isFinite(s.ensemble.sharpe) ? [{ what: `ensemble of the ${s.ensemble.members} seeds`, seed: null, sharpe: s.ensemble.sharpe }] : [];
  const domain = [`${id}, one seed`, ...points.filter((p) => p.seed === s.headlineSeed).map((p) => p.what), ...ensemble.map((e) => e.what)];
  const colors = [STRATEGY_COLOR, '#0b2e66', EXTRA_COLORS[0]!].slice(0, domain.length);
  return {
    title: {
      text: `Sharpe ratio over ${s.n} seeds`,
      subtitle: `Each point one seed's run; the line is buy-and-hold's ${s.benchmarkSharpe.toFixed(3)}. ${Math.round(s.beatBenchmark * s.n)} of ${s.n} seeds beat it.`,
    },
    width: 'container',
    height: 110,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: [...points, ...ensemble] },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
        encoding: {
          x: { field: 'sharpe', type: 'quantitative', title: 'Sharpe ratio (annualised)', scale: { zero: false, padding: 20 } },
          color: { field: 'what', type: 'nominal', title: null, scale: { domain, range: colors } },
          shape: { field: 'what', type: 'nominal', title: null, scale: { domain, range: ['circle', 'diamond', 'square'].slice(0, domain.length) } },
          tooltip: [
            { field: 'what', title: 'run' },
            { field: 'seed', title: 'seed' },
            { field: 'sharpe', title: 'Sharpe', format: '.3f' },
          ],
        },
      },
      {
        data: { values: [{ sharpe: s.benchmarkSharpe, what: 'buy-and-hold' }] },
        mark: { type: 'rule', strokeWidth: 2, color: BENCHMARK_COLOR },
        encoding: {
          x: { field: 'sharpe', type: 'quantitative' },
          tooltip: [
            { field: 'what', title: 'run' },
            { field: 'sharpe', title: 'Sharpe', format: '.3f' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
