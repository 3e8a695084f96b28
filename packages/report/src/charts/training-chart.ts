import type { TopLevelSpec } from './vega-types';
import type { TrainingRecord } from '@backtest/core';
import { BENCHMARK_COLOR, CHART_CONFIG, CHART_HEIGHT, chartNumber, STRATEGY_COLOR } from './theme';

/** Most fits drawn one by one; past it an even sample is drawn, and the mean still uses all. */
const MAX_FITS_DRAWN = 60;

/**
 * Training and validation loss by epoch for every walk-forward fit: each fit a faint line, the
 * mean over fits by epoch a bold one. Walk-forward runs train hundreds of models, so a legend
 * entry per fit would be unreadable; the faint lines still show the spread and the outliers.
 */
export function trainingLossChart(records: readonly TrainingRecord[], o: { yTitle?: string } = {}): TopLevelSpec {
  const fits = [...new Set(records.map((r) => r.fit))].sort((a, b) => a - b);
  const step = Math.ceil(fits.length / MAX_FITS_DRAWN);
  const drawn = new Set(fits.filter((_, i) => i % step === 0));
  const kinds = ['Training', 'Validation'];
  const hasVal = records.some((r) => r.valLoss !== undefined && Number.isFinite(r.valLoss));
  const lines: { fit: number; epoch: number; kind: string; loss: number | null }[] = [];
  const sums = new Map<string, { sum: number; n: number; epoch: number; kind: string }>();
  const add = (r: TrainingRecord, kind: string, loss: number) => {
    if (!Number.isFinite(loss)) return;
    if (drawn.has(r.fit)) lines.push({ fit: r.fit, epoch: r.epoch, kind, loss: chartNumber(loss) });
    const key = `${kind}:${r.epoch}`;
    const s = sums.get(key) ?? { sum: 0, n: 0, epoch: r.epoch, kind };
    s.sum += loss;
    s.n++;
    sums.set(key, s);
  };
  for (const r of records) {
    add(r, 'Training', r.loss);
    if (r.valLoss !== undefined) add(r, 'Validation', r.valLoss);
  }
  const means = [...sums.values()].map((s) => ({ epoch: s.epoch, kind: s.kind, loss: chartNumber(s.sum / s.n), fits: s.n }));
  const domain = hasVal ? kinds : kinds.slice(0, 1);
  const color = {
    field: 'kind',
    type: 'nominal',
    title: null,
    scale: { domain, range: [STRATEGY_COLOR, BENCHMARK_COLOR] },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3 },
  } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  const yTitle = o.yTitle ?? 'Loss (MSE of the scaled target)';
  // Linear, not log: walk-forward losses mostly span well under a decade, where a log axis
  // would show one or two ticks and flatten the curves.
  const y = { field: 'loss', type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { format: '.3~g' } } as const;
  const sampled = drawn.size < fits.length ? `, ${drawn.size} of them drawn (evenly spaced)` : '';
  return {
    title: {
      text: hasVal ? 'Training and validation loss by epoch' : 'Training loss by epoch',
      subtitle: `${fits.length} walk-forward fits${sampled}: faint lines one fit each, bold lines the mean over fits`,
    },
    width: 'container',
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
    layer: [
      // The faint lines stay outside the colour scale, so the legend shows the bold lines' colours.
      ...domain.map((kind, i) => ({
        data: { values: lines },
        transform: [{ filter: { field: 'kind', equal: kind } }],
        mark: { type: 'line', strokeWidth: 0.8, opacity: drawn.size <= 10 ? 0.4 : 0.15, color: [STRATEGY_COLOR, BENCHMARK_COLOR][i] },
        encoding: { x, y, detail: { field: 'fit' } },
      })),
      {
        data: { values: means },
        mark: { type: 'line', strokeWidth: 2.5, point: { size: 16 } },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'kind', title: 'Series' },
            { field: 'epoch', title: 'Epoch' },
            { field: 'loss', title: 'Mean loss', format: '.4f' },
            { field: 'fits', title: 'Fits that reached this epoch' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
