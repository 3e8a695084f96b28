import { printable } from '@backtest/core/internal';
import { BENCHMARK_NAME, benchmarkName, benchmarkText, isDirectionForecast, type RunSummary, type SeedsSummary, type StrategyResult, type UniverseSummaryDoc } from './summary';

export type Better = 'higher' | 'lower' | 'closer-to-zero' | 'none';
export interface MetricRow {
  key: keyof StrategyResult | string;
  label: string;
  format: (v: number) => string;
  better: Better;
}

export const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : 'n/a');
export const num = (d: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const int = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : 'n/a');

/** Every metric with its unit and which direction is better (for the marker). */
export const METRIC_ROWS: readonly MetricRow[] = [
  { key: 'totalReturn', label: 'Total return', format: pct, better: 'higher' },
  { key: 'cagr', label: 'CAGR', format: pct, better: 'higher' },
  { key: 'volatility', label: 'Volatility (ann.)', format: pct, better: 'lower' },
  { key: 'sharpe', label: 'Sharpe (ann.)', format: num(3), better: 'higher' },
  { key: 'sortino', label: 'Sortino (ann.)', format: num(3), better: 'higher' },
  { key: 'maxDrawdown', label: 'Max drawdown', format: pct, better: 'closer-to-zero' },
  { key: 'maxDrawdownPeriods', label: 'Max DD duration (periods)', format: int, better: 'lower' },
  { key: 'calmar', label: 'Calmar', format: num(3), better: 'higher' },
  { key: 'valueAtRisk95', label: 'VaR 95% (historical)', format: pct, better: 'higher' },
  { key: 'expectedShortfall95', label: 'Expected shortfall 95%', format: pct, better: 'higher' },
  { key: 'exposure', label: 'Exposure', format: pct, better: 'none' },
  { key: 'turnover', label: 'Turnover (per period)', format: pct, better: 'none' },
  { key: 'trades', label: 'Trades', format: int, better: 'none' },
  { key: 'hitRate', label: 'Hit rate (of all periods)', format: pct, better: 'higher' },
  { key: 'winRate', label: 'Win rate (of periods not flat)', format: pct, better: 'higher' },
  { key: 'alpha', label: 'Alpha vs B&H (ann.)', format: pct, better: 'higher' },
  { key: 'beta', label: 'Beta vs B&H', format: num(3), better: 'none' },
  { key: 'informationRatio', label: 'Information ratio', format: num(3), better: 'higher' },
];

/** One row of a forecast strategy's forecast quality: the key in `forecast`, its label, its value formatted. */
export interface ForecastRow {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly text: string;
}

const count = (v: number) => (Number.isFinite(v) ? String(v) : 'n/a');

/** The rows of a strategy's forecast quality (of the implied return, or of the direction), for the terminal and the page alike. */
export function forecastRows(f: NonNullable<StrategyResult['forecast']>): ForecastRow[] {
  const row = (key: string, label: string, value: number, format: (v: number) => string): ForecastRow => ({ key, label, value, text: format(value) });
  if (isDirectionForecast(f)) {
    return [
      row('accuracy', 'Direction accuracy', f.accuracy, pct),
      row('logLoss', 'Log loss', f.logLoss, num(4)),
      row('baseLogLoss', 'Log loss of the base rate', f.baseLogLoss, num(4)),
      row('brier', 'Brier score', f.brier, num(4)),
      row('baseBrier', 'Brier score of the base rate', f.baseBrier, num(4)),
      row('auc', 'ROC AUC', f.auc, num(3)),
      row('baseRate', 'Months up (base rate)', f.baseRate, pct),
      row('n', 'Forecasts scored', f.n, count),
    ];
  }
  return [
    row('rmse', 'Forecast RMSE (of the return)', f.rmse, pct),
    row('mae', 'Forecast MAE (of the return)', f.mae, pct),
    row('directionalAccuracy', 'Directional accuracy', f.directionalAccuracy, pct),
    row('r2OutOfSample', 'Out-of-sample R² (vs historical mean)', f.r2OutOfSample, num(4)),
    row('n', 'Forecasts scored', f.n, count),
  ];
}

/**
 * What a run over seeds says about them, in two or three lines: the headline is the median
 * seed's, the Sharpe distribution, and how many seeds beat buy-and-hold.
 */
export function seedsText(id: string, s: SeedsSummary): string[] {
  const f = num(3);
  const first = s.runs[0]?.seed ?? s.headlineSeed;
  const lines = [
    `${id} over ${s.n} seeds (${first} to ${first + s.n - 1}): the figures above are seed ${s.headlineSeed}'s, the median Sharpe${s.n % 2 === 0 ? ' (the lower of the two middle ones)' : ''}.`,
    `  Sharpe median ${f(s.sharpe.median)}, quartiles ${f(s.sharpe.p25)} .. ${f(s.sharpe.p75)}, range ${f(s.sharpe.min)} .. ${f(s.sharpe.max)}; ` +
      `${Math.round(s.beatBenchmark * s.n)} of ${s.n} seeds beat buy-and-hold's ${f(s.benchmarkSharpe)}.`,
  ];
  if (s.ensemble)
    lines.push(
      `  The ensemble of the ${s.ensemble.members} seeds' forecasts: Sharpe ${f(s.ensemble.sharpe)}, CAGR ${pct(s.ensemble.cagr)}, max drawdown ${pct(s.ensemble.maxDrawdown)}.`,
    );
  return lines;
}

/** Index of the better value of a row, or -1 when there is no better one (ties, undefined values, rows without a direction). */
export function best(values: number[], better: Better): number {
  if (better === 'none' || values.length < 2 || values.some((v) => !Number.isFinite(v))) return -1;
  const score = (v: number) => (better === 'higher' ? v : better === 'lower' ? -v : -Math.abs(v));
  let bi = 0;
  let tie = false;
  for (let i = 1; i < values.length; i++) {
    if (score(values[i]!) > score(values[bi]!)) {
      bi = i;
      tie = false;
    } else if (score(values[i]!) === score(values[bi]!)) tie = true;
  }
  return tie ? -1 : bi;
}

/** A plain-text table: rows of labels, one right-aligned column per strategy. */
export function renderTable(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...rows): a spread of many rows overflows the stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) widths.forEach((w, c) => (widths[c] = Math.max(w, (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** An asset's name as the terminal shows it: printable, and cut to 30 columns so a universe's tables stay within 100. */
function shownName(name: string): string {
  const text = printable(name, 30);
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}

/**
 * A universe's assets, after the metrics: the mean weight the strategy held in each, its
 * contribution (sum of weight x return) and the asset's own total return, under a line that says
 * what the benchmark was.
 */
function universeText(summary: RunSummary, u: UniverseSummaryDoc): string[] {
  const rows = u.assets.map((a) => [shownName(a.name), pct(a.meanWeight), pct(a.contribution), pct(a.totalReturn)]);
  const benchmark = benchmarkText({ frequency: summary.frequency, universe: { ...u, benchmark: shownName(u.benchmark) } });
  return [`The universe's assets; the benchmark is ${benchmark}.`, renderTable(['Asset', 'Mean weight', 'Contribution', 'Total return'], rows)];
}

/** The comparison a run prints: strategy against buy-and-hold, the better value of each row marked `*`. */
export function formatRunTable(summary: RunSummary): string {
  const ids = Object.keys(summary.results);
  const rows: string[][] = [];
  for (const r of METRIC_ROWS) {
    const values = ids.map((id) => summary.results[id]![r.key as keyof StrategyResult] as number);
    const b = best(values, r.better);
    rows.push([r.label, ...values.map((v, i) => r.format(v) + (i === b ? ' *' : '  '))]);
  }
  const forecasters = ids.filter((id) => summary.results[id]!.forecast);
  for (const id of forecasters) {
    const f = summary.results[id]!.forecast!;
    const cells = (v: string) => ids.map((x) => (x === id ? `${v}  ` : ''));
    for (const r of forecastRows(f)) if (r.key !== 'n') rows.push([r.label, ...cells(r.text)]);
    if (summary.results[id]!.fits !== undefined) rows.push(['Models trained', ...cells(String(summary.results[id]!.fits))]);
  }
  const p = summary.period;
  const head = [
    `${summary.strategy} on ${summary.dataset} (${summary.frequency}), ${p.start} .. ${p.end}, ${p.periods} periods` +
      (summary.backend ? `, backend ${summary.backend}` : '') +
      (summary.trainer ? `, trainer ${summary.trainer}` : ''),
    '',
  ];
  const notes = ['', '* = better of the two. Returns are per period, annualised where marked; Sharpe and Sortino over the cash return.'];
  for (const id of ids) {
    const seeds = summary.results[id]!.seeds;
    if (seeds) notes.push(...seedsText(id, seeds));
  }
  if (summary.universe) notes.push('', ...universeText(summary, summary.universe));
  for (const w of summary.warnings) notes.push(`warning: ${w}`);
  const columns = ids.map((id) => (id === BENCHMARK_NAME ? shownName(benchmarkName(summary)) : id));
  return head.join('\n') + renderTable(['', ...columns], rows) + notes.join('\n');
}
