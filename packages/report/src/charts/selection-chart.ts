import type { SelectionRecord } from '@backtest/core';
import { CHART_CONFIG, STRATEGY_COLOR } from './theme';
import type { TopLevelSpec } from './vega-types';

/** Which candidate nested walk-forward selection chose at each refit: one point per fit, candidates on the vertical axis in their order. */
export function selectionChart(s: SelectionRecord): TopLevelSpec {
  const values = s.choices.map((c) => ({ refit: c.refit, chosen: c.chosen, score: Math.min(...c.scores.filter(Number.isFinite)) }));
  return {
    title: {
      text: 'Parameters chosen at each refit',
      subtitle: `Nested selection over ${s.configurations.length} candidates, each scored by ${s.metric} on the latest ${Math.round(s.validation * 100)}% of the fit's training rows (at least 12)`,
    },
    width: 'container',
    height: Math.max(80, 26 * s.configurations.length),
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'point', filled: true, size: 60, color: STRATEGY_COLOR },
    encoding: {
      x: { field: 'refit', type: 'temporal', title: 'Refit', axis: { format: '%Y' } },
      y: { field: 'chosen', type: 'nominal', title: null, sort: [...s.configurations], scale: { domain: [...s.configurations] } },
      tooltip: [
        { field: 'refit', title: 'refit' },
        { field: 'chosen', title: 'chosen' },
        { field: 'score', title: 'its score', format: '.4g' },
      ],
    },
  } as TopLevelSpec;
}
