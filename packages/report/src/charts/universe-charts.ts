import type { UniverseAssetDoc } from '../summary';
import { pointsToDraw } from './decimate';
import { ASSET_COLORS, CASH_COLOR, CHART_CONFIG, CHART_HEIGHT, chartNumber, fieldName } from './theme';
import { timeAxis } from './time-series';
import type { TopLevelSpec } from './vega-types';

/** Each asset's colour, the same in every chart of a universe. */
function assetColors(assets: readonly string[]): string[] {
  return assets.map((_, i) => ASSET_COLORS[i % ASSET_COLORS.length]!);
}

export interface WeightsChartOptions {
  /** The evaluation periods, one per weight of every asset. */
  readonly labels: readonly string[];
  readonly assets: readonly string[];
  /** One per asset: the weight held over each period. */
  readonly weights: readonly ArrayLike<number>[];
}

/**
 * The weight held in each asset over time, stacked, with cash (1 − the sum of the absolute
 * weights) on top, so a long-only stack always reaches 1 and the grey shows what was uninvested.
 * Short weights stack below zero. Stored wide (one row per period) and folded in the browser.
 */
export function weightsChart(o: WeightsChartOptions): TopLevelSpec {
  // The uninvested share gets a name no asset has, so its column cannot overwrite an asset's.
  const cash = o.assets.includes('cash') ? 'cash (uninvested)' : 'cash';
  const names = [...o.assets, cash];
  const values = pointsToDraw(o.labels.length, o.weights).map((k) => {
    const row: Record<string, string | number | null> = { t: o.labels[k]! };
    let gross = 0;
    o.assets.forEach((a, i) => {
      const w = o.weights[i]![k]!;
      gross += Math.abs(w);
      row[a] = chartNumber(w);
    });
    row[cash] = chartNumber(1 - gross);
    return row;
  });
  return {
    title: { text: 'Weights over time', subtitle: 'The weight held in each asset over each period, stacked; cash is the rest (1 − the sum of the absolute weights)' },
    width: 'container',
    height: CHART_HEIGHT,
    config: CHART_CONFIG,
    data: { values },
    transform: [
      { fold: names.map(fieldName), as: ['series', 'weight'] },
      { filter: 'isValid(datum.weight)' },
      // Stacked in the universe's order from zero, cash last (on top); the legend reads the same way.
      { calculate: `indexof(${JSON.stringify(names)}, datum.series)`, as: 'stack' },
    ],
    // A weight is held over the period that ends at its label: the step rises at the close before.
    mark: { type: 'area', interpolate: 'step-before' },
    encoding: {
      x: { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: timeAxis(o.labels) },
      y: { field: 'weight', type: 'quantitative', stack: 'zero', axis: { title: 'Weight (share of the portfolio)', format: '.0%' } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, range: [...assetColors(o.assets), CASH_COLOR] },
        legend: { symbolType: 'square' },
      },
      order: { field: 'stack', type: 'quantitative' },
      tooltip: [
        { field: 't', type: 'nominal', title: 'Period' },
        { field: 'series', type: 'nominal', title: 'Asset' },
        { field: 'weight', type: 'quantitative', title: 'Weight', format: '.1%' },
      ],
    },
  } as TopLevelSpec;
}

/**
 * Each asset's contribution (the sum over the periods of its weight times its return) as a bar,
 * its mean weight and own total return in the tooltip: which assets the result came from.
 */
export function contributionChart(assets: readonly UniverseAssetDoc[]): TopLevelSpec {
  const names = assets.map((a) => a.name);
  const values = assets.map((a) => ({ asset: a.name, contribution: chartNumber(a.contribution), meanWeight: chartNumber(a.meanWeight), totalReturn: chartNumber(a.totalReturn) }));
  return {
    title: { text: 'Contribution of each asset', subtitle: 'Sum over the evaluation periods of the weight held in the asset times its return' },
    width: 'container',
    height: Math.max(80, 28 * names.length),
    config: CHART_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: { field: 'asset', type: 'nominal', title: null, sort: names, scale: { domain: names } },
          x: { field: 'contribution', type: 'quantitative', title: 'Contribution (sum of weight × return)', axis: { format: '.1~%' } },
          color: { field: 'asset', type: 'nominal', scale: { domain: names, range: assetColors(names) }, legend: null },
          tooltip: [
            { field: 'asset', type: 'nominal', title: 'Asset' },
            { field: 'contribution', type: 'quantitative', title: 'Contribution', format: '.2%' },
            { field: 'meanWeight', type: 'quantitative', title: 'Mean weight', format: '.1%' },
            { field: 'totalReturn', type: 'quantitative', title: 'Its total return', format: '.1%' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#777' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/**
 * The correlation of the assets' period returns as a matrix of cells, each with its value to two
 * decimals; blue for assets that move together, red for ones that move apart, grey where undefined.
 */
export function correlationHeatmap(assets: readonly string[], correlation: readonly (readonly (number | null)[])[]): TopLevelSpec {
  const values = assets.flatMap((a, i) => assets.map((b, j) => ({ a, b, r: chartNumber(correlation[i]?.[j] ?? NaN) })));
  // Square cells, narrower as the assets grow in number, so the matrix fits the page.
  const cell = Math.max(24, Math.min(56, Math.floor(640 / assets.length)));
  const axis = { type: 'ordinal', sort: assets, scale: { domain: assets }, title: null } as const;
  return {
    title: { text: 'Correlation of the assets', subtitle: 'Pearson correlation of the period returns over the evaluation periods' },
    width: cell * assets.length,
    height: cell * assets.length,
    config: { ...CHART_CONFIG, axis: { ...CHART_CONFIG.axis, grid: false, domain: false, ticks: false } },
    data: { values },
    encoding: {
      x: { field: 'b', ...axis, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'a', ...axis },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 1 },
        encoding: {
          color: {
            condition: { test: '!isValid(datum.r)', value: '#ececec' },
            field: 'r',
            type: 'quantitative',
            title: 'Correlation',
            scale: { scheme: 'redblue', domain: [-1, 1] },
            legend: { orient: 'right', direction: 'vertical', gradientLength: Math.max(80, cell * assets.length - 20) },
          },
          tooltip: [
            { field: 'a', title: 'Asset' },
            { field: 'b', title: 'and' },
            { field: 'r', type: 'quantitative', title: 'Correlation', format: '.2f' },
          ],
        },
      },
      {
        transform: [{ filter: 'isValid(datum.r)' }],
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'r', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'abs(datum.r) > 0.6', value: '#fff' }, value: '#222' },
        },
      },
    ],
  } as TopLevelSpec;
}
