import { UserError } from '@backtest/core';
import { periodLabel } from '@backtest/core/internal';
import { dataDirectories, findProjectRoot, loadDataset } from '@backtest/data';
import { type BackendRequest, DEFAULT_SEED, initBackend } from '@backtest/models';
import { type Conclusions, drawConclusions } from './conclusions';
import {
  checkpointedNetwork,
  type CheckpointCheck,
  type Curves,
  deepNetwork,
  type EarlyStopped,
  type ExperimentData,
  type NeuronRun,
  singleNeuron,
  smallNetworkCurves,
} from './experiments';
import { type LeakMeasurement, measureLeak } from './leak';
import { inputs, prepareStudyData, type PreparedData, targets, trailingStats, WINDOW } from './prepare';
import { fitRegression, type RegressionFit } from './regression';

export interface StudyOptions {
  /** First month loaded, `YYYY-MM`. @default '1970-01' */
  readonly from?: string;
  /** Last month loaded, `YYYY-MM`. @default '2020-12' */
  readonly to?: string;
  /** Seeds every network's initial weights and shuffles. @default 42 */
  readonly seed?: number;
  /** @default 'auto' */
  readonly backend?: BackendRequest;
  /** Where to look for the data; default: the project's configured data directories. */
  readonly dataDirs?: readonly string[];
  readonly projectRoot?: string;
  /** One line per finished step, for a progress display. */
  readonly onProgress?: (message: string) => void;
}

export interface StudyResult {
  readonly study: 'seed';
  readonly seed: number;
  readonly backend: string;
  readonly from: string;
  readonly to: string;
  readonly data: { readonly dataset: 'sp500'; readonly path: string; readonly sha256: string };
  /** Month-end closes loaded (in from..to) with their 10-month SMA: figure 1. */
  readonly prices: { readonly labels: string[]; readonly close: number[]; readonly sma: number[] };
  readonly prepared: PreparedData;
  readonly rows: { readonly train: number; readonly valid: number; readonly test: number; readonly firstRow: string; readonly lastRow: string };
  readonly regression: RegressionFit;
  readonly experiments: {
    /** 1: the 2-10-1 network, 20 epochs, training RMSE only. */
    readonly network: Curves;
    /** 2: the same with validation RMSE each epoch. */
    readonly validation: Curves;
    /** 3: early stopping with a checkpoint saved to disk and reloaded. */
    readonly earlyStopping: EarlyStopped & { readonly checkpoint: CheckpointCheck };
    /** 4: the single linear neuron against OLS. */
    readonly neuron: NeuronRun;
    /** 5: the 2-300-100-1 network with early stopping. */
    readonly deep: EarlyStopped;
  };
  readonly conclusions: Conclusions;
  readonly leak: LeakMeasurement;
  /** Wall-clock seconds of each step and of the whole study. */
  readonly seconds: Readonly<Record<string, number>>;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function month(value: string, flag: string): string {
  if (!MONTH.test(value)) throw new UserError(`--${flag} must be a month like 1970-01, got "${value}"`);
  return value;
}

/** Runs the article's five experiments on month-end S&P 500 closes, plus the leak measurement. */
export async function runStudy(options: StudyOptions = {}): Promise<StudyResult> {
  const started = performance.now();
  const from = month(options.from ?? '1970-01', 'from');
  const to = month(options.to ?? '2020-12', 'to');
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a whole number >= 0, got ${seed}`);
  const progress = options.onProgress ?? (() => undefined);
  const seconds: Record<string, number> = {};
  let lap = performance.now();
  const timed = <T>(name: string, work: () => T): T => {
    const value = work();
    const now = performance.now();
    seconds[name] = (now - lap) / 1000;
    lap = now;
    progress(`${name} done in ${seconds[name]!.toFixed(2)} s`);
    return value;
  };

  const backend = await initBackend(options.backend ?? 'auto');
  const projectRoot = options.projectRoot ?? findProjectRoot(__dirname);
  const dataDirs = options.dataDirs ? [...options.dataDirs] : dataDirectories({ projectRoot, env: process.env.BACKTEST_DATA_DIR });
  const loaded = loadDataset('sp500', { dataDirs, projectRoot, frequency: 'monthly' });
  const series = loaded.series;
  const labels: string[] = [];
  const close: number[] = [];
  series.dates.forEach((d, i) => {
    const label = periodLabel(d, 'monthly');
    if (label >= from && label <= to) {
      labels.push(label);
      close.push(series.close[i]!);
    }
  });
  if (labels.length === 0) throw new UserError(`sp500 has no months in ${from}..${to}`);
  const prepared = prepareStudyData(labels, Float64Array.from(close));
  // Figure 1 draws every month read, warm-up included, not only the usable rows.
  const sma = Array.from(trailingStats(Float64Array.from(close), WINDOW).mean);
  const xy = (rows: PreparedData['train']) => ({ x: inputs(rows), y: targets(rows) });
  const d: ExperimentData = { train: xy(prepared.train), valid: xy(prepared.valid), all: xy(prepared.rows), seed };
  seconds.data = (performance.now() - lap) / 1000;
  lap = performance.now();

  const regression = timed('regression', () => fitRegression(d.train, d.valid));
  const network = timed('experiment 1', () => smallNetworkCurves(d, false));
  const validation = timed('experiment 2', () => smallNetworkCurves(d, true));
  const earlyStopping = timed('experiment 3', () => checkpointedNetwork(d));
  const neuron = timed('experiment 4', () => singleNeuron(d));
  const deep = timed('experiment 5', () => deepNetwork(d));
  const leak = timed('leak', () => measureLeak(prepared.train, prepared.valid));
  seconds.total = (performance.now() - started) / 1000;

  return {
    study: 'seed',
    seed,
    backend,
    from,
    to,
    data: { dataset: 'sp500', path: loaded.path, sha256: loaded.sha256 },
    prices: { labels, close, sma },
    prepared,
    rows: {
      train: prepared.train.length,
      valid: prepared.valid.length,
      test: prepared.test.length,
      firstRow: prepared.rows[0]!.label,
      lastRow: prepared.rows[prepared.rows.length - 1]!.label,
    },
    regression,
    experiments: { network, validation, earlyStopping, neuron, deep },
    conclusions: drawConclusions(regression, validation, earlyStopping, neuron, deep),
    leak,
    seconds,
  };
}
