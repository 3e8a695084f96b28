import {
  drawdownChart,
  equityChart,
  forecastLevelChart,
  forecastReturnChart,
  type ForecastPoint,
  monthlyHeatmap,
  indicatorChart,
  priceChart,
  rollingSharpeChart,
  trainingLossChart,
} from '../charts';
import { rollingBeta } from '@backtest/metrics';
import { returnsDistributionChart } from '../charts/distribution-chart';
import { rollingBetaChart, rollingVolatilityChart, windowPeriods } from '../charts/rolling-risk-chart';
import { seedsChart } from '../charts/seeds-chart';
import { selectionChart } from '../charts/selection-chart';
import type { Comparison } from '../charts/comparison';
import { contributionChart, correlationHeatmap, weightsChart } from '../charts/universe-charts';
import type { RunRecord, UniverseSeries } from '../run-record';
import { benchmarkName, periodsPerYearOf } from '../summary';
import type { PageChart } from './chart-page';

/** One figure of the report: its container id, the spec, and what a reader should take from it. */
export type ReportChart = PageChart & { readonly caption: string };

/**
 * Forecasts paired with the close that followed them (the last forecast of a run may have none);
 * on a universe, the close of the forecast's asset.
 */
function forecastPoints(record: RunRecord): ForecastPoint[] {
  const row = new Map(record.prices.labels.map((l, i) => [l, i]));
  const u = record.universe;
  const closeOf = (asset: string | undefined) => (u ? u.closes[asset === undefined ? -1 : u.assets.indexOf(asset)] : record.prices.close);
  const points: ForecastPoint[] = [];
  for (const f of record.forecasts ?? []) {
    const i = row.get(f.label);
    const actual = i === undefined ? NaN : closeOf(f.asset)?.[i + 1];
    // A direction forecast has no price to draw (its probability is in predictions.csv).
    if (actual !== undefined && Number.isFinite(actual) && Number.isFinite(f.forecast)) points.push({ label: f.label, close: f.close, forecast: f.forecast, actual });
  }
  return points;
}

/** Every chart the record supports, in reading order. */
export function reportCharts(record: RunRecord): ReportChart[] {
  const s = record.summary;
  const p = record.periods;
  const ppy = periodsPerYearOf(s);
  const c: Comparison = {
    labels: p.labels,
    strategy: { name: s.strategy, returns: p.strategyReturns },
    benchmark: { name: benchmarkName(s), returns: p.benchmarkReturns },
  };
  const charts: ReportChart[] = [
    { id: 'equity', spec: equityChart(c), caption: 'Both curves start at 1 before the first evaluation period and compound each period’s return, costs included.' },
    { id: 'drawdown', spec: drawdownChart(c), caption: 'Drawdown is the equity curve’s fall below its highest earlier value; the deepest point is the max drawdown of the table.' },
  ];
  const seeds = s.results[s.strategy]?.seeds;
  if (seeds) {
    // First after the curves: the curves and the table are one seed's, this says how typical it is.
    charts.unshift({
      id: 'seeds',
      spec: seedsChart(s.strategy, seeds),
      caption: `The table and the other charts are seed ${seeds.headlineSeed}’s run, the median Sharpe of the ${seeds.n} seeds; each point is exactly the run of --seed that seed.`,
    });
  }
  if (record.universe) charts.push(...universeCharts(record, record.universe));
  else charts.push(...priceCharts(record, s.frequency === 'monthly' ? 'month' : 'day'));
  if (p.labels.length > windowPeriods(36, ppy)) {
    charts.push({
      id: 'rolling-sharpe',
      spec: rollingSharpeChart(c, { periodsPerYear: ppy, months: 36, cash: p.cashReturns }),
      caption: 'A steady gap between the lines means a steady edge; a gap from one episode means the full-period Sharpe rests on it.',
    });
  }
  const volWindow = windowPeriods(12, ppy);
  if (p.labels.length > volWindow) {
    charts.push({
      id: 'rolling-volatility',
      spec: rollingVolatilityChart(c, ppy),
      caption: 'How much the returns swung over the last year at each point; a strategy out of the market part of the time swings less than the benchmark then.',
    });
  }
  const betaWindow = windowPeriods(36, ppy);
  const beta = p.labels.length > betaWindow ? rollingBeta(p.strategyReturns, p.benchmarkReturns, betaWindow) : undefined;
  if (beta?.some(Number.isFinite)) {
    charts.push({
      id: 'rolling-beta',
      spec: rollingBetaChart(c, beta, betaWindow),
      caption: 'Beta near 1: the strategy moved with the benchmark over those three years; near 0: it was mostly out of it, or moved independently.',
    });
  }
  charts.push({
    id: 'heatmap',
    // On a universe a month is in cash when no asset is held (long and short may net to zero).
    spec: monthlyHeatmap({ name: s.strategy, labels: p.labels, returns: p.strategyReturns, weights: record.universe ? grossWeights(record.universe) : p.weights }),
    caption: 'The strategy’s return in each calendar month it was evaluated, costs included; the last column is the year’s.',
  });
  if (p.labels.length > 0) {
    charts.push({
      id: 'returns-distribution',
      spec: returnsDistributionChart(c),
      caption: 'A strategy that steps aside in falls has fewer months in the left tail than the benchmark; months in cash pile up at zero.',
    });
  }
  const points = forecastPoints(record);
  // The levels of several assets share no axis: a universe's forecasts are drawn as returns only.
  if (points.length && !record.universe) {
    charts.push({
      id: 'forecast-level',
      spec: forecastLevelChart(points, s.dataset),
      caption: 'Level forecasts track the price closely because the next close is mostly this close; the chart below removes that.',
    });
  }
  if (points.length) {
    charts.push({
      id: 'forecast-return',
      spec: forecastReturnChart(points),
      caption: 'The forecast quality rows of the table score these points against the historical-mean forecast.',
    });
  }
  if (s.selection) {
    charts.push({
      id: 'selection',
      spec: selectionChart(s.selection),
      caption:
        'At each refit every candidate was fitted on the training rows before the held-out block and scored on it; the best was refitted on all the training rows and forecast until the next refit. No row after the refit was used.',
    });
  }
  const training = record.training ?? [];
  if (training.some((t) => t.epoch > 1)) {
    charts.push({
      id: 'training',
      // A direction forecast (a probability) is trained on binary cross-entropy, a price on MSE.
      spec: trainingLossChart(training, (record.forecasts ?? []).some((f) => f.probability !== undefined) ? { yTitle: 'Loss (binary cross-entropy)' } : {}),
      caption: 'Loss per epoch as each fit reported it; validation loss is shown when the fits held rows out. Fits that stopped early end sooner.',
    });
  }
  return charts;
}

/** The price of the one series with what the strategy declared (Strategy.indicators): price-pane lines over the close, the others below it. */
function priceCharts(record: RunRecord, periodName: string): ReportChart[] {
  const s = record.summary;
  const p = record.periods;
  const held = new Map(p.labels.map((l, k) => [l, p.weights[k]!]));
  const indicators = record.indicators ?? [];
  const lines = indicators.filter((i) => i.pane === 'price');
  const own = indicators.filter((i) => i.pane === 'own');
  const charts: ReportChart[] = [
    {
      id: 'price',
      spec: priceChart({ asset: s.dataset, labels: record.prices.labels, close: record.prices.close, lines, periodName, held }),
      caption:
        'The run’s whole range, warm-up included. A band covers each period the strategy was invested over (decided at the close before it).' +
        (lines.length ? ' The lines over the close are the ones the strategy declared, each from the rows up to its own only.' : ''),
    },
  ];
  if (own.length) {
    charts.push({
      id: 'indicators',
      spec: indicatorChart({ labels: record.prices.labels, lines: own }),
      caption: 'Indicators the strategy declared that are not price levels, over the same rows as the price chart.',
    });
  }
  return charts;
}

/**
 * A universe's charts in place of the one series' price: the weights held over time, and (from
 * the summary) what each asset contributed and how the assets' returns move together.
 */
function universeCharts(record: RunRecord, u: UniverseSeries): ReportChart[] {
  const charts: ReportChart[] = [
    {
      id: 'weights',
      spec: weightsChart({ labels: record.periods.labels, assets: u.assets, weights: u.weights }),
      caption: 'Each weight was decided at the close before its period, from rows up to that close only; grey is the share left in cash.',
    },
  ];
  const doc = record.summary.universe;
  if (doc) {
    charts.push(
      {
        id: 'contribution',
        spec: contributionChart(doc.assets),
        caption: 'An asset’s bar is what holding it added to the strategy’s returns, period by period, before costs; the tooltip shows its mean weight and its own return.',
      },
      {
        id: 'correlation',
        spec: correlationHeatmap(
          doc.assets.map((a) => a.name),
          doc.correlation,
        ),
        caption: 'Assets whose returns move together (near 1) diversify each other little; near 0 or below, they do.',
      },
    );
  }
  return charts;
}

/** The sum of the absolute weights of the assets in each period: 0 when the strategy held nothing. */
function grossWeights(u: UniverseSeries): Float64Array {
  const n = u.weights[0]?.length ?? 0;
  return Float64Array.from({ length: n }, (_, k) => u.weights.reduce((g, w) => g + Math.abs(w[k]!), 0));
}
