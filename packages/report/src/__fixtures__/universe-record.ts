import type { ForecastRecord, TrainingRecord } from '@backtest/core';
import type { RunRecord } from '../run-record';
import type { RunSummary, UniverseAssetDoc } from '../summary';
import { metricsLike, monthLabel, walk } from './record';

const UNIVERSE_ASSETS = ['sp500', 'ndx', 'gold'] as const;

/** The engine's sum over assets: from the first, in asset order (so the same bits). */
function sum(values: readonly number[]): number {
  let s = values[0]!;
  for (let i = 1; i < values.length; i++) s += values[i]!;
  return s;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * A run over the universe sp500, ndx, gold shaped like a real one: `rows` monthly closes per
 * asset, each asset timed by an SMA(3)-like rule at 1/3 of the weight (so cash holds the rest),
 * the equal-weight benchmark, and (for a forecast strategy) forecasts and training per asset,
 * fits numbered across the assets. Gold is quoted in another currency, which the summary warns of.
 */
export function universeRecord(o: { rows?: number; forecast?: boolean; benchmark?: string } = {}): RunRecord {
  const rows = o.rows ?? 48;
  const m = UNIVERSE_ASSETS.length;
  const closes = UNIVERSE_ASSETS.map((_, a) => walk(rows, 7 + 4 * a));
  const labels = closes[0]!.map((_, i) => monthLabel(i));
  const first = 3;
  const periods = rows - 1 - first;
  const weights = UNIVERSE_ASSETS.map(() => new Float64Array(periods));
  const returns = UNIVERSE_ASSETS.map(() => new Float64Array(periods));
  const periodLabels: string[] = [];
  const net = new Float64Array(periods);
  const mean = new Float64Array(periods);
  const strat = new Float64Array(periods);
  const bench = new Float64Array(periods);
  const benchWeight = UNIVERSE_ASSETS.map((a) => (o.benchmark === undefined ? 1 / m : a === o.benchmark ? 1 : 0));
  let prev = [0, 0, 0];
  for (let k = 0; k < periods; k++) {
    const t = first + k;
    const w = closes.map((c) => (c[t]! > (c[t]! + c[t - 1]! + c[t - 2]!) / 3 ? 1 / m : 0));
    const r = closes.map((c) => c[t + 1]! / c[t]! - 1);
    periodLabels.push(labels[t + 1]!);
    for (let a = 0; a < m; a++) {
      weights[a]![k] = w[a]!;
      returns[a]![k] = r[a]!;
    }
    net[k] = sum(w);
    mean[k] = sum(r) / m;
    strat[k] = sum(w.map((x, a) => x * r[a]!)) - 0.001 * sum(w.map((x, a) => Math.abs(x - prev[a]!)));
    bench[k] = sum(benchWeight.map((x, a) => x * r[a]!)) - (k === 0 ? 0.001 : 0);
    prev = w;
  }
  const assets: UniverseAssetDoc[] = UNIVERSE_ASSETS.map((name, a) => ({
    name,
    currency: name === 'gold' ? 'EUR' : 'USD',
    file: `/data/${name}.csv`,
    sha256: String(a).repeat(64),
    origin: 'fixture',
    meanWeight: sum(Array.from(weights[a]!)) / periods,
    contribution: sum(Array.from(weights[a]!, (x, k) => x * returns[a]![k]!)),
    totalReturn: Array.from(returns[a]!).reduce((e, r) => e * (1 + r), 1) - 1,
  }));
  const forecasts: ForecastRecord[] = [];
  const training: TrainingRecord[] = [];
  if (o.forecast) {
    // Two fits per asset, numbered across the assets: sp500's 0 and 1, ndx's 2 and 3, gold's 4 and 5.
    UNIVERSE_ASSETS.forEach((asset, a) => {
      for (let k = 0; k < periods; k++) {
        const t = first + k;
        const fit = 2 * a + (k < periods / 2 ? 0 : 1);
        forecasts.push({ label: labels[t]!, close: closes[a]![t]!, forecast: closes[a]![t]! * (1.004 + 0.001 * (t % 5)), features: { close: 0.1 * (t % 7) - 0.3 }, fit, asset });
      }
      for (const f of [2 * a, 2 * a + 1]) for (let e = 1; e <= 4; e++) training.push({ fit: f, asset, epoch: e, loss: 1.4 / e + 0.01 * f, valLoss: 1.1 / e + 0.3 });
    });
  }
  const strategy = o.forecast ? 'ols-sma' : 'sma';
  const summary: RunSummary = {
    strategy,
    dataset: UNIVERSE_ASSETS.join(','),
    frequency: 'monthly',
    period: { start: periodLabels[0]!, end: periodLabels[periods - 1]!, periods, months: periods },
    results: { [strategy]: metricsLike(0.5, NaN), 'buy-and-hold': metricsLike(0.4, 0.1) },
    params: { window: 3 },
    seed: 42,
    conventions: { periodsPerYear: 12, cashRate: 0, costBps: 10 },
    warnings: ['mixed currencies: sp500 and ndx are in USD, gold in EUR; returns are each in its own currency'],
    universe: {
      assets,
      benchmark: o.benchmark ?? 'equal-weight',
      correlation: returns.map((a) => returns.map((b) => correlation(a, b))),
    },
  };
  return {
    summary,
    config: { strategy, seed: 42, universe: [...UNIVERSE_ASSETS] },
    data: { path: UNIVERSE_ASSETS.map((a) => `/data/${a}.csv`).join(','), sha256: 'cd'.repeat(32) },
    version: '0.1.0',
    createdAt: '2026-01-02T03:04:05.000Z',
    prices: { labels, close: Float64Array.from(closes[0]!) },
    periods: { labels: periodLabels, assetReturns: mean, cashReturns: new Float64Array(periods), weights: net, strategyReturns: strat, benchmarkReturns: bench },
    universe: { assets: [...UNIVERSE_ASSETS], closes: closes.map((c) => Float64Array.from(c)), weights, returns },
    ...(o.forecast ? { forecasts, training } : {}),
  };
}
