import { calendarReturns } from '@backtest/metrics';
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

/** The heatmap's last column: each calendar year's compounded return. */
const YEAR = 'Year';

/**
 * Years down, months across, each cell the month's return: seasonality, streaks and the worst
 * months at a glance; a last column holds each year's compounded return (over the months of it
 * evaluated). The colour scale is symmetric around zero so red and green weigh the same; the year
 * column is coloured on a scale of its own (clipped at a high quantile of the years' returns),
 * mapped onto the months' so that one legend serves: a year at its clip is as deep as a month at its.
 */
export function monthlyHeatmap(o: {
  name: string;
  labels: readonly string[];
  returns: ArrayLike<number>;
  /** Weights held; months wholly in cash are drawn grey, so they do not read as flat markets. */
  weights?: ArrayLike<number>;
}): TopLevelSpec {
  const months = monthlyReturns(o.labels, o.returns, o.weights);
  // Clip the colour scale at a high quantile, so one crash month does not wash out every other cell.
  const clip = (v: number[], floor: number) => {
    const abs = v.map(Math.abs).sort((a, b) => a - b);
    return Math.max(floor, abs[Math.floor(0.95 * (abs.length - 1))] ?? 5 * floor);
  };
  const limit = clip(
    months.map((m) => m.value),
    0.01,
  );
  const yearly = calendarReturns(o.labels, o.returns, 'year');
  const yearLimit = clip(
    yearly.map((y) => y.value),
    0.05,
  );
  const values: Record<string, string | number | boolean | null>[] = months.map((m) => ({
    y: m.month.slice(0, 4),
    m: MONTHS[Number(m.month.slice(5, 7)) - 1]!,
    r: chartNumber(m.value),
    c: chartNumber(m.value),
    ...(m.invested ? {} : { cash: true }),
  }));
  for (const y of yearly) values.push({ y: y.key, m: YEAR, r: chartNumber(y.value), c: chartNumber((y.value * limit) / yearLimit), year: true });
  const cashNote = months.some((m) => !m.invested) ? '; grey: months wholly in cash' : '';
  const years = yearly.map((y) => y.key);
  const cell = 14;
  const height = Math.max(120, years.length * cell);
  return {
    title: {
      text: `Monthly returns of ${o.name}`,
      subtitle: [
        `Each cell is one calendar month; colour clipped at ±${(limit * 100).toFixed(1)}%${cashNote}`,
        `Year: the months evaluated in it compounded (a partial first or last year too), its colour clipped at ±${(yearLimit * 100).toFixed(1)}%`,
      ],
    },
    width: 'container',
    height,
    config: { ...CHART_CONFIG, axis: { ...CHART_CONFIG.axis, grid: false, domain: false, ticks: false } },
    data: { values },
    encoding: {
      x: { field: 'm', type: 'ordinal', sort: [...MONTHS, YEAR], title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', sort: years, title: null, axis: { labelFontSize: 10 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          color: {
            condition: { test: 'datum.cash', value: '#ececec' },
            field: 'c',
            type: 'quantitative',
            title: 'Return',
            scale: { scheme: 'redyellowgreen', domain: [-limit, limit], clamp: true, domainMid: 0 },
            legend: { format: '.0%', orient: 'right', direction: 'vertical', gradientLength: Math.min(160, height - 20) },
          },
          // The year column's cells are set apart by a dark outline.
          stroke: { condition: { test: 'datum.year', value: '#555' }, value: '#fff' },
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
            condition: { test: `!datum.cash && abs(datum.c) > ${(0.7 * limit).toFixed(4)}`, value: '#fff' },
            value: '#222',
          },
        },
      },
    ],
  } as TopLevelSpec;
}
