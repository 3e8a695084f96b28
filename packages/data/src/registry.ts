import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Frequency, UserError } from '@backtest/core';
import { LAYOUT_NAMES, type LayoutName } from './layout';

/** A named dataset: which file serves it, and how. */
export interface DatasetEntry {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  /** The frequency the dataset is served at (a daily file may be served monthly). */
  readonly frequency: Frequency;
  readonly layout: LayoutName;
  /** Public page the file comes from, for documentation and the not-found message. */
  readonly url: string;
  /** ISO 4217 code of the prices (`USD`), when known. */
  readonly currency?: string;
  /** `yield`: the series is of yields in percent (cash, never an asset of a universe); default a price. */
  readonly kind?: 'price' | 'yield';
  /** Why the close is not a price to trade (a yield), warned when a run trades it. */
  readonly caveat?: string;
  /** How `backtest data fetch` downloads the daily file, for the not-found message. */
  readonly fetch?: { readonly source: string; readonly symbol: string };
}

export interface DatasetRegistry {
  /** config/datasets.json, absolute. */
  readonly path: string;
  /** Default data directories, relative to the project root. */
  readonly dataDirs: readonly string[];
  readonly datasets: readonly DatasetEntry[];
}

const REGISTRY_FILE = join('config', 'datasets.json');

/** Reads and checks config/datasets.json under the project root. */
export function datasetRegistry(projectRoot: string): DatasetRegistry {
  const path = join(projectRoot, REGISTRY_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`dataset registry ${path} cannot be read: ${(err as Error).message}`);
  }
  const bad = (problem: string): never => {
    throw new UserError(`dataset registry ${path}: ${problem}`);
  };
  if (!isRecord(raw)) return bad('expected an object with "dataDirs" and "datasets"');
  const dataDirs = raw.dataDirs;
  if (!Array.isArray(dataDirs) || !dataDirs.every((d): d is string => typeof d === 'string')) {
    return bad('"dataDirs" must be a list of directory names');
  }
  if (!isRecord(raw.datasets)) return bad('"datasets" must be an object of named entries');
  const datasets = Object.entries(raw.datasets).map(([name, entry]): DatasetEntry => {
    if (!isRecord(entry)) return bad(`dataset "${name}" must be an object`);
    const text = (key: string): string => {
      const v = entry[key];
      return typeof v === 'string' && v !== '' ? v : bad(`dataset "${name}": "${key}" must be a non-empty string`);
    };
    const frequency = text('frequency');
    if (frequency !== 'monthly' && frequency !== 'daily') bad(`dataset "${name}": "frequency" must be monthly or daily`);
    const layout = text('layout');
    if (!(LAYOUT_NAMES as readonly string[]).includes(layout)) {
      bad(`dataset "${name}": "layout" must be one of ${LAYOUT_NAMES.join(', ')}`);
    }
    return {
      name,
      file: text('file'),
      description: text('description'),
      frequency: frequency as Frequency,
      layout: layout as LayoutName,
      url: text('url'),
      ...(entry.fetch === undefined ? {} : { fetch: fetchHint(name, entry.fetch) }),
      ...(entry.caveat === undefined ? {} : { caveat: text('caveat') }),
      ...(entry.currency === undefined
        ? {}
        : { currency: /^[A-Z]{3}$/.test(String(entry.currency)) ? String(entry.currency) : bad(`dataset "${name}": "currency" must be a 3-letter ISO 4217 code like "USD"`) }),
      ...(entry.kind === undefined ? {} : { kind: entry.kind === 'yield' || entry.kind === 'price' ? entry.kind : bad(`dataset "${name}": "kind" must be "price" or "yield"`) }),
    };
  });
  return { path, dataDirs, datasets };
}

function fetchHint(name: string, raw: unknown): { source: string; symbol: string } {
  if (isRecord(raw) && typeof raw.source === 'string' && typeof raw.symbol === 'string') return { source: raw.source, symbol: raw.symbol };
  throw new UserError(`dataset registry: dataset "${name}": "fetch" must be {"source": ..., "symbol": ...}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
