import {
  deflatedSharpeRatio,
  dieboldMariano,
  kurtosis,
  ledoitWolfBootstrap,
  ledoitWolfSharpeDiff,
  probabilisticSharpeRatio,
  sampleVariance,
  sharpeRatio,
  skewness,
  stationaryBootstrapSharpeDiff,
} from '@backtest/metrics';
import type { ForecastSeries } from '../run-job';

/** What `results.<id>.significance` holds: estimates and their uncertainty against buy-and-hold. */
export interface Significance {
  /** Per-period Sharpe ratio, skewness and (non-excess) kurtosis of the excess returns. */
  sharpePerPeriod: number;
  skewness: number;
  kurtosis: number;
  /** P(true Sharpe > 0) (Bailey and López de Prado, 2012). */
  psr: number;
  /** P(true Sharpe > buy-and-hold's estimated Sharpe). */
  psrVsBenchmark: number;
  /** PSR against the expected maximum Sharpe of `trials` unskilled configurations (2014). */
  dsr: number;
  trials: number;
  /** Annualised Sharpe difference to buy-and-hold, its 95% stationary-bootstrap interval and p-value. */
  sharpeDiff: number;
  sharpeDiffCI: [number, number];
  sharpeDiffPValue: number;
  blockLength: number;
  /** Ledoit and Wolf (2008) HAC studentised test of the same difference, as a cross-check. */
  ledoitWolf: { pValue: number; standardError: number };
  /**
   * Ledoit and Wolf's (2008) studentised circular block bootstrap of the Sharpe difference (block
   * length: the stationary bootstrap's, rounded), beside the percentile interval above.
   */
  studentised: { pValue: number; interval: [number, number]; blockLength: number };
  /** Diebold-Mariano (HLN-corrected) of squared errors against the no-change forecast. */
  dm?: { statistic: number; pValue: number };
}

export interface SignificanceInput {
  returns: Float64Array;
  benchmark: Float64Array;
  cash: Float64Array;
  periodsPerYear: number;
  /** Every configuration's per-period Sharpe ratio (for the deflation's variance). */
  trialSharpes: readonly number[];
  /** Configurations tried in all, this compare's plus earlier ones named with --trials. */
  trials: number;
  seed: number;
  samples: number;
  blockLength?: number;
  forecast?: ForecastSeries;
}

/** The bootstraps' inputs: a configuration's returns against the benchmark's, over the same months. */
export type SharpeDiffInput = Pick<SignificanceInput, 'returns' | 'benchmark' | 'cash' | 'periodsPerYear' | 'seed' | 'samples' | 'blockLength'>;

/** The resampling tests of a Sharpe difference (most of a significance's time), as plain data. */
export interface SharpeDiffTests {
  readonly boot: ReturnType<typeof stationaryBootstrapSharpeDiff>;
  readonly lw: ReturnType<typeof ledoitWolfSharpeDiff>;
  readonly block: number;
  readonly studentised: ReturnType<typeof ledoitWolfBootstrap> | undefined;
}

const excessOf = (r: Float64Array, cash: Float64Array): Float64Array => r.map((x, k) => x - cash[k]!);

/**
 * The stationary bootstrap, the HAC test and the studentised block bootstrap of the difference
 * between the configuration's and the benchmark's Sharpe ratios of excess returns: a function of
 * these inputs alone, so that a compare can run it on a worker thread while it walks the next
 * configuration (bootstrap-pool.ts), with the same numbers.
 */
export function sharpeDiffTests(i: SharpeDiffInput): SharpeDiffTests {
  const excess = excessOf(i.returns, i.cash);
  const benchExcess = excessOf(i.benchmark, i.cash);
  const n = excess.length;
  const boot = stationaryBootstrapSharpeDiff(excess, benchExcess, {
    samples: i.samples,
    seed: i.seed,
    periodsPerYear: i.periodsPerYear,
    ...(i.blockLength !== undefined ? { blockLength: i.blockLength } : {}),
  });
  const lw = ledoitWolfSharpeDiff(excess, benchExcess, { periodsPerYear: i.periodsPerYear });
  const block = Math.max(1, Math.min(Math.round(boot.blockLength), Math.floor(n / 2)));
  const studentised =
    n >= Math.max(6, 2 * block) ? ledoitWolfBootstrap(excess, benchExcess, { samples: i.samples, seed: i.seed, blockLength: block, periodsPerYear: i.periodsPerYear }) : undefined;
  return { boot, lw, block, studentised };
}

/** The configuration's significance; `tests` are `sharpeDiffTests(i)` when already computed (on a worker thread). */
export function significance(i: SignificanceInput, tests: SharpeDiffTests = sharpeDiffTests(i)): Significance {
  const excess = excessOf(i.returns, i.cash);
  const n = excess.length;
  const sr = sharpeRatio(excess, 1);
  const srBench = sharpeRatio(excessOf(i.benchmark, i.cash), 1);
  const skew = skewness(excess);
  const kurt = kurtosis(excess);
  // V: the variance of the trials' Sharpe ratios. With one configuration in this compare (the
  // others named only by --trials) it is unobserved; then use the sampling variance of the
  // Sharpe estimator itself (Mertens 2002 / Bailey and López de Prado 2012), the spread that
  // trials of equal true Sharpe would show.
  const variance = i.trialSharpes.length > 1 ? sampleVariance(Float64Array.from(i.trialSharpes)) : (1 - skew * sr + ((kurt - 1) / 4) * sr * sr) / (n - 1);
  const { boot, lw, block, studentised } = tests;
  const out: Significance = {
    sharpePerPeriod: sr,
    skewness: skew,
    kurtosis: kurt,
    psr: probabilisticSharpeRatio(sr, 0, n, skew, kurt),
    psrVsBenchmark: probabilisticSharpeRatio(sr, srBench, n, skew, kurt),
    dsr: deflatedSharpeRatio(sr, n, skew, kurt, Math.max(1, i.trials), variance),
    trials: i.trials,
    sharpeDiff: boot.difference,
    sharpeDiffCI: boot.interval,
    sharpeDiffPValue: boot.pValue,
    blockLength: boot.blockLength,
    ledoitWolf: { pValue: lw.pValue, standardError: lw.standardError },
    studentised: studentised
      ? { pValue: studentised.pValue, interval: studentised.interval, blockLength: studentised.blockLength }
      : { pValue: Number.NaN, interval: [Number.NaN, Number.NaN], blockLength: block },
  };
  if (i.forecast && i.forecast.actual.length > 2) {
    const f = i.forecast;
    const modelErrors = f.actual.map((a, k) => a - f.predicted[k]!);
    // The no-change forecast of a price is a zero return.
    const dm = dieboldMariano(modelErrors, f.actual, { horizon: 1, loss: 'squared' });
    out.dm = { statistic: dm.statistic, pValue: dm.pValue };
  }
  return out;
}

/**
 * The verdict, in words, computed from the numbers. A strategy beats buy-and-hold at the 5%
 * level after deflation when its Sharpe difference is positive and the bootstrap p-value,
 * multiplied by the number of configurations tried (Bonferroni), stays below 0.05.
 */
export function verdict(label: string, s: Significance, sharpe: number, benchmarkSharpe: number): { beats: boolean; text: string } {
  const adjusted = Math.min(1, s.sharpeDiffPValue * Math.max(1, s.trials));
  const beats = s.sharpeDiff > 0 && adjusted < 0.05;
  const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const sign = (v: number) => (v >= 0 ? '+' : '') + f(v);
  const evidence =
    `Sharpe ${f(sharpe)} vs ${f(benchmarkSharpe)} (difference ${sign(s.sharpeDiff)}, 95% interval ` +
    `[${sign(s.sharpeDiffCI[0])}, ${sign(s.sharpeDiffCI[1])}], bootstrap p = ${f(s.sharpeDiffPValue, 3)}` +
    (s.trials > 1 ? `, ${f(adjusted, 3)} after ${s.trials} trials` : '') +
    `; DSR ${f(s.dsr, 3)})`;
  const text = beats
    ? `${label} beats buy-and-hold on Sharpe at the 5% level after deflation: ${evidence}.`
    : s.sharpeDiff > 0
      ? `${label} has a higher Sharpe than buy-and-hold, but not significantly at the 5% level after deflation: ${evidence}.`
      : `${label} does not beat buy-and-hold on Sharpe: ${evidence}.`;
  return { beats, text };
}
