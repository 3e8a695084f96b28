import type { ForecastRecord, TrainingRecord } from '@backtest/core';
import type { RunRecord } from '../run-record';
import type { RunSummary } from '../summary';

/** A deterministic pseudo-random walk, so fixtures never change between runs. */
/** The charts of a run report (one series, a rule strategy, 36 periods or more), in page order: a forecast's own come after them. */
export const RUN_CHARTS = ['equity', 'drawdown', 'price', 'rolling-sharpe', 'rolling-volatility', 'rolling-beta', 'heatmap', 'returns-distribution'];

/** A run of fewer periods than the rolling Sharpe's and beta's windows: the charts it still draws. */
export const SHORT_RUN_CHARTS = ['equity', 'drawdown', 'price', 'rolling-volatility', 'heatmap', 'returns-distribution'];

/** The charts of a universe's run report: weights, contributions and correlations instead of the price. */
export const UNIVERSE_CHARTS = [
  'equity',
  'drawdown',
  'weights',
  'contribution',
  'correlation',
  'rolling-sharpe',
  'rolling-volatility',
  'rolling-beta',
  'heatmap',
  'returns-distribution',
];

export function walk(n: number, seed: number): number[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const out = [100];
  for (let i = 1; i < n; i++) out.push(out[i - 1]! * (1 + 0.008 + 0.09 * next()));
  return out;
}

export function monthLabel(i: number, startYear = 1990): string {
  return `${startYear + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * A small run record shaped like a real one: `rows` monthly closes, an SMA(3)-like rule from
 * row 3, returns that follow from them, and (for a forecast strategy) forecasts and training.
 */
export function fixtureRecord(o: { rows?: number; forecast?: boolean; fits?: number; epochs?: number; indicators?: boolean } = {}): RunRecord {
  const rows = o.rows ?? 48;
  const close = walk(rows, 7);
  const labels = close.map((_, i) => monthLabel(i));
  const first = 3;
  const periodLabels: string[] = [];
  const asset: number[] = [];
  const weights: number[] = [];
  const strat: number[] = [];
  const bench: number[] = [];
  let prev = 0;
  for (let t = first; t < rows - 1; t++) {
    const sma = (close[t]! + close[t - 1]! + close[t - 2]!) / 3;
    const w = close[t]! > sma ? 1 : 0;
    const r = close[t + 1]! / close[t]! - 1;
    periodLabels.push(labels[t + 1]!);
    asset.push(r);
    weights.push(w);
    strat.push(w * r - 0.001 * Math.abs(w - prev));
    bench.push(r - (t === first ? 0.001 : 0));
    prev = w;
  }
  const forecasts: ForecastRecord[] = [];
  const training: TrainingRecord[] = [];
  if (o.forecast) {
    const fits = o.fits ?? 3;
    for (let t = first; t < rows - 1; t++) {
      const fit = Math.min(fits - 1, Math.floor(((t - first) * fits) / (rows - 1 - first)));
      forecasts.push({ label: labels[t]!, close: close[t]!, forecast: close[t]! * (1.004 + 0.001 * (t % 5)), features: { close: 0.1 * (t % 7) - 0.3, sma: 0.05 * (t % 3) }, fit });
    }
    for (let f = 0; f < fits; f++) {
      for (let e = 1; e <= (o.epochs ?? 6); e++) training.push({ fit: f, epoch: e, loss: 1.4 / e + 0.01 * f, valLoss: 1.1 / e + 0.3 });
    }
  }
  const summary: RunSummary = {
    strategy: o.forecast ? 'ols-sma' : 'sma',
    dataset: 'fixture',
    frequency: 'monthly',
    period: { start: periodLabels[0]!, end: periodLabels[periodLabels.length - 1]!, periods: periodLabels.length, months: periodLabels.length },
    results: {
      [o.forecast ? 'ols-sma' : 'sma']: metricsLike(0.5, NaN),
      'buy-and-hold': metricsLike(0.4, NaN),
    },
    params: { window: 3, short: false },
    seed: 42,
    conventions: {
      periodsPerYear: 12,
      cashRate: 0,
      costBps: 10,
      timing: 'a weight decided at the close of period t is held over period t+1',
      sharpe: 'mean(excess) / sd(excess, n-1) * sqrt(periodsPerYear)',
    },
    warnings: ['fixture: a warning with <markup> & "quotes"'],
  };
  return {
    summary,
    config: { strategy: summary.strategy, seed: 42, params: { window: 3 } },
    data: { path: '/data/fixture.csv', sha256: 'ab'.repeat(32) },
    version: '0.1.0',
    createdAt: '2026-01-02T03:04:05.000Z',
    prices: { labels, close: Float64Array.from(close) },
    periods: {
      labels: periodLabels,
      assetReturns: Float64Array.from(asset),
      cashReturns: new Float64Array(asset.length),
      weights: Float64Array.from(weights),
      strategyReturns: Float64Array.from(strat),
      benchmarkReturns: Float64Array.from(bench),
    },
    ...(o.forecast ? { forecasts, training } : {}),
    // What the rule looks at: its 3-month SMA over the price, and a made-up oscillator of its own.
    ...(o.indicators
      ? {
          indicators: [
            { name: '3-month SMA', pane: 'price' as const, values: Float64Array.from(close, (_, t) => (t < 2 ? NaN : (close[t]! + close[t - 1]! + close[t - 2]!) / 3)) },
            { name: 'oscillator', pane: 'own' as const, values: Float64Array.from(close, (_, t) => (t < 1 ? NaN : close[t]! / close[t - 1]! - 1)) },
          ],
        }
      : {}),
  };
}

export function metricsLike(sharpe: number, ir: number) {
  return {
    totalReturn: 1.5 * sharpe,
    cagr: 0.07,
    volatility: 0.15,
    sharpe,
    sortino: sharpe * 1.4,
    maxDrawdown: -0.3,
    maxDrawdownPeriods: 20,
    maxDrawdownMonths: 20,
    calmar: 0.23,
    exposure: 0.7,
    turnover: 0.1,
    trades: 9,
    hitRate: 0.55,
    winRate: 0.6,
    alpha: 0.01,
    beta: 0.8,
    informationRatio: ir,
    valueAtRisk95: -0.06,
    expectedShortfall95: -0.085,
  };
}
