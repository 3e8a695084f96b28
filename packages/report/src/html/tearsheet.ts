/**
 * The report's tearsheet tables, from the record's series alone: the worst drawdowns, the
 * calendar years, the trades of a long/flat strategy, and the position the run decided last.
 * Every cell carries its column in `data-metric` and a number's exact value in `data-value`, so a reader (or a test) can check
 * the page against returns.csv and positions.csv.
 */
import { type DrawdownEpisode, roundTrips, worstDrawdowns, yearlyReturns } from '@backtest/metrics';
import type { RunRecord } from '../run-record';
import { nextPositionText } from '../position-text';
import { benchmarkName, type RunSignal, type RunSummary } from '../summary';
import { pct } from '../terminal-table';
import { type Html, html } from './html';

/** How many drawdowns the table lists, and how many trades at most. */
const DRAWDOWNS = 5;
const TRADES_SHOWN = 20;

/** A number as its data attribute holds it: exact, `null` when undefined. */
const exact = (v: number) => (Number.isFinite(v) ? String(v) : 'null');

/**
 * A cell of a number: `data-metric` names its column, `data-value` holds the number exactly (as
 * the metrics table's cells do); a cell of a label has `data-metric` only, its text the label.
 */
function num(key: string, v: number, text: string, cls = ''): Html {
  return html`<td data-metric="${key}" data-value="${exact(v)}"${cls ? html` class="${cls}"` : ''}>${text}</td>`;
}

/** The label of equity-curve index i (0 the start, i the end of period i - 1). */
function periodOf(labels: readonly string[], i: number): string {
  return labels[i - 1] ?? '';
}

/** The strategy's five deepest drawdowns: the first is the table's max drawdown and its duration. */
export function drawdownsSection(record: RunRecord): Html {
  const labels = record.periods.labels;
  const worst = worstDrawdowns(record.periods.strategyReturns, DRAWDOWNS);
  if (!worst.length) return html`<h2>Worst drawdowns</h2>\n<p class="note">The strategy’s equity never fell below an earlier high: no drawdown.</p>`;
  const row = (d: DrawdownEpisode, k: number) => {
    const start = labels[d.peakIndex]!;
    const trough = periodOf(labels, d.troughIndex);
    const recovery = d.recoveryIndex === -1 ? 'not recovered' : periodOf(labels, d.recoveryIndex);
    return html`<tr><td>${String(k + 1)}</td><td data-metric="start">${start}</td><td data-metric="trough">${trough}</td><td data-metric="recovery"${d.recoveryIndex === -1 ? html` class="open"` : ''}>${recovery}</td>${num('depth', d.depth, pct(d.depth))}${num('periods', d.periods, String(d.periods))}</tr>`;
  };
  return html`<h2>Worst drawdowns</h2>
<table class="data drawdowns"><thead><tr><th scope="col">#</th><th scope="col">Start</th><th scope="col">Trough</th><th scope="col">Recovered</th><th scope="col">Depth</th><th scope="col">Length (periods)</th></tr></thead>
<tbody>${worst.map(row)}</tbody></table>
<p class="note">The ${worst.length === 1 ? 'only drawdown' : `${worst.length} deepest drawdowns`} of ${record.summary.strategy}’s equity curve (started at 1 before the first period), deepest first. Start: the first period below the previous high; trough: the period of the lowest point; recovered: the period in which equity got back to that high. Length: the periods from the start through the recovery, or through the last period if it has not recovered, as the table’s max drawdown duration counts them.</p>`;
}

/** Calendar-year returns of the strategy and the benchmark side by side, partial years marked. */
export function yearlySection(record: RunRecord): Html {
  const p = record.periods;
  if (!p.labels.length) return html``;
  const s = record.summary;
  const rows = record.prices.labels;
  const previous = rows[rows.indexOf(p.labels[0]!) - 1];
  const years = yearlyReturns(p.labels, p.strategyReturns, p.benchmarkReturns, previous);
  const body = years.map(
    (y) =>
      html`<tr${y.partial ? html` class="partial"` : ''}><th scope="row"><span data-metric="year">${y.year}</span>${y.partial ? html` <span class="tag" data-metric="partial">partial</span>` : ''}</th>${num('strategy', y.strategy, pct(y.strategy), y.strategy > y.benchmark ? 'better' : '')}${num('benchmark', y.benchmark, pct(y.benchmark), y.benchmark > y.strategy ? 'better' : '')}${num('difference', y.strategy - y.benchmark, pct(y.strategy - y.benchmark))}${num('periods', y.periods, String(y.periods))}</tr>`,
  );
  return html`<h2>Yearly returns</h2>
<div class="scroll"><table class="data yearly"><thead><tr><th scope="col">Year</th><th scope="col">${s.strategy}</th><th scope="col">${benchmarkName(s)}</th><th scope="col">Difference</th><th scope="col">Periods</th></tr></thead>
<tbody>${body}</tbody></table></div>
<p class="note">${years.length > 15 ? `All ${years.length} years, earliest first, in a box that scrolls (the heatmap’s Year column shows them at a glance). ` : ''}Each year’s period returns compounded, costs included; bold: the higher of the two. A partial year is one the evaluation covers only in part (it starts after the year’s first period or ends before its last), so its return is not a calendar year’s.</p>`;
}

/**
 * The round trips of a long/flat strategy over one series: entry, exit, periods held and
 * return, the most recent first. A universe or a strategy that goes short gets a note instead.
 */
export function tradesSection(record: RunRecord): Html {
  const p = record.periods;
  const s = record.summary;
  if (record.universe) return html`<h2>Trades</h2>\n<p class="note">No trade list for a universe: its weights move between several assets, not in and out of one.</p>`;
  const cost = (Number(s.conventions.costBps) || 0) / 10_000;
  const trips = roundTrips(p.weights, p.strategyReturns, cost);
  if (!trips) return html`<h2>Trades</h2>\n<p class="note">No trade list: ${s.strategy} goes short in some periods, and the list is of long/flat round trips.</p>`;
  if (!trips.length) return html`<h2>Trades</h2>\n<p class="note">${s.strategy} was never invested: no trades.</p>`;
  const shown = trips.slice(-TRADES_SHOWN).reverse();
  const won = trips.filter((t) => t.return > 0).length;
  const held = trips.reduce((a, t) => a + t.periods, 0);
  const row = (t: (typeof trips)[number], k: number) => {
    const exit = t.open ? 'open' : p.labels[t.exit]!;
    return html`<tr><td>${String(trips.length - k)}</td><td data-metric="entry">${p.labels[t.entry]!}</td><td data-metric="exit"${t.open ? html` class="open"` : ''}>${exit}</td>${num('periods', t.periods, String(t.periods))}${num('return', t.return, pct(t.return))}</tr>`;
  };
  const listed = trips.length > shown.length ? `the most recent ${shown.length} of ${trips.length} trades` : trips.length === 1 ? 'the one trade' : `all ${trips.length} trades`;
  return html`<h2>Trades</h2>
<p><span data-metric="trades" data-value="${String(trips.length)}">${String(trips.length)}</span> round trip${trips.length === 1 ? '' : 's'}: ${String(won)} with a positive return (${pct(won / trips.length)}), ${(held / trips.length).toFixed(1)} periods held on average.</p>
<table class="data trades"><thead><tr><th scope="col">#</th><th scope="col">Entry</th><th scope="col">Exit</th><th scope="col">Periods held</th><th scope="col">Return</th></tr></thead>
<tbody>${shown.map(row)}</tbody></table>
<p class="note">Listed: ${listed}, the most recent first. A round trip is not the Trades row of the results, which counts every period whose weight changed (an entry and an exit are two). A trade runs from the first period held (entry) to the last (exit; open if still held at the end), a change of size while invested not ending it. Return: the strategy’s period returns compounded over the periods held, costs included (the entry’s in its first period, the exit’s, paid in the period after, applied too; an open trade has none yet).</p>`;
}

/**
 * What the run decided last, to hold over the next period, worded as the terminal words it
 * (`nextPositionText`); nothing for a folder written before runs recorded it.
 */
export function signalLine(s: RunSummary): Html {
  const g: RunSignal | undefined = s.signal;
  if (!g) return html``;
  return html`
<p class="signal" data-metric="signal.asOf" data-value="${g.asOf}"><strong>Next position:</strong> <span data-metric="signal.weight" data-value="${exact(g.weight)}">${nextPositionText(g, s.frequency)}</span></p>`;
}
