import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { TrainingRecord } from '@backtest/core';
import { fixtureRecord, RUN_CHARTS, SHORT_RUN_CHARTS, UNIVERSE_CHARTS } from '../__fixtures__/record';
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
    expect(charts.map((c) => c.id)).toEqual([...RUN_CHARTS, 'forecast-level', 'forecast-return', 'training']);
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
    expect(charts.map((c) => c.id)).toEqual([...RUN_CHARTS, 'training']);
    expect(JSON.stringify(charts.find((c) => c.id === 'training')!.spec)).toContain('Loss (binary cross-entropy)');
    expect(JSON.stringify(reportCharts(rec).find((c) => c.id === 'training')!.spec)).toContain('Loss (MSE of the scaled target)');
  });

  it('a rule strategy gets no forecast or training charts; a short run no rolling Sharpe', () => {
    expect(reportCharts(fixtureRecord({ rows: 72 })).map((c) => c.id)).toEqual(RUN_CHARTS);
    expect(reportCharts(fixtureRecord({ rows: 30 })).map((c) => c.id)).toEqual(SHORT_RUN_CHARTS);
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
    expect(logTicks(1, 1e9)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
    // The ranges of real runs: 1-2-5 over decades, 1 among the ticks whenever it is in range.
    expect(logTicks(0.8, 150)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(1, 3000)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]);
    // Narrow ranges, where 1-2-5 leaves too few: the multiples of one round step.
    expect(logTicks(0.95, 1.3)).toEqual([1, 1.1, 1.2, 1.3]);
    expect(logTicks(0.8, 3)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(logTicks(0.3, 0.9)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(logTicks(0.97, 1.02)).toEqual([0.97, 0.98, 0.99, 1, 1.01, 1.02]);
    // Many decades: every other power of ten, counted from 1.
    expect(logTicks(1e-3, 1e12)).toEqual([0.01, 1, 100, 1e4, 1e6, 1e8, 1e10, 1e12]);
    // 1 in range is always a tick, and every tick is in range.
    for (const [a, b] of [
      [0.9, 9],
      [0.6, 42],
      [0.5, 1],
      [0.999, 1.001],
      [0.02, 1.5],
    ] as const) {
      const t = logTicks(a, b);
      expect({ a, b, one: t.includes(1), inRange: t.every((v) => v >= a / 1.0001 && v <= b * 1.0001), some: t.length >= 2 }).toEqual({
        a,
        b,
        one: true,
        inRange: true,
        some: true,
      });
    }
    // The equity axis' domain includes the start value 1, so the rule at 1 is inside it.
    const up = fixtureRecord({ rows: 60 });
    const rising = {
      ...up,
      periods: { ...up.periods, strategyReturns: Array.from(up.periods.strategyReturns, () => 0.01), benchmarkReturns: Array.from(up.periods.benchmarkReturns, () => 0.02) },
    };
    const eq = JSON.stringify(reportCharts(rising).find((c) => c.id === 'equity')!.spec);
    expect(eq).toContain('"domain":[1,');
    expect(eq).toMatch(/"values":\[1,/);
  });

  it('draws the strategy’s drawdown as an area over the benchmark’s line, the two in their colours', () => {
    const spec = reportCharts(fixtureRecord({ rows: 72 })).find((c) => c.id === 'drawdown')!.spec as unknown as AnySpec;
    const areas = spec.layer.filter((l) => (l.mark as { type: string }).type === 'area');
    expect(areas.map((a) => (a.mark as { color: string }).color)).toEqual(['#1f5fbf']);
    const out = render({ drawdown: spec }).drawdown!;
    expect(count(out.svg!, /class="mark-area role-mark/g)).toBe(1);
    expect(out.svg).toContain('stroke="#e08a1e"');
  });

  it('the heatmap’s year column holds each calendar year compounded; the distribution counts every month once on shared bins', () => {
    const rec = fixtureRecord({ rows: 72 });
    const p = rec.periods;
    const heat = reportCharts(rec).find((c) => c.id === 'heatmap')!.spec as unknown as AnySpec;
    const cells = heat.data!.values;
    // Plain: the product of (1 + r) over the periods labelled in each year.
    const byYear = new Map<string, number>();
    p.labels.forEach((l, i) => byYear.set(l.slice(0, 4), (byYear.get(l.slice(0, 4)) ?? 1) * (1 + p.strategyReturns[i]!)));
    const years = cells.filter((c) => c.m === 'Year');
    expect(years.map((c) => c.y)).toEqual([...byYear.keys()]);
    for (const c of years) expect(c.r).toBeCloseTo(byYear.get(c.y as string)! - 1, 5);
    expect(cells.filter((c) => c.m !== 'Year')).toHaveLength(new Set(p.labels.map((l) => l.slice(0, 7))).size);
    const dist = reportCharts(rec).find((c) => c.id === 'returns-distribution')!.spec as unknown as AnySpec;
    const bars = dist.data!.values as { series: string; lo: number; hi: number; n: number }[];
    for (const [name, returns] of [
      ['sma', p.strategyReturns],
      ['buy-and-hold', p.benchmarkReturns],
    ] as const) {
      const mine = bars.filter((b) => b.series === name);
      expect(mine.reduce((a, b) => a + b.n, 0)).toBe(p.labels.length);
      // Every month in the bin whose range holds it (monthly run: a month is a period).
      for (const b of mine) expect(b.n).toBe(Array.from(returns).filter((r) => r >= b.lo - 1e-12 && r < b.hi - 1e-12).length);
    }
    const out = render({ heatmap: heat, dist });
    expect({ error: out.heatmap!.error, warnings: out.heatmap!.warnings }).toEqual({ error: undefined, warnings: [] });
    expect(out.heatmap!.svg).toContain('Year');
    expect({ error: out.dist!.error, warnings: out.dist!.warnings }).toEqual({ error: undefined, warnings: [] });
    expect(count(out.dist!.svg!, /<path /g)).toBeGreaterThan(5);
  });

  it('rolling volatility and beta are each trailing window’s sd and OLS slope; a run too short for 36 months gets no beta chart', () => {
    const rec = fixtureRecord({ rows: 72 });
    const p = rec.periods;
    const charts = reportCharts(rec);
    const rows = (id: string) => (charts.find((c) => c.id === id)!.spec as unknown as AnySpec).data!.values;
    const vol = rows('rolling-volatility');
    const beta = rows('rolling-beta');
    const s = Array.from(p.strategyReturns);
    const b = Array.from(p.benchmarkReturns);
    const mean = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
    for (let i = 0; i < s.length; i++) {
      const v = vol.find((r) => r.t === p.labels[i])!;
      const bt = beta.find((r) => r.t === p.labels[i])!;
      if (i < 11) expect(v.sma).toBeNull();
      else {
        const w = s.slice(i - 11, i + 1);
        const m = mean(w);
        expect(v.sma).toBeCloseTo(Math.sqrt(w.reduce((a, x) => a + (x - m) ** 2, 0) / 11) * Math.sqrt(12), 5);
      }
      if (i < 35) expect(bt['sma beta']).toBeNull();
      else {
        const ws = s.slice(i - 35, i + 1);
        const wb = b.slice(i - 35, i + 1);
        const ms = mean(ws);
        const mb = mean(wb);
        const cov = ws.reduce((a, x, k) => a + (x - ms) * (wb[k]! - mb), 0);
        const vb = wb.reduce((a, x) => a + (x - mb) ** 2, 0);
        expect(bt['sma beta']).toBeCloseTo(cov / vb, 5);
      }
    }
    expect(reportCharts(fixtureRecord({ rows: 36 })).map((c) => c.id)).not.toContain('rolling-beta');
    expect(reportCharts(fixtureRecord({ rows: 12 })).map((c) => c.id)).not.toContain('rolling-volatility');
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
    expect(charts.map((c) => c.id)).toEqual([...UNIVERSE_CHARTS, 'forecast-return', 'training']);
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
