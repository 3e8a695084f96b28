/**
 * positions.csv and returns.csv of a run over a universe of assets: one column per asset of each
 * per-asset series (`close:<asset>`, `weight:<asset>`, `return:<asset>`, `contribution:<asset>`)
 * in place of the one series' `close`, `weight` and `asset_return`. Read back against the assets
 * summary.json names, into the very record the run made: the net weight and the mean return of
 * the assets are summed in asset order from the first, as the engine sums them, so they come
 * back bit for bit.
 */
import { InputError } from '@backtest/core';
import { quotedList } from '@backtest/core/internal';
import { type CsvTable, columnIndex, formatCsv, parseCsv } from './csv';
import type { RunRecord, UniverseSeries, Values } from './run-record';
import { labels, numbers, POSITIONS_FILE, periodColumn, RESULT_COLUMNS, resultColumns, SUMMARY_FILE } from './run-files';
import { preview } from './schema';

/** The per-asset series a universe's files hold, each a column `<kind>:<asset>`. */
type AssetColumnKind = 'close' | 'weight' | 'return' | 'contribution';

const ASSET_COLUMN = /^(close|weight|return|contribution):(.*)$/s;

function assetColumn(kind: AssetColumnKind, asset: string): string {
  return `${kind}:${asset}`;
}

/** The sum of the assets' values in period k, from the first asset on (the engine's order, so the same bits). */
function sumOver(series: readonly Values[], k: number): number {
  let s = series[0]![k]!;
  for (let i = 1; i < series.length; i++) s += series[i]![k]!;
  return s;
}

/** positions.csv of a universe: every row of the range, each asset's close, then each asset's weight held over that period (empty before the first). */
export function universePositionsCsv(record: RunRecord, u: UniverseSeries): string {
  const period = new Map(record.periods.labels.map((l, k) => [l, k]));
  return formatCsv(
    [periodColumn(record.summary), ...u.assets.map((a) => assetColumn('close', a)), ...u.assets.map((a) => assetColumn('weight', a))],
    record.prices.labels.map((l, i) => {
      const k = period.get(l);
      return [l, ...u.closes.map((c) => c[i]), ...u.weights.map((w) => (k === undefined ? undefined : w[k]))];
    }),
  );
}

/**
 * returns.csv of a universe: each asset's return, the cash return, each asset's contribution
 * (its weight times its return), then the strategy's and the benchmark's returns, equity (from 1
 * before the first period) and drawdown.
 */
export function universeReturnsCsv(record: RunRecord, u: UniverseSeries): string {
  const p = record.periods;
  const results = resultColumns(p);
  const header = [
    periodColumn(record.summary),
    ...u.assets.map((a) => assetColumn('return', a)),
    'cash_return',
    ...u.assets.map((a) => assetColumn('contribution', a)),
    ...RESULT_COLUMNS,
  ];
  const rows = p.labels.map((label, k) => [label, ...u.returns.map((r) => r[k]), p.cashReturns[k], ...u.weights.map((w, a) => w[k]! * u.returns[a]![k]!), ...results(k)]);
  return formatCsv(header, rows);
}

/**
 * Checks the per-asset columns of `t`: one of each of `kinds` for every one of `assets`, and no
 * other column `<kind>:<name>` (of an asset the summary does not name, or a second of one name).
 * With `only`, every other column but those is refused too.
 */
function checkAssetColumns(t: CsvTable, file: string, assets: readonly string[], kinds: readonly AssetColumnKind[], only?: readonly string[]): void {
  const expected = kinds.map((k) => `"${k}:<asset>"`).join(' and ');
  t.header.forEach((h, c) => {
    const at = { file, line: t.headerLine, column: h };
    const m = ASSET_COLUMN.exec(h);
    if (m && kinds.includes(m[1] as AssetColumnKind)) {
      if (!assets.includes(m[2]!)) throw new InputError(at, `${preview(m[2]!)} is not an asset of the universe (${SUMMARY_FILE}: ${quotedList(assets, 20, 40)})`);
      if (t.header.indexOf(h) !== c) throw new InputError(at, 'a second column of this name');
    } else if (only && !only.includes(h)) {
      throw new InputError(at, `not a column of a universe's file, which has the period and ${expected} for each asset`);
    }
  });
  for (const kind of kinds) for (const a of assets) columnIndex(t, assetColumn(kind, a), file);
}

/** A universe's price rows (the first asset's close as `prices.close`), each asset's closes, and the weights held in each period, from positions.csv. */
export function parseUniversePositionsCsv(
  text: string,
  file: string,
  assets: readonly string[],
): { prices: RunRecord['prices']; closes: Float64Array[]; held: Map<string, Float64Array> } {
  const t = parseCsv(text, file);
  const rows = labels(t, file);
  checkAssetColumns(t, file, assets, ['close', 'weight'], ['month', 'date']);
  const closes = assets.map((a) => numbers(t, assetColumn('close', a), file));
  const weights = assets.map((a) => numbers(t, assetColumn('weight', a), file));
  const held = new Map<string, Float64Array>();
  rows.forEach((l, i) => {
    const w = Float64Array.from(weights, (s) => s[i]!);
    const empty = w.findIndex(Number.isNaN);
    if (empty < 0) held.set(l, w);
    else if (w.some((x) => !Number.isNaN(x))) {
      // Before the first period no asset has a weight; from it on, every asset has one.
      const given = assets[w.findIndex((x) => !Number.isNaN(x))]!;
      throw new InputError(
        { file, line: t.lines[i]!, column: assetColumn('weight', assets[empty]!) },
        `empty, but ${assetColumn('weight', given)} of this row is not: a period holds a weight of every asset`,
      );
    }
  });
  return { prices: { labels: rows, close: closes[0]! }, closes, held };
}

/**
 * A universe's evaluation periods and per-asset series, from returns.csv and the weights of
 * positions.csv: the net weight of each period is the sum of the assets' weights, its asset
 * return the equal-weight mean of their returns.
 */
export function parseUniverseReturnsCsv(
  text: string,
  file: string,
  assets: readonly string[],
  held: Map<string, Float64Array>,
): { periods: RunRecord['periods']; weights: Float64Array[]; returns: Float64Array[] } {
  const t = parseCsv(text, file);
  const periods = labels(t, file);
  checkAssetColumns(t, file, assets, ['return', 'contribution']);
  const byPeriod = periods.map((l, k) => {
    const w = held.get(l);
    if (w === undefined) throw new InputError({ file, line: t.lines[k]! }, `period ${l} has no weights in ${POSITIONS_FILE}`);
    return w;
  });
  const weights = assets.map((_, a) => Float64Array.from(byPeriod, (w) => w[a]!));
  const returns = assets.map((a) => numbers(t, assetColumn('return', a), file));
  return {
    periods: {
      labels: periods,
      assetReturns: Float64Array.from(periods, (_, k) => sumOver(returns, k) / assets.length),
      cashReturns: numbers(t, 'cash_return', file),
      weights: Float64Array.from(periods, (_, k) => sumOver(weights, k)),
      strategyReturns: numbers(t, 'strategy_return', file),
      benchmarkReturns: numbers(t, 'buy_and_hold_return', file),
    },
    weights,
    returns,
  };
}
