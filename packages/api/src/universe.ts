/**
 * Universes: several assets loaded, checked and aligned on the rows they all have
 * (`--universe sp500,ndx,gold`).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { type PriceSeries, type Universe, type UniverseAsset, UserError } from '@backtest/core';
import { periodLabel, sliceSeries } from '@backtest/core/internal';
import type { LoadedData } from '@backtest/data';
import type { WalkForwardResult } from '@backtest/engine';
import { correlation, mean } from '@backtest/metrics';
import type { UniverseSummaryDoc } from '@backtest/report';
import type { RunData } from './run-job';

/** One asset as loaded: its name on the command line, and its data. */
export interface LoadedAsset {
  readonly name: string;
  readonly data: LoadedData;
}

/** What the run record says of each asset: where its rows came from. */
export interface UniverseSource {
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
  readonly origin: string;
  readonly currency?: string;
}

/** How many months a warning lists before "and N more". */
const LISTED = 6;

const listed = (xs: readonly string[]) => (xs.length <= LISTED ? xs.join(', ') : `${xs.slice(0, LISTED).join(', ')} and ${xs.length - LISTED} more`);

/** The name an asset is known by: a dataset's name, a file's base name without `.csv`. */
export function assetName(entry: string, isFile: boolean): string {
  return isFile ? basename(entry).replace(/\.csv$/i, '') : entry;
}

/**
 * Checks a universe's assets (no asset twice, no yield series, one frequency) and aligns them on
 * the rows they all have: the same month for month-end rows (their last trading days may differ),
 * the same day for daily rows. Warnings say when an asset shortens the period, which rows some
 * asset lacks in between (left out for all, so the others' returns there span two rows), and when
 * the assets' currencies differ (the returns are then each in its own currency).
 */
export function alignUniverse(assets: readonly LoadedAsset[], warnings: string[]): Universe {
  const seen = new Map<string, string>();
  for (const a of assets) {
    const earlier = assets.find((b) => b !== a && b.name === a.name && seen.has(b.name));
    if (earlier) {
      throw new UserError(
        earlier.data.path === a.data.path
          ? `--universe names ${a.name} twice; give each asset once`
          : `--universe has two assets named ${a.name} (${earlier.data.path} and ${a.data.path}): a file's asset is named by its base name, so rename one`,
      );
    }
    const sameData = [...seen.entries()].find(([, key]) => key === `${a.data.sha256}:${a.data.series.frequency}`);
    if (sameData) throw new UserError(`--universe: ${a.name} is the same data as ${sameData[0]} (${basename(a.data.path)}); give each asset once`);
    seen.set(a.name, `${a.data.sha256}:${a.data.series.frequency}`);
    if (a.data.kind === 'yield') {
      throw new UserError(`--universe: ${a.name} is a series of yields in percent, not a price to hold; a universe's assets are prices (a yield is cash: --cash-rate ${a.name})`);
    }
  }
  const frequencies = [...new Set(assets.map((a) => a.data.series.frequency))];
  if (frequencies.length > 1) {
    const of = (f: string) => assets.filter((a) => a.data.series.frequency === f).map((a) => a.name);
    throw new UserError(
      `--universe mixes daily rows (${of('daily').join(', ')}) and month-end rows (${of('monthly').join(', ')}); serve them alike with --frequency monthly (or daily)`,
    );
  }
  const frequency = frequencies[0]!;
  const labelsOf = (s: PriceSeries) => s.dates.map((d) => periodLabel(d, frequency));
  const labels = assets.map((a) => labelsOf(a.data.series));
  const span = (l: readonly string[]) => `${l[0]}..${l[l.length - 1]}`;
  // Labels (and ISO dates) sort as strings.
  const start = labels.map((l) => l[0]!).sort()[labels.length - 1]!;
  const end = labels.map((l) => l[l.length - 1]!).sort()[0]!;
  if (start > end) {
    throw new UserError(
      `--universe: the assets have no ${frequency === 'monthly' ? 'month' : 'day'} in common (${assets.map((a, i) => `${a.name} ${span(labels[i]!)}`).join(', ')})`,
    );
  }
  // The rows every asset has, in order.
  const sets = labels.map((l) => new Set(l));
  const common = labels[0]!.filter((l) => l >= start && l <= end && sets.every((s) => s.has(l)));
  if (common.length === 0) throw new UserError(`--universe: the assets have no row in common between ${start} and ${end}`);
  const starters = assets.filter((_, i) => labels[i]![0]! === start).map((a) => a.name);
  const enders = assets.filter((_, i) => labels[i]![labels[i]!.length - 1]! === end).map((a) => a.name);
  if (starters.length < assets.length || enders.length < assets.length) {
    const set = [
      starters.length < assets.length ? `${starters.join(', ')} ${starters.length > 1 ? 'set' : 'sets'} the start` : '',
      enders.length < assets.length ? `${enders.join(', ')} the end` : '',
    ];
    warnings.push(
      `the universe covers ${common[0]}..${common[common.length - 1]}, the ${frequency === 'monthly' ? 'months' : 'days'} all its assets have ` +
        `(${assets.map((a, i) => `${a.name} ${span(labels[i]!)}`).join(', ')}): ${set.filter(Boolean).join('; ')}`,
    );
  }
  for (const [i, a] of assets.entries()) {
    const missing = labels.flatMap((l, j) => (j === i ? [] : l.filter((x) => x >= start && x <= end && !sets[i]!.has(x))));
    const unique = [...new Set(missing)].sort();
    if (unique.length) {
      warnings.push(`${a.name} has no row for ${listed(unique)}, which the universe leaves out for every asset (the others' returns there span two rows)`);
    }
  }
  const currencies = new Map<string, string[]>();
  for (const a of assets) {
    const c = a.data.currency ?? 'unknown currency';
    currencies.set(c, [...(currencies.get(c) ?? []), a.name]);
  }
  if (currencies.size > 1) {
    warnings.push(
      `the universe mixes currencies (${[...currencies.entries()].map(([c, names]) => `${names.join(', ')}: ${c}`).join('; ')}): ` +
        "each asset's returns are in its own currency (local returns; the project has no exchange rates)",
    );
  }
  const keep = new Set(common);
  const members: UniverseAsset[] = assets.map((a, i) => {
    const rows = labels[i]!.flatMap((l, r) => (keep.has(l) ? [r] : []));
    return { name: a.name, series: pickRows(a.data.series, rows), ...(a.data.currency ? { currency: a.data.currency } : {}) };
  });
  const dates = common.map((_, r) => members.map((m) => m.series.dates[r]!).sort()[members.length - 1]!);
  return { assets: members, frequency, dates };
}

/** Rows `rows` (ascending indices) of a series: a slice when they are contiguous. */
function pickRows(series: PriceSeries, rows: readonly number[]): PriceSeries {
  const first = rows[0]!;
  if (rows[rows.length - 1]! - first === rows.length - 1) return sliceSeries(series, first, first + rows.length);
  const pick = (x: Float64Array) => Float64Array.from(rows, (r) => x[r]!);
  return {
    source: series.source,
    frequency: series.frequency,
    dates: rows.map((r) => series.dates[r]!),
    close: pick(series.close),
    ...(series.returnIndex ? { returnIndex: pick(series.returnIndex) } : {}),
    columns: Object.fromEntries(Object.entries(series.columns).map(([k, v]) => [k, pick(v)])),
  };
}

/** The record of a universe's data: each asset's file and hash, and one hash of them all (of the files in order). */
export function universeData(assets: readonly LoadedAsset[]): { path: string; sha256: string; sources: UniverseSource[] } {
  const sources = assets.map((a) => ({
    name: a.name,
    file: a.data.path,
    sha256: a.data.sha256,
    origin: a.data.origin ?? 'file',
    ...(a.data.currency ? { currency: a.data.currency } : {}),
  }));
  const sha256 = createHash('sha256')
    .update(sources.map((s) => `${s.name}\t${s.sha256}\n`).join(''))
    .digest('hex');
  return { path: assets.map((a) => a.name).join(','), sha256, sources };
}

/**
 * What a universe's summary says of it: each asset's source, its mean weight, its contribution to
 * the strategy's return (the sum over periods of weight x return: the arithmetic attribution,
 * whose sum with the cash and cost terms is the sum of the period returns) and its own total
 * return, the benchmark, and the correlation of the assets' period returns.
 */
export function universeSummary(universe: Universe, walk: WalkForwardResult, data: RunData): UniverseSummaryDoc {
  const u = walk.universe!;
  const sources = new Map((data.sources ?? []).map((s) => [s.name, s]));
  return {
    assets: universe.assets.map((a, i) => {
      const s = sources.get(a.name);
      return {
        name: a.name,
        ...(a.currency ? { currency: a.currency } : {}),
        ...(s ? { file: s.file, sha256: s.sha256, origin: s.origin } : {}),
        meanWeight: mean(u.weights[i]!),
        contribution: u.contributions[i]!.reduce((x, v) => x + v, 0),
        totalReturn: u.returns[i]!.reduce((g, r) => g * (1 + r), 1) - 1,
      };
    }),
    benchmark: u.benchmark,
    correlation: u.returns.map((x) => u.returns.map((y) => correlation(x, y))),
  };
}
