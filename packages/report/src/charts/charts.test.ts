import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { TrainingRecord } from '@backtest/core';
import { fixtureRecord } from '../__fixtures__/record';
import { universeRecord } from '../__fixtures__/universe-record';
import { detachData } from '../html/detach-data';
import { reportCharts } from '../html/report-charts';
import { pointsToDraw } from './decimate';
import { epochChart } from './epoch-chart';
import { networkDiagram } from './network-diagram';
import { priceSmaChart, simpleMovingAverage } from './price-sma-chart';
import { monthlyReturns } from './monthly-heatmap';
import { chartNumber, logTicks } from './theme';
import { trainingLossChart } from './training-chart';
import { rollingSharpe, sharpeRatio } from '@backtest/metrics';

type Rendered = Record<string, { error?: string; warnings: string[]; svg?: string }>;

/**
 * Renders specs to SVG with the real vega and vega-lite (see the fixture script), their data
 * detached into named datasets and filled in through the View API, as the report does.
 */
function render(specs: Record<string, unknown>): Rendered {
  const data: Record<string, unknown[]> = {};
  const detached = Object.fromEntries(Object.entries(specs).map(([id, s]) => [id, detachData(s, id, data)]));
  const r = spawnSync(process.execPath, [path.join(__dirname, '../__fixtures__/render-specs.mjs')], {
    input: JSON.stringify({ specs: detached, data }),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Rendered;
}

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

interface AnySpec {
  data?: { values: Record<string, unknown>[] };
  layer: { data?: { values: Record<string, unknown>[] }; mark: unknown; encoding?: Record<string, { axis?: { values?: number[] } }> }[];
}

describe('chart specs', () => {
  it('every chart of a forecast run compiles with Vega-Lite and draws marks without warnings', () => {
    const charts = reportCharts(fixtureRecord({ rows: 72, forecast: true }));
    expect(charts.map((c) => c.id)).toEqual(['equity', 'drawdown', 'price', 'rolling-sharpe', 'heatmap', 'forecast-level', 'forecast-return', 'training']);
    const out = render(Object.fromEntries(charts.map((c) => [c.id, c.spec])));
    for (const c of charts) {
      const r = out[c.id]!;
      expect({ id: c.id, error: r.error, warnings: r.warnings }).toEqual({ id: c.id, error: undefined, warnings: [] });
      expect(count(r.svg!, /<path /g)).toBeGreaterThan(2);
    }
    // Two series each: two coloured lines (stroke of the strategy and of buy-and-hold).
    expect(out.equity!.svg).toContain('stroke="#1f5fbf"');
    expect(out.equity!.svg).toContain('stroke="#e08a1e"');
    // One heatmap cell per evaluated month, drawn as rect paths.
    expect(count(out.heatmap!.svg!, /class="mark-rect role-mark/g)).toBe(1);
    expect(out.heatmap!.svg).toContain('Jan');
    // Axis titles carry units.
    expect(out.drawdown!.svg).toContain('Drawdown from peak (%)');
    expect(out.equity!.svg).toContain('Value of 1 invested (log scale)');
  });

  it('a direction forecast (probabilities, no price) draws no forecast charts and titles its training loss as cross-entropy', () => {
    const rec = fixtureRecord({ rows: 72, forecast: true });
    const direction = { ...rec, forecasts: rec.forecasts!.map((f, i) => ({ ...f, forecast: Number.NaN, probability: 0.4 + 0.01 * (i % 20) })) };
    const charts = reportCharts(direction);
    expect(charts.map((c) => c.id)).toEqual(['equity', 'drawdown', 'price', 'rolling-sharpe', 'heatmap', 'training']);
    expect(JSON.stringify(charts.find((c) => c.id === 'training')!.spec)).toContain('Loss (binary cross-entropy)');
    expect(JSON.stringify(reportCharts(rec).find((c) => c.id === 'training')!.spec)).toContain('Loss (MSE of the scaled target)');
  });

  it('a rule strategy gets no forecast or training charts; a short run no rolling Sharpe', () => {
    expect(reportCharts(fixtureRecord({ rows: 72 })).map((c) => c.id)).toEqual(['equity', 'drawdown', 'price', 'rolling-sharpe', 'heatmap']);
    expect(reportCharts(fixtureRecord({ rows: 30 })).map((c) => c.id)).toEqual(['equity', 'drawdown', 'price', 'heatmap']);
  });

  it('the equity chart plots the compounded returns, and its log axis has round 1-2-5 ticks', () => {
    const rec = fixtureRecord({ rows: 60 });
    const spec = reportCharts(rec).find((c) => c.id === 'equity')!.spec as unknown as AnySpec;
    const rows = spec.data!.values;
    let e = 1;
    rec.periods.strategyReturns &&
      Array.from(rec.periods.strategyReturns).forEach((r, k) => {
        e *= 1 + r;
        expect(rows[k]!.sma).toBe(chartNumber(e));
        expect(rows[k]!.t).toBe(rec.periods.labels[k]);
      });
    expect(logTicks(0.8, 80)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(0.3, 0.9)).toEqual([0.5]);
    expect(logTicks(1, 1e9)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
  });

  it('draws the indicators a strategy declares, and a strategy declaring none gets the price alone', () => {
    const price = (rec: ReturnType<typeof fixtureRecord>) => reportCharts(rec).find((c) => c.id === 'price')!.spec as unknown as AnySpec & { title: { text: string } };
    const domain = (spec: AnySpec) => (spec.layer[spec.layer.length - 1] as unknown as { encoding: { color: { scale: { domain: string[] } } } }).encoding.color.scale.domain;
    const none = price(fixtureRecord());
    expect(none.title.text).toBe('fixture close');
    expect(domain(none)).toEqual(['Close']);
    expect(JSON.stringify(none)).not.toContain('SMA');
    const rec = fixtureRecord({ indicators: true });
    const withSma = price(rec);
    expect(withSma.title.text).toBe('fixture with its 3-month SMA');
    expect(domain(withSma)).toEqual(['Close', '3-month SMA']);
    const rows = withSma.layer[withSma.layer.length - 1]!.data!.values;
    expect(rows[1]!['3-month SMA']).toBeNull();
    expect(rows[5]!['3-month SMA']).toBe(chartNumber(rec.indicators![0]!.values[5]!));
    // The own-pane one gets a chart of its own, right below the price.
    const ids = reportCharts(rec).map((c) => c.id);
    expect(ids.slice(ids.indexOf('price'), ids.indexOf('price') + 2)).toEqual(['price', 'indicators']);
    expect(reportCharts(fixtureRecord()).map((c) => c.id)).not.toContain('indicators');
    const out = render({ price: withSma, indicators: reportCharts(rec).find((c) => c.id === 'indicators')!.spec });
    expect(out.price!.error).toBeUndefined();
    expect(out.price!.svg).toContain('3-month SMA');
    expect(out.indicators!.error).toBeUndefined();
    expect(out.indicators!.svg).toContain('oscillator');
  });

  it('shades the periods held, each from the close before it to its own close', () => {
    const labels = ['2000-01', '2000-02', '2000-03', '2000-04', '2000-05', '2000-06'];
    const held = new Map([
      ['2000-02', 0],
      ['2000-03', 1],
      ['2000-04', 1],
      ['2000-05', 0],
      ['2000-06', -1],
    ]);
    const spec = priceSmaChart({ asset: 'x', labels, close: [1, 2, 3, 4, 5, 6], window: 2, held }) as unknown as AnySpec;
    expect(spec.layer[0]!.data!.values).toEqual([
      { start: '2000-02', end: '2000-04', position: 'Strategy long' },
      { start: '2000-05', end: '2000-06', position: 'Strategy short' },
    ]);
    expect(Array.from(simpleMovingAverage([1, 2, 3, 4], 2))).toEqual([NaN, 1.5, 2.5, 3.5]);
  });

  it('compounds daily returns into calendar months for the heatmap', () => {
    expect(monthlyReturns(['2000-01-30', '2000-01-31', '2000-02-01'], [0.1, 0.1, -0.5], [0, 1, 0])).toEqual([
      { month: '2000-01', value: 1.1 * 1.1 - 1, invested: true },
      { month: '2000-02', value: -0.5, invested: false },
    ]);
  });

  it('epoch charts draw several curves and labelled reference lines (the study figures)', () => {
    const spec = epochChart({
      title: 'RMSE by epoch',
      series: [
        { name: 'Training RMSE', values: [1.3, 1.0, 0.9] },
        { name: 'Validation RMSE', values: [1.0, 0.8, 0.7] },
      ],
      references: [{ name: 'Regression, training', value: 0.85 }],
      yTitle: 'RMSE (standardised units)',
    });
    const out = render({ spec }).spec!;
    expect(out.error).toBeUndefined();
    expect(out.svg).toContain('Regression, training');
    expect(out.svg).toContain('RMSE (standardised units)');
    expect(count(out.svg!, /class="mark-rule role-mark/g)).toBe(1);
  });

  it('a training chart of many fits draws an even sample of them but averages all', () => {
    const records: TrainingRecord[] = [];
    for (let fit = 0; fit < 200; fit++) for (let epoch = 1; epoch <= 3; epoch++) records.push({ fit, epoch, loss: fit + epoch });
    const spec = trainingLossChart(records) as unknown as AnySpec;
    const faint = spec.layer[0]!.data!.values;
    expect(new Set(faint.map((v) => v.fit)).size).toBe(50);
    const means = spec.layer[spec.layer.length - 1]!.data!.values;
    expect(means.find((m) => m.epoch === 1)).toEqual({ epoch: 1, kind: 'Training', loss: 100.5, fits: 200 });
  });

  it("the rolling Sharpe is each window's full-sample Sharpe ratio, to the last bit (cash windows undefined)", () => {
    const rec = fixtureRecord({ rows: 120 });
    const r = Array.from(rec.periods.strategyReturns);
    for (let i = 20; i < 60; i++) r[i] = 0; // a long spell in cash: constant windows
    const cash = Float64Array.from(r, (_, i) => 0.001 * (i % 3));
    for (const c of [0, 0.002, cash]) {
      const rolled = rollingSharpe(r, 36, 12, c);
      for (let end = 36; end <= r.length; end++) {
        const window = r.slice(end - 36, end);
        const expected = sharpeRatio(window, 12, typeof c === 'number' ? c : c.slice(end - 36, end));
        expect(Object.is(rolled[end - 1], expected) || (Number.isNaN(rolled[end - 1]!) && Number.isNaN(expected))).toBe(true);
      }
    }
    expect(Number.isNaN(rollingSharpe(r, 36, 12, 0)[58]!)).toBe(true);
  });

  it('draws a network diagram: every shown node joined to the next layer, wide layers truncated, layers labelled', () => {
    const spec = networkDiagram({
      title: '2 -> 300 -> 100 -> 1',
      layers: [{ units: 2 }, { units: 300, activation: 'relu' }, { units: 100, activation: 'relu' }, { units: 1, activation: 'linear' }],
    });
    const layers = (spec as unknown as AnySpec).layer;
    expect(layers[0]!.data!.values).toHaveLength(2 * 10 + 10 * 10 + 10 * 1);
    expect(layers[1]!.data!.values).toHaveLength(2 + 10 + 10 + 1);
    const out = render({ spec }).spec!;
    expect(out.error).toBeUndefined();
    expect(out.warnings).toEqual([]);
    for (const text of ['Input: 2 units', 'Hidden 1: 300 units', 'Hidden 2: 100 units', 'Output: 1 unit', 'relu', 'linear', '⋮']) expect(out.svg).toContain(text);
  });

  it('draws long (daily) series through min/max buckets that keep every extreme, short ones whole', () => {
    expect(pointsToDraw(665, [[]])).toHaveLength(665);
    const n = 14_000;
    const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 37) + 0.001 * i);
    const b = Float64Array.from({ length: n }, (_, i) => (i === 9_876 ? -5 : Math.cos(i / 11)));
    const keep = pointsToDraw(n, [a, b]);
    expect(keep.length).toBeLessThan(3_100);
    expect(keep).toEqual([...new Set(keep)].sort((x, y) => x - y));
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    expect(keep).toContain(9_876); // the one-day crash of b
    expect(keep).toContain(a.indexOf(Math.max(...a)));
  });
});

describe('the charts of a universe', () => {
  const rec = universeRecord({ rows: 72, forecast: true });

  it('replace the price chart with weights, contributions and correlations; forecasts are drawn as returns only', () => {
    const charts = reportCharts(rec);
    expect(charts.map((c) => c.id)).toEqual(['equity', 'drawdown', 'weights', 'contribution', 'correlation', 'rolling-sharpe', 'heatmap', 'forecast-return', 'training']);
    const out = render(Object.fromEntries(charts.map((c) => [c.id, c.spec])));
    for (const c of charts) {
      const r = out[c.id]!;
      expect({ id: c.id, error: r.error, warnings: r.warnings }).toEqual({ id: c.id, error: undefined, warnings: [] });
    }
    // One area per asset and one for cash, in the universe's order; a bar per asset; a cell per pair of assets.
    expect(count(out.weights!.svg!, /class="mark-area role-mark/g)).toBe(4);
    expect(out.weights!.svg).toContain('Symbol legend for fill color with 4 values: sp500, ndx, gold, cash');
    expect(out.contribution!.svg).toContain('Y-axis for a discrete scale with 3 values: sp500, ndx, gold');
    expect(count(out.correlation!.svg!, />1\.00</g)).toBe(3);
    // The benchmark is named for what it is.
    expect(out.equity!.svg).toContain('equal weight');
  });

  it('a short weight stacks below zero, and cash is what the absolute weights leave', () => {
    const weights = [
      [0.5, 0.5],
      [0.2, -0.3],
    ];
    const spec = reportCharts({ ...rec, universe: { ...rec.universe!, assets: ['a', 'b'], weights, returns: weights, closes: [[], []] } }).find((c) => c.id === 'weights')!.spec;
    const rows = (spec as unknown as AnySpec).data!.values;
    expect(rows.slice(0, 2)).toEqual([
      { t: rec.periods.labels[0], a: 0.5, b: 0.2, cash: 0.3 },
      { t: rec.periods.labels[1], a: 0.5, b: -0.3, cash: 0.2 },
    ]);
    const out = render({ spec }).spec!;
    expect({ error: out.error, warnings: out.warnings }).toEqual({ error: undefined, warnings: [] });
  });
});
