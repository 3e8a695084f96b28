import type { TopLevelSpec } from './vega-types';
import { CHART_CONFIG, chartNumber } from './theme';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Compounded return of each calendar month, from period returns labelled `YYYY-MM` or ISO dates. */
export function monthlyReturns(labels: readonly string[], returns: ArrayLike<number>, weights?: ArrayLike<number>): { month: string; value: number; invested: boolean }[] {
  const out: { month: string; value: number; invested: boolean }[] = [];
  labels.forEach((l, i) => {
    const m = l.slice(0, 7);
    const invested = weights ? weights[i] !== 0 : true;
    const last = out[out.length - 1];
    if (last && last.month === m) {
      last.value = (1 + last.value) * (1 + returns[i]!) - 1;
      last.invested ||= invested;
    } else out.push({ month: m, value: returns[i]!, invested });
  });
  return out;
}

/**
 * Years down, months across, each cell the month's return: seasonality, streaks and the worst
 * months at a glance. The colour scale is symmetric around zero so red and green weigh the same.
 */
export function monthlyHeatmap(o: {
  name: string;
  labels: readonly string[];
  returns: ArrayLike<number>;
  /** Weights held; months wholly in cash are drawn grey, so they do not read as flat markets. */
  weights?: ArrayLike<number>;
}): TopLevelSpec {
  const months = monthlyReturns(o.labels, o.returns, o.weights);
  const values = months.map((m) => ({
    y: m.month.slice(0, 4),
    m: MONTHS[Number(m.month.slice(5, 7)) - 1]!,
    r: chartNumber(m.value),
    ...(m.invested ? {} : { cash: true }),
  }));
  const cashNote = months.some((m) => !m.invested) ? '; grey: months wholly in cash' : '';
  const years = [...new Set(values.map((v) => v.y))];
  // Clip the colour scale at a high quantile, so one crash month does not wash out every other cell.
  const abs = months.map((m) => Math.abs(m.value)).sort((a, b) => a - b);
  const limit = Math.max(0.01, abs[Math.floor(0.95 * (abs.length - 1))] ?? 0.05);
  const cell = 14;
  return {
    title: { text: `Monthly returns of ${o.name}`, subtitle: `Each cell is one calendar month; colour clipped at ±${(limit * 100).toFixed(1)}%${cashNote}` },
    width: 'container',
    height: Math.max(120, years.length * cell),
    config: { ...CHART_CONFIG, axis: { ...CHART_CONFIG.axis, grid: false, domain: false, ticks: false } },
    data: { values },
    encoding: {
      x: { field: 'm', type: 'ordinal', sort: MONTHS, title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', sort: years, title: null, axis: { labelFontSize: 10 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          color: {
            condition: { test: 'datum.cash', value: '#ececec' },
            field: 'r',
            type: 'quantitative',
            title: 'Return',
            scale: { scheme: 'redyellowgreen', domain: [-limit, limit], clamp: true, domainMid: 0 },
            legend: { format: '.0%', orient: 'right', direction: 'vertical', gradientLength: 160 },
          },
          tooltip: [
            { field: 'y', title: 'Year' },
            { field: 'm', title: 'Month' },
            { field: 'r', type: 'quantitative', title: 'Return', format: '.2%' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 8.5 },
        encoding: {
          text: { field: 'r', type: 'quantitative', format: '.1%' },
          color: {
            condition: { test: `!datum.cash && abs(datum.r) > ${(0.7 * limit).toFixed(4)}`, value: '#fff' },
            value: '#222',
          },
        },
      },
    ],
  } as TopLevelSpec;
}
