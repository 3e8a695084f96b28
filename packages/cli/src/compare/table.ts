import { METRIC_ROWS, renderTable, seedsText } from '@backtest/report';
import type { CompareSummary } from '@backtest/api';

const pct = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '');
const num = (v: number | undefined, d = 3) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '');
const p = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v < 0.001 ? '<0.001' : v.toFixed(3));

/** One column per configuration plus buy-and-hold; metrics, forecast quality, significance, verdicts. */
export function formatCompareTable(s: CompareSummary): string {
  const labels = s.configurations;
  const header = ['', ...labels, 'buy-and-hold'];
  const rows: string[][] = [];
  for (const r of METRIC_ROWS) {
    const values = [...labels.map((l) => s.results[l]![r.key as keyof CompareSummary['benchmark']]), s.benchmark[r.key as keyof CompareSummary['benchmark']]];
    rows.push([r.label, ...values.map((v) => r.format(v as number))]);
  }
  const col = (f: (l: string) => string, bench = '') => [...labels.map(f), bench];
  rows.push(['', ...col(() => '')]);
  if (labels.some((l) => s.results[l]!.forecast)) {
    // Of the implied return (target price) or of the probability of a rise (target direction).
    const f = (l: string, key: string) => (s.results[l]!.forecast as Record<string, number> | undefined)?.[key];
    const direction = labels.some((l) => f(l, 'accuracy') !== undefined);
    rows.push(['Forecast RMSE (return)', ...col((l) => pct(f(l, 'rmse')))]);
    rows.push(['Directional accuracy', ...col((l) => pct(f(l, 'directionalAccuracy') ?? f(l, 'accuracy')))]);
    rows.push(['Out-of-sample R² (vs mean)', ...col((l) => num(f(l, 'r2OutOfSample'), 4))]);
    if (direction) {
      rows.push(['Log loss (direction)', ...col((l) => num(f(l, 'logLoss'), 4))]);
      rows.push(['ROC AUC (direction)', ...col((l) => num(f(l, 'auc')))]);
    }
    rows.push(['DM vs no-change: stat', ...col((l) => num(s.results[l]!.significance.dm?.statistic, 2))]);
    rows.push(['DM vs no-change: p', ...col((l) => p(s.results[l]!.significance.dm?.pValue))]);
    rows.push(['Models trained', ...col((l) => (s.results[l]!.fits !== undefined ? String(s.results[l]!.fits) : ''))]);
  }
  rows.push(['PSR (Sharpe > 0)', ...col((l) => num(s.results[l]!.significance.psr))]);
  rows.push(['PSR (Sharpe > B&H)', ...col((l) => num(s.results[l]!.significance.psrVsBenchmark))]);
  rows.push([`DSR (${s.trials} trials)`, ...col((l) => num(s.results[l]!.significance.dsr))]);
  rows.push(['Sharpe diff vs B&H', ...col((l) => num(s.results[l]!.significance.sharpeDiff))]);
  rows.push(['  95% bootstrap interval', ...col((l) => s.results[l]!.significance.sharpeDiffCI.map((v) => num(v, 2)).join(' .. '))]);
  rows.push(['  bootstrap p-value', ...col((l) => p(s.results[l]!.significance.sharpeDiffPValue))]);
  rows.push(['  studentised bootstrap p', ...col((l) => p(s.results[l]!.significance.studentised.pValue))]);
  rows.push(['  Ledoit-Wolf p-value', ...col((l) => p(s.results[l]!.significance.ledoitWolf.pValue))]);
  const per = s.period;
  const head = `compare on ${s.dataset} (${s.frequency}), ${per.start} .. ${per.end}, ${per.periods} periods, the same for every column${s.backend ? `, backend ${s.backend}` : ''}`;
  const lines = [head, '', renderTable(header, rows), '', 'Verdicts:'];
  if (s.jointVerdict) lines.push(`  ${s.jointVerdict.text}`);
  for (const v of s.verdicts) lines.push(`  ${v.text}`);
  const overSeeds = labels.filter((l) => s.results[l]!.seeds);
  if (overSeeds.length) lines.push('', "Seeds (the columns above are each configuration's median seed):");
  for (const l of overSeeds) lines.push(...seedsText(l, s.results[l]!.seeds!).map((t) => `  ${t}`));
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
