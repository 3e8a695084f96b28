/**
 * The data files of a run folder: each is a pure function of the record (writing) or of the
 * file's text (reading), so the folder alone rebuilds the record the report was drawn from.
 */
import * as path from 'node:path';
import { type ForecastRecord, InputError, type TrainingRecord, UserError } from '@backtest/core';
import { fileText, quotedList, readRegularFile } from '@backtest/core/internal';
import { drawdownSeries, equityCurve } from '@backtest/metrics';
import { type CsvTable, columnIndex, formatCsv, numberAt, parseCsv } from './csv';
import type { FitRecord, IndicatorSeries, RunRecord } from './run-record';
import { arr, checkJson, keyPath, num, obj, oneOfStrings, optional, parseJsonFile, preview, str } from './schema';
import type { RunSummary } from './summary';
import { checkUniverseSummary, PERIOD_LABEL, RUN_SUMMARY_SCHEMA } from './summary-schema';

export const SUMMARY_FILE = 'summary.json';
export const RETURNS_FILE = 'returns.csv';
export const POSITIONS_FILE = 'positions.csv';
export const PREDICTIONS_FILE = 'predictions.csv';
export const TRAINING_FILE = 'training.csv';
export const REPORT_FILE = 'report.html';
/** The folder of saved models (`--save-models`): one folder per fit and an index. */
const MODELS_DIR = 'models';
export const MODELS_INDEX_FILE = 'models/index.json';
const MODELS_FORMAT = 'backtest-models';

/** The data files of a run folder, read back by `readRunFolderFiles` (report.html and the models are not). */
export const READ_BACK = [SUMMARY_FILE, RETURNS_FILE, POSITIONS_FILE, PREDICTIONS_FILE, TRAINING_FILE, MODELS_INDEX_FILE] as const;

/**
 * The text of each data file `names` of the folder `dir` that exists (of a run folder by
 * default: summary.json, the CSVs, models/index.json), by name; an absent one is left out (readRunFolder says which are
 * required). Each is read once by @backtest/core's `readRegularFile`: a regular file (not a
 * directory, a FIFO or a device, checked on what was opened, so one swapped in after a check is
 * refused too and never waited for) no bigger than the cap (BACKTEST_MAX_FILE_MB, as for data
 * files), and any other refusal (permission denied) is an InputError naming the file. Every file
 * is read before any is parsed.
 */
export function readRunFolderFiles(dir: string, names: readonly string[] = READ_BACK): Map<string, string> {
  const texts = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const notDirectory = name.endsWith('.json') ? 'a JSON file' : 'a CSV file';
    const bytes = readRegularFile(file, { what: "a run folder's file", notDirectory, optional: true });
    if (bytes !== undefined) texts.set(name, fileText(bytes, file));
  }
  return texts;
}

/** The folder of fit `fit`'s model, relative to `models/`: `fit-000`, `fit-001`, ... (`fit-1000` past 999). */
function modelFolder(fit: number): string {
  return `fit-${String(fit).padStart(3, '0')}`;
}

/** One fit in models/index.json: its FitRecord, and where its model is (when it was saved). */
export interface ModelsIndexEntry extends Partial<FitRecord> {
  readonly fit: number;
  /** `ols`, `nn`, when known. */
  readonly kind?: string;
  /** The model's folder, relative to `models/` (`fit-000`): `loadModel(<run>/models/<dir>)` reads it. */
  readonly dir?: string;
  /** The files in that folder. */
  readonly files?: readonly string[];
}

/** The files under models/ of a run that saved its models, index.json last; none when it saved none. */
export function modelFiles(record: RunRecord): [string, string | Uint8Array][] {
  const saved = record.savedModels ?? [];
  if (saved.length === 0) return [];
  const files: [string, string | Uint8Array][] = [];
  const byFit = new Map<number, ModelsIndexEntry>();
  for (const m of saved) {
    const dir = modelFolder(m.fit);
    for (const [name, content] of Object.entries(m.files)) files.push([`${MODELS_DIR}/${dir}/${name}`, content]);
    byFit.set(m.fit, { fit: m.fit, ...(m.kind ? { kind: m.kind } : {}), dir, files: Object.keys(m.files) });
  }
  // Every fit the strategy reported, with its folder when its model was saved; then any saved model it did not report.
  const reported = new Set<number>();
  const fits: ModelsIndexEntry[] = (record.models ?? []).map((f) => {
    reported.add(f.fit);
    return { ...f, ...byFit.get(f.fit) };
  });
  for (const [fit, entry] of byFit) if (!reported.has(fit)) fits.push(entry);
  const doc = { format: MODELS_FORMAT, version: 1, strategy: record.summary.strategy, fits };
  files.push([MODELS_INDEX_FILE, `${JSON.stringify(doc, null, 2)}\n`]);
  return files;
}

const MODELS_INDEX_SCHEMA = obj({
  format: oneOfStrings(MODELS_FORMAT),
  fits: arr(
    obj({
      fit: num({ integer: true, min: 0 }),
      kind: optional(str()),
      dir: optional(str()),
      files: optional(arr(str())),
      decision: optional(PERIOD_LABEL),
      trainFrom: optional(PERIOD_LABEL),
      trainTo: optional(PERIOD_LABEL),
      rows: optional(num({ integer: true, min: 0 })),
      asset: optional(str()),
    }),
  ),
});

/** The fits of models/index.json, each checked against its schema. */
export function parseModelsIndexJson(text: string, file: string): ModelsIndexEntry[] {
  const doc = parseJsonFile(text, file) as { format?: unknown; fits?: unknown };
  if (doc === null || typeof doc !== 'object' || doc.format !== MODELS_FORMAT) {
    throw new UserError(`${file}: not an index of saved models (format "${MODELS_FORMAT}")`);
  }
  checkJson(doc, MODELS_INDEX_SCHEMA, file);
  return doc.fits as ModelsIndexEntry[];
}

/** The name of the label column: monthly rows are months, daily rows dates. */
export function periodColumn(summary: Pick<RunSummary, 'frequency'>): 'month' | 'date' {
  return summary.frequency === 'monthly' ? 'month' : 'date';
}

/** summary.json: the `--json` document, plus what reproduces the run. */
export function summaryJson(record: RunRecord): string {
  const doc = {
    ...record.summary,
    config: record.config,
    data: record.data,
    version: record.version,
    ...(record.createdAt ? { createdAt: record.createdAt } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Does this summary.json document (parsed) describe a compare (`"command": "compare"`)? */
export function isCompareSummary(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && (doc as { command?: unknown }).command === 'compare';
}

/** The text of file `name` of the folder `dir` (a run or compare folder, `kind`), read by readRunFolderFiles; a UserError when it has none. */
export function folderText(texts: ReadonlyMap<string, string>, dir: string, name: string, kind: 'run' | 'compare'): string {
  const text = texts.get(name);
  if (text === undefined) throw new UserError(`${kind} folder ${dir} has no ${name}`);
  return text;
}

export type SummaryParts = Pick<RunRecord, 'summary' | 'config' | 'data' | 'version' | 'createdAt'>;

/**
 * summary.json of a run folder, checked against RUN_SUMMARY_SCHEMA (every key the report reads,
 * with its type) and for the results of the strategy and of buy-and-hold: a UserError (exit 2)
 * names the file, the key path, what was expected and what was found.
 */
export function parseSummaryJson(text: string, file: string): SummaryParts {
  const doc = parseJsonFile(text, file);
  if (isCompareSummary(doc)) {
    throw new UserError(`${file} is the summary of a compare, not of a run: backtest report rebuilds run folders`);
  }
  checkJson(doc, RUN_SUMMARY_SCHEMA, file);
  const { config, data, version, createdAt, ...summary } = doc as Record<string, unknown>;
  const s = summary as unknown as RunSummary;
  for (const id of [s.strategy, BENCHMARK]) {
    if (!Object.hasOwn(s.results, id)) {
      throw new UserError(
        `${file}: "${keyPath('results', id)}" (${id === BENCHMARK ? 'the benchmark' : 'the strategy'}'s metrics): expected an object, found nothing (the key is missing)`,
      );
    }
  }
  if (s.universe) checkUniverseSummary(s.universe, file);
  // A folder of an earlier release counted the drawdown duration under its old name only.
  for (const m of Object.values(s.results)) {
    const old = m as { maxDrawdownPeriods?: number; maxDrawdownMonths?: number };
    if (old.maxDrawdownPeriods === undefined && old.maxDrawdownMonths !== undefined) old.maxDrawdownPeriods = old.maxDrawdownMonths;
  }
  return { summary: s, ...folderProvenance(doc) };
}

/**
 * What a folder's summary.json records besides the document `--json` printed: the resolved
 * settings, the data file and its hash, the version and the time (run and compare folders alike).
 */
export function folderProvenance(doc: unknown): {
  config: Record<string, unknown>;
  data: { path: string; sha256: string };
  version: string;
  createdAt?: string;
} {
  const { config, data, version, createdAt } = doc as Record<string, unknown>;
  const d = (data ?? {}) as { path?: string; sha256?: string };
  return {
    config: (config ?? {}) as Record<string, unknown>,
    data: { path: d.path ?? '', sha256: d.sha256 ?? '' },
    version: (version as string | undefined) ?? '',
    ...(typeof createdAt === 'string' ? { createdAt } : {}),
  };
}

/** The benchmark every run is compared with: its results sit beside the strategy's. */
const BENCHMARK = 'buy-and-hold';

/** The last columns of returns.csv (one series or a universe): the strategy's and the benchmark's returns, equity (from 1) and drawdown. */
export const RESULT_COLUMNS = ['strategy_return', 'buy_and_hold_return', 'strategy_equity', 'buy_and_hold_equity', 'strategy_drawdown', 'buy_and_hold_drawdown'] as const;

/** The values of RESULT_COLUMNS for each evaluation period. */
export function resultColumns(p: RunRecord['periods']): (k: number) => number[] {
  const se = equityCurve(p.strategyReturns);
  const be = equityCurve(p.benchmarkReturns);
  const sd = drawdownSeries(p.strategyReturns);
  const bd = drawdownSeries(p.benchmarkReturns);
  return (k) => [p.strategyReturns[k]!, p.benchmarkReturns[k]!, se[k + 1]!, be[k + 1]!, sd[k + 1]!, bd[k + 1]!];
}

/** returns.csv: one row per evaluation period, equity starting from 1 before the first. */
export function returnsCsv(record: RunRecord): string {
  const p = record.periods;
  const results = resultColumns(p);
  const header = [periodColumn(record.summary), 'asset_return', 'cash_return', ...RESULT_COLUMNS];
  return formatCsv(
    header,
    p.labels.map((label, k) => [label, p.assetReturns[k], p.cashReturns[k], ...results(k)]),
  );
}

/** The column of a declared indicator in positions.csv: `price:10-month SMA`, `own:14-month RSI`. */
function indicatorColumn(i: { readonly pane: string; readonly name: string }): string {
  return `${i.pane}:${i.name}`;
}

const INDICATOR_COLUMN = /^(price|own):(.+)$/;

/**
 * positions.csv: every row of the run's range; weight is the one held over that period, empty
 * before the first; then one column per declared indicator (`<pane>:<name>`), empty where undefined.
 */
export function positionsCsv(record: RunRecord): string {
  const held = new Map(record.periods.labels.map((l, k) => [l, record.periods.weights[k]!]));
  const { labels, close } = record.prices;
  const indicators = record.indicators ?? [];
  return formatCsv(
    [periodColumn(record.summary), 'close', 'weight', ...indicators.map(indicatorColumn)],
    labels.map((l, i) => [l, close[i], held.get(l), ...indicators.map((d) => d.values[i])]),
  );
}

/**
 * predictions.csv: one row per forecast, at its decision period, with the weight it led to. On a
 * universe each forecast is of one asset (column `asset`, after the period), and the next close
 * and the weight are that asset's.
 */
export function predictionsCsv(record: RunRecord): string {
  const forecasts = record.forecasts ?? [];
  const names: string[] = [];
  for (const f of forecasts) for (const n of Object.keys(f.features ?? {})) if (!names.includes(n)) names.push(n);
  const row = new Map(record.prices.labels.map((l, i) => [l, i]));
  const period = new Map(record.periods.labels.map((l, k) => [l, k]));
  const u = record.universe;
  const series = (f: ForecastRecord) => {
    if (!u) return { close: record.prices.close, weights: record.periods.weights };
    const a = f.asset === undefined ? -1 : u.assets.indexOf(f.asset);
    return a < 0 ? undefined : { close: u.closes[a]!, weights: u.weights[a]! };
  };
  // A direction forecast (target=direction) has a probability of a rise and no price forecast.
  const direction = forecasts.some((f) => f.probability !== undefined);
  const header = [
    periodColumn(record.summary),
    ...(u ? ['asset'] : []),
    ...names.map((n) => `feature_${n}`),
    'close',
    direction ? 'probability_up' : 'forecast',
    'actual_next_close',
    'weight',
    'fit',
  ];
  // The forecast at the last row led to the position to hold next (summary.signal), not to a period of the run.
  const signal = record.summary.signal;
  const nextWeight = (f: ForecastRecord) => (f.label !== signal?.asOf ? undefined : u ? signal.assets?.find((a) => a.name === f.asset)?.weight : signal.weight);
  const rows = forecasts.map((f) => {
    const i = row.get(f.label);
    const next = i === undefined ? undefined : record.prices.labels[i + 1];
    const k = next === undefined ? undefined : period.get(next);
    const s = series(f);
    return [
      f.label,
      ...(u ? [f.asset] : []),
      ...names.map((n) => f.features?.[n]),
      f.close,
      direction ? f.probability : f.forecast,
      i === undefined ? undefined : s?.close[i + 1],
      k === undefined ? nextWeight(f) : s?.weights[k],
      f.fit,
    ];
  });
  return formatCsv(header, rows);
}

/**
 * training.csv: one row per epoch of each fit; val_loss empty when the fit had no validation set.
 * On a universe, whose assets each have their own fits, column `asset` says whose.
 */
export function trainingCsv(record: RunRecord): string {
  const training = record.training ?? [];
  const named = training.some((t) => t.asset !== undefined);
  return formatCsv(
    ['fit', ...(named ? ['asset'] : []), 'epoch', 'loss', 'val_loss'],
    training.map((t) => [t.fit, ...(named ? [t.asset] : []), t.epoch, t.loss, t.valLoss]),
  );
}

/** The label column (`month` or `date`) and its labels, each checked: yyyy-MM under month, yyyy-MM-dd under date. */
export function labels(table: CsvTable, file: string): string[] {
  const c = table.header.findIndex((h) => h === 'month' || h === 'date');
  if (c < 0) throw new InputError({ file, line: table.headerLine }, `no "month" or "date" column (columns: ${quotedList(table.header, 20, 40)})`);
  const name = table.header[c]!;
  const pattern = name === 'month' ? /^\d{4}-(0[1-9]|1[0-2])$/ : /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
  return table.rows.map((r, k) => {
    const label = r[c]!;
    if (!pattern.test(label)) {
      throw new InputError({ file, line: table.lines[k]!, column: name }, `expected a ${name === 'month' ? 'month (yyyy-MM)' : 'date (yyyy-MM-dd)'}, found ${preview(label)}`);
    }
    return label;
  });
}

export function numbers(table: CsvTable, name: string, file: string): Float64Array {
  const c = columnIndex(table, name, file);
  return Float64Array.from(table.rows, (r, k) => numberAt(r[c]!, { file, line: table.lines[k]!, column: name }));
}

/** The price rows, the weights held and the declared indicators, from positions.csv. */
export function parsePositionsCsv(text: string, file: string): { prices: RunRecord['prices']; held: Map<string, number>; indicators: IndicatorSeries[] } {
  const t = parseCsv(text, file);
  const rows = labels(t, file);
  const close = numbers(t, 'close', file);
  const weight = numbers(t, 'weight', file);
  const held = new Map<string, number>();
  rows.forEach((l, i) => Number.isNaN(weight[i]!) || held.set(l, weight[i]!));
  const indicators: IndicatorSeries[] = [];
  t.header.forEach((h, c) => {
    if (h === 'month' || h === 'date' || h === 'close' || h === 'weight') return;
    const m = INDICATOR_COLUMN.exec(h);
    if (!m || t.header.indexOf(h) !== c) {
      throw new InputError({ file, line: t.headerLine, column: h }, m ? 'a second column of this name' : 'an indicator column must be named "price:<name>" or "own:<name>"');
    }
    indicators.push({ name: m[2]!, pane: m[1] as IndicatorSeries['pane'], values: numbers(t, h, file) });
  });
  return { prices: { labels: rows, close }, held, indicators };
}

/** The evaluation periods, from returns.csv and the weights of positions.csv. */
export function parseReturnsCsv(text: string, file: string, held: Map<string, number>): RunRecord['periods'] {
  const t = parseCsv(text, file);
  const periods = labels(t, file);
  const weights = Float64Array.from(periods, (l, k) => {
    const w = held.get(l);
    if (w === undefined) throw new InputError({ file, line: t.lines[k]! }, `period ${l} has no weight in ${POSITIONS_FILE}`);
    return w;
  });
  return {
    labels: periods,
    assetReturns: numbers(t, 'asset_return', file),
    cashReturns: numbers(t, 'cash_return', file),
    weights,
    strategyReturns: numbers(t, 'strategy_return', file),
    benchmarkReturns: numbers(t, 'buy_and_hold_return', file),
  };
}

/**
 * The asset named in column `asset` of each row, checked against the universe's `assets`;
 * undefined where the cell is empty (a record that names no asset).
 */
function assetNames(t: CsvTable, file: string, assets: readonly string[]): (string | undefined)[] {
  const c = columnIndex(t, 'asset', file);
  return t.rows.map((r, k) => {
    const name = r[c]!;
    if (name === '') return undefined;
    if (!assets.includes(name)) {
      throw new InputError({ file, line: t.lines[k]!, column: 'asset' }, `${preview(name)} is not an asset of the universe (${SUMMARY_FILE}: ${quotedList(assets, 20, 40)})`);
    }
    return name;
  });
}

/** The forecasts of predictions.csv; on a universe (`assets` given) each names its asset, one of them. */
export function parsePredictionsCsv(text: string, file: string, assets?: readonly string[]): ForecastRecord[] {
  const t = parseCsv(text, file);
  const at = labels(t, file);
  const of = assets ? assetNames(t, file, assets) : [];
  const features = t.header.map((h, c) => [h, c] as const).filter(([h]) => h.startsWith('feature_'));
  const close = numbers(t, 'close', file);
  const direction = !t.header.includes('forecast') && t.header.includes('probability_up');
  const forecast = direction ? undefined : numbers(t, 'forecast', file);
  const probability = direction ? numbers(t, 'probability_up', file) : undefined;
  const fit = numbers(t, 'fit', file);
  return t.rows.map((r, k) => {
    const f: Record<string, number> = {};
    for (const [h, c] of features) {
      if (r[c] !== '') f[h.slice('feature_'.length)] = numberAt(r[c]!, { file, line: t.lines[k]!, column: h });
    }
    return {
      label: at[k]!,
      close: close[k]!,
      forecast: forecast ? forecast[k]! : Number.NaN,
      ...(probability ? { probability: probability[k]! } : {}),
      ...(features.length ? { features: f } : {}),
      ...(Number.isNaN(fit[k]!) ? {} : { fit: fit[k]! }),
      ...(of[k] === undefined ? {} : { asset: of[k] }),
    };
  });
}

/** The epochs of training.csv; on a universe (`assets` given), with the asset of each fit when the file names them. */
export function parseTrainingCsv(text: string, file: string, assets?: readonly string[]): TrainingRecord[] {
  const t = parseCsv(text, file);
  const [fit, epoch, loss, val] = ['fit', 'epoch', 'loss', 'val_loss'].map((n) => numbers(t, n, file)) as Float64Array[];
  const of = assets && t.header.includes('asset') ? assetNames(t, file, assets) : [];
  return t.rows.map((_, k) => ({
    fit: fit![k]!,
    ...(of[k] === undefined ? {} : { asset: of[k] }),
    epoch: epoch![k]!,
    loss: loss![k]!,
    ...(Number.isNaN(val![k]!) ? {} : { valLoss: val![k]! }),
  }));
}
