import { METRIC_ROWS, renderTable, seedsText, shortLabels } from '@backtest/report';
import type { CompareSummary } from '@backtest/api';

const pct = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '');
const num = (v: number | undefined, d = 3) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '');
const p = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v < 0.001 ? '<0.001' : v.toFixed(3));

/** The widest line the compare prints: a terminal of 120 columns shows it unwrapped. */
const COMPARE_WIDTH = 120;

/** Longest column heading; a longer one is numbered (#k) and named in full above the table. */
const MAX_HEADING = 40;

/** `text` in lines of at most `width` columns, breaking at spaces; the lines after the first indented by `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const next = line === lead ? `${lead}${word}` : `${line} ${word}`;
    if (next.length > width && line !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = next;
  }
  lines.push(line);
  // A word longer than the width (a path) is cut, not left to overflow.
  return lines.flatMap((l) => (l.length <= width ? [l] : Array.from({ length: Math.ceil(l.length / width) }, (_, k) => l.slice(k * width, (k + 1) * width))));
}

/**
 * The table in pages of as many configuration columns as fit in `width` (at least one), each
 * with the row labels and buy-and-hold, headed "configurations i-j of n" when there are several.
 */
function pagedTable(headings: readonly string[], rows: readonly string[][], width: number): string[] {
  const n = headings.length;
  const page = (from: number, to: number) =>
    renderTable(
      ['', ...headings.slice(from, to), 'buy-and-hold'],
      rows.map((r) => [r[0]!, ...r.slice(1 + from, 1 + to), r[r.length - 1]!]),
    );
  const widest = (text: string) => text.split('\n').reduce((m, l) => Math.max(m, l.length), 0);
  const ranges: [number, number][] = [];
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && widest(page(from, to + 1)) <= width) to++;
    ranges.push([from, to]);
    from = to;
  }
  if (ranges.length === 1) return [page(0, n)];
  return ranges.map(([from, to]) => `configurations ${from + 1}-${to} of ${n}:\n${page(from, to)}`);
}

/** One column per configuration plus buy-and-hold, in pages that fit 120 columns; metrics, forecast quality, significance, verdicts. */
export function formatCompareTable(s: CompareSummary, width = COMPARE_WIDTH): string {
  const labels = s.configurations;
  const short = shortLabels(labels);
  // A heading too long for a column stands as #k, with the label in full below the title.
  const headings = short.headings.map((h, i) => (h.length > MAX_HEADING ? `#${i + 1}` : h));
  const common = [...short.common, ...short.headings.flatMap((h, i) => (h.length > MAX_HEADING ? [`#${i + 1} is ${labels[i]}`] : []))];
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
  const lines = [...wrap(head, width, '  '), ...common.flatMap((c) => wrap(c, width, '  ')), ''];
  lines.push(pagedTable(headings, rows, width).join('\n\n'), '', 'Verdicts:');
  const said = (text: string) => lines.push(...wrap(`  ${text}`, width, '    '));
  if (s.jointVerdict) said(s.jointVerdict.text);
  for (const v of s.verdicts) said(v.text);
  const overSeeds = labels.filter((l) => s.results[l]!.seeds);
  if (overSeeds.length) lines.push('', "Seeds (the columns above are each configuration's median seed):");
  for (const l of overSeeds) for (const t of seedsText(l, s.results[l]!.seeds!)) said(t);
  for (const w of s.warnings) lines.push(...wrap(`warning: ${w}`, width, '  '));
  return lines.join('\n');
}
