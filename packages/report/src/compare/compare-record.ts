import type { Metrics } from '@backtest/metrics';
import type { RunRecord, Values } from '../run-record';
import type { RunSummary, StrategyResult } from '../summary';

/**
 * What the report reads by name of a configuration's significance against buy-and-hold (the
 * CLI's `Significance` fits it; the table reads the rest of the block by path, as printed).
 */
interface CompareSignificance {
  sharpeDiff: number;
  sharpeDiffCI: readonly [number, number];
  sharpeDiffPValue: number;
}

export type CompareResultDoc = StrategyResult & { params: Record<string, unknown>; significance: CompareSignificance };

/**
 * The document `backtest compare --json` prints (the CLI's `CompareSummary` has this shape): a
 * run summary's description of the data, period and conventions, with one result per
 * configuration, buy-and-hold's metrics apart, and the verdicts.
 */
export interface CompareSummaryDoc extends Omit<RunSummary, 'strategy' | 'results' | 'params'> {
  command: 'compare';
  /** Configuration labels, in the order they ran: the table's columns. */
  configurations: string[];
  results: Record<string, CompareResultDoc>;
  benchmark: Metrics;
  verdicts: { configuration: string; beats: boolean; text: string }[];
  trials: number;
  /**
   * Does the best of every configuration tried (each seed of each, with --seeds) beat
   * buy-and-hold? White's Reality Check and Hansen's SPA on one shared bootstrap, Romano-Wolf's
   * StepM for which ones, on the mean per-period return difference against buy-and-hold.
   */
  multipleTesting?: MultipleTestingDoc;
  /** The one sentence that answers for all of them together, said before the per-configuration verdicts. */
  jointVerdict?: { beats: boolean; text: string };
}

/** A trial's label in the joint tests: the configuration's, and for each seed of a stochastic one `<label> seed <N>`. */
export function trialLabel(label: string, seed?: number): string {
  return seed === undefined ? label : `${label} seed ${seed}`;
}

export interface MultipleTestingDoc {
  statistic: string;
  /** The trials tested together: configuration labels (`trialLabel`: with `seed N` for each seed of a stochastic one). */
  trials: string[];
  realityCheck: { pValue: number };
  spa: { pValue: number };
  /** The trials StepM finds better than buy-and-hold at 5%, familywise. */
  stepM: { rejected: string[] };
  blockLength: number;
  samples: number;
  /** Bailey, Borwein, López de Prado and Zhu (2015): the probability of backtest overfitting by CSCV, and the performance degradation of the in-sample best. */
  pbo?: { value: number; blocks: number; splits: number; degradation: { slope: number; intercept: number; probabilityOfLoss: number } };
}

/**
 * Everything a compare folder holds and its report draws: the summary, what reproduces the run
 * (as a run record has it; `config` adds the compare options), and the period returns of
 * buy-and-hold and of every configuration over the common months.
 */
export type CompareRecord = Pick<RunRecord, 'config' | 'data' | 'version' | 'createdAt'> & {
  readonly summary: CompareSummaryDoc;
  readonly periods: {
    readonly labels: readonly string[];
    readonly assetReturns: Values;
    readonly cashReturns: Values;
    readonly benchmarkReturns: Values;
    /** Each configuration's returns, keyed by its label, aligned with `labels`. */
    readonly configurations: Readonly<Record<string, Values>>;
    /** With --seeds: every run tried (each seed of a stochastic configuration), by trial label, as the joint tests saw them. */
    readonly trials?: Readonly<Record<string, Values>>;
  };
  /** The PBO's logits as the compare computed them (in memory only: a folder's record recomputes them from its series). */
  readonly pboLogits?: Float64Array;
};

/** What `compareRecordFrom` reads of a compare (the CLI's `CompareOutcome` has this shape). */
export interface CompareParts {
  readonly summary: CompareSummaryDoc;
  /** One run per configuration, in the order of `summary.configurations`. */
  readonly runs: readonly {
    readonly walk: {
      readonly labels: readonly string[];
      readonly assetReturns: Values;
      readonly cashReturns: Values;
      readonly strategyReturns: Values;
      readonly benchmarkReturns: Values;
    };
  }[];
  /** Every run tried (`CompareOutcome.trials`); kept in the folder when they are more than the configurations. */
  readonly trials?: readonly { readonly label: string; readonly returns: Values }[];
  /** The PBO's logits (`CompareOutcome.pboLogits`). */
  readonly pboLogits?: Float64Array;
}

export function compareRecordFrom(
  outcome: CompareParts,
  extra: { config: Readonly<Record<string, unknown>>; data: { path: string; sha256: string }; version: string; createdAt?: Date },
): CompareRecord {
  const { summary, runs } = outcome;
  if (runs.length !== summary.configurations.length || runs.length === 0) {
    throw new Error(`internal: ${runs.length} runs for ${summary.configurations.length} configurations`);
  }
  // Every run was evaluated over the same months (runCompare checks it); the first one's asset,
  // cash and buy-and-hold returns are therefore everyone's.
  const base = runs[0]!.walk;
  return {
    summary,
    config: extra.config,
    data: { path: extra.data.path, sha256: extra.data.sha256 },
    version: extra.version,
    ...(extra.createdAt ? { createdAt: extra.createdAt.toISOString() } : {}),
    periods: {
      labels: base.labels,
      assetReturns: base.assetReturns,
      cashReturns: base.cashReturns,
      benchmarkReturns: base.benchmarkReturns,
      configurations: Object.fromEntries(summary.configurations.map((label, i) => [label, runs[i]!.walk.strategyReturns])),
      ...(outcome.trials && outcome.trials.length > runs.length ? { trials: Object.fromEntries(outcome.trials.map((t) => [t.label, t.returns])) } : {}),
    },
    ...(outcome.pboLogits ? { pboLogits: outcome.pboLogits } : {}),
  };
}
