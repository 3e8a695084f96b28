import { isUniverse, type ProgressReporter, SharedWork, type StrategyPlugin, UserError } from '@backtest/core';
import { universeSummary } from '../universe';
import { periodLabel, strategyParams, streamSeed } from '@backtest/core/internal';
import { firstRowAtOrAfter, type YieldSeries } from '@backtest/engine';
import { benchmarkDifferences, type MultipleTestingResult, multipleTesting, type PboInput, type PboResult, pbo } from '@backtest/metrics';
import { type CompareResultDoc, type CompareSummaryDoc, type MultipleTestingDoc, type SeedsSummary, trialLabel } from '@backtest/report';
import type { StrategyRegistry } from '../registry';
import {
  CONVENTIONS,
  type ConfigurationRun,
  createStrategy,
  datasetName,
  type Market,
  marketName,
  periodOf,
  prepareRun,
  type RunData,
  rowCount,
  strategyContext,
} from '../run-job';
import { runSeedSpec, type SeedRunSpec, seedRunSpecs, summarizeSeedRuns } from '../seeds';
import type { RunSettings } from '../settings';
import { type Configuration, configurations } from './grid';
import { BootstrapPool } from './bootstrap-pool';
import { type SharpeDiffInput, type SharpeDiffTests, type Significance, sharpeDiffTests, significance, verdict } from './significance';

export interface CompareOptions {
  readonly strategies: readonly string[];
  readonly grids: readonly string[];
  /** Configurations tried before this compare (for the deflation). */
  readonly priorTrials: number;
  readonly samples: number;
  readonly blockLength?: number;
}

/** One configuration's results: the report's document shape, with the full significance block. */
type CompareResult = CompareResultDoc & { significance: Significance };

/** The document `backtest compare --json` prints (the shape the compare report reads). */
export type CompareSummary = CompareSummaryDoc & { results: Record<string, CompareResult> };

export interface CompareOutcome {
  summary: CompareSummary;
  /** The data file the compare read (for the folder's provenance). */
  data: { path: string; sha256: string };
  runs: ConfigurationRun[];
  configurations: Configuration[];
  /** Every run tried, by trial label (each seed of a stochastic configuration), as the joint tests saw them. */
  trials: { label: string; returns: Float64Array }[];
  /** The PBO's logits, one per split, when it was computed: the report's histogram draws them. */
  pboLogits?: Float64Array;
}

/**
 * A compare before any walk: its configurations, the market, the common first month, and its
 * jobs (one walk-forward each: a configuration under one seed, or its ensemble), which may run
 * in this process (`runCompare`), in shards (`--shard`) or on queue workers (`--queue`), and
 * which `assembleCompare` turns into the same document.
 */
export interface PreparedCompare {
  readonly settings: RunSettings;
  readonly options: CompareOptions;
  readonly configs: readonly Configuration[];
  readonly plugins: readonly StrategyPlugin[];
  readonly data: RunData;
  readonly series: Market;
  readonly cash: number | YieldSeries;
  /** The data's warnings (each job's follow, in job order, when assembled). */
  readonly warnings: readonly string[];
  readonly first: number;
  readonly testStart: string;
  /** The columns the market was loaded with (a job loads the same). */
  readonly columns: readonly string[];
  /** Each configuration's runs (seeds), their warnings, and the index of its first job (a configuration's jobs are contiguous). */
  readonly specs: readonly { readonly specs: readonly SeedRunSpec[]; readonly warnings: readonly string[]; readonly firstJob: number }[];
  readonly jobs: readonly CompareJob[];
  /** What the compare's walks share in this process (`StrategyContext.shared`): the configurations differing in their model only walk the same samples. */
  readonly shared: SharedWork;
}

/** One walk-forward of a compare: which configuration, under which seed (or the ensemble). */
export interface CompareJob {
  /** Position in the compare's jobs. */
  readonly index: number;
  /** Position of its configuration. */
  readonly config: number;
  readonly spec: SeedRunSpec;
}

/** A job's result: the walk (without its plugin, which each process has) and the warnings it gave. */
export interface CompareJobResult {
  readonly run: Omit<ConfigurationRun, 'plugin'>;
  readonly warnings: readonly string[];
  /**
   * The configuration's bootstraps against the benchmark, when this walk is its headline (its
   * only walk) and the job was asked for them: a shard or a queue worker computes them beside
   * the walk, so that they spread with the jobs.
   */
  readonly tests?: SharpeDiffTests;
}

/**
 * Resolves the configurations, loads the market and finds the common first month: the
 * evaluation starts where the configuration that needs the most history (or the latest default
 * test start) can first decide, so every Sharpe ratio and the buy-and-hold benchmark cover
 * identical periods.
 */
export function prepareCompare(settings: RunSettings, options: CompareOptions, registry: StrategyRegistry, projectRoot: string, progress: ProgressReporter): PreparedCompare {
  const configs = configurations(options.strategies, options.grids, Object.fromEntries(Object.entries(settings.params).map(([k, v]) => [k, String(v)])));
  const plugins = configs.map((c) => registry.get(c.id));
  configs.forEach((c, i) => strategyParams(plugins[i]!, c.params, `strategy "${c.id}" (${c.label})`));
  const columns = [...new Set(plugins.flatMap((p) => p.needs?.columns ?? []))];
  const { data, series, cash, warnings } = prepareRun(settings, projectRoot, columns);

  // The common first decision row.
  let first = 0;
  configs.forEach((c, i) => {
    const plugin = plugins[i]!;
    const strategy = createStrategy(plugin, strategyParams(plugin, c.params, c.id), series, strategyContext({ ...settings, saveModels: false }, series.frequency, progress, []));
    let row = strategy.minHistory - 1;
    const start = settings.testStart ?? strategy.defaultTestStart;
    if (start !== undefined) row = Math.max(row, firstRowAtOrAfter(series, start));
    first = Math.max(first, row);
  });
  if (first > rowCount(series) - 2) {
    throw new UserError(`the configurations leave no common month to compare in ${marketName(series)} (${settings.from ?? 'start'}..${settings.to ?? 'end'})`);
  }
  const testStart = periodLabel(series.dates[first]!, series.frequency);
  // With --seeds, each stochastic configuration walks under every seed (and its ensemble).
  const jobs: CompareJob[] = [];
  const specs = configs.map((c, config) => {
    const s = seedRunSpecs(plugins[config]!, c.params, settings, c.label);
    const firstJob = jobs.length;
    for (const spec of s.specs) jobs.push({ index: jobs.length, config, spec });
    return { ...s, firstJob };
  });
  return { settings, options, configs, plugins, data, series, cash, warnings, first, testStart, columns, specs, jobs, shared: new SharedWork() };
}

/**
 * Runs one job of a prepared compare (in any process: its result depends on the job alone), with
 * `withTests` its configuration's bootstraps too when it is the configuration's only walk.
 */
export async function runCompareJob(p: PreparedCompare, job: CompareJob, progress: ProgressReporter, withTests = false): Promise<CompareJobResult> {
  const warnings: string[] = [];
  const c = p.configs[job.config]!;
  const { plugin: _plugin, ...run } = await runSeedSpec(p.plugins[job.config]!, c.params, p.series, job.spec, {
    settings: p.settings,
    progress,
    warnings,
    testStart: p.testStart,
    cash: p.cash,
    shared: p.shared,
  });
  const only = p.specs[job.config]!.specs.length === 1;
  return { run, warnings, ...(withTests && only ? { tests: sharpeDiffTests(sharpeDiffInput(run, c.label, p.settings.seed, p.options)) } : {}) };
}

/**
 * Runs every configuration over the same months (`prepareCompare`), its jobs one after another
 * in this process, and assembles the document.
 */
export async function runCompare(
  settings: RunSettings,
  options: CompareOptions,
  registry: StrategyRegistry,
  projectRoot: string,
  progress: ProgressReporter,
): Promise<CompareOutcome> {
  const prepared = prepareCompare(settings, options, registry, projectRoot, progress);
  // Each configuration's bootstraps start (on a worker thread) as soon as its walks are done,
  // while the next configuration walks; the rest of its significance needs every run (the trials).
  const bootstraps = new BootstrapPool(settings.threads);
  const results: CompareJobResult[] = [];
  const testsOf: (() => Promise<SharpeDiffTests>)[] = [];
  try {
    for (const job of prepared.jobs) {
      results.push(await runCompareJob(prepared, job, progress));
      progress.stop();
      const config = prepared.configs[job.config]!;
      const own = prepared.specs[job.config]!.specs;
      if (job.spec !== own[own.length - 1]) continue;
      const { headline } = summarizeSeedRuns(own, configResults(prepared, results, job.config), []);
      testsOf.push(bootstraps.tests(sharpeDiffInput(headline, config.label, settings.seed, options)));
    }
    // The joint tests need every run and no bootstrap: the PBO on the worker thread after the
    // last bootstraps, the multiple testing here meanwhile.
    const tried = triedRuns(prepared, results, []);
    const input = pboInput(tried);
    const pboLater = input ? bootstraps.pbo(input) : undefined;
    const mt = multipleTests(tried, settings.seed, options);
    const tests = await Promise.all(testsOf.map((t) => t()));
    return assembleCompare(prepared, results, tests, jointTests(tried, mt, await pboLater?.()));
  } finally {
    await bootstraps.close();
  }
}

/** The results of configuration `config`'s jobs, in its specs' order, each with its plugin. */
function configResults(p: PreparedCompare, results: readonly CompareJobResult[], config: number): { run: ConfigurationRun; warnings: readonly string[] }[] {
  const { firstJob, specs } = p.specs[config]!;
  return results.slice(firstJob, firstJob + specs.length).map((r) => ({ run: { ...r.run, plugin: p.plugins[config]! }, warnings: r.warnings }));
}

/**
 * The compare's document from its jobs' results (in job order): each configuration's headline
 * and seeds, the significance of each against buy-and-hold (`tests`, its bootstraps, when
 * already computed), and the joint tests over every run tried. Results from any process give
 * the same document.
 */
export function assembleCompare(p: PreparedCompare, jobResults: readonly CompareJobResult[], tests?: readonly SharpeDiffTests[], joint?: JointTests): CompareOutcome {
  const { settings, options, configs, series, data, first } = p;
  const warnings = [...p.warnings];
  const runs: ConfigurationRun[] = [];
  const seedsOf: (SeedsSummary | undefined)[] = [];
  const tried = triedRuns(p, jobResults, warnings, (headline, seeds) => {
    runs.push(headline);
    seedsOf.push(seeds);
  });
  const testsOf = runs.map((r, i) => {
    const own = p.specs[i]!.specs.length === 1 ? jobResults[p.specs[i]!.firstJob]?.tests : undefined;
    return tests?.[i] ?? own ?? sharpeDiffTests(sharpeDiffInput(r, configs[i]!.label, settings.seed, options));
  });
  const base = runs[0]!.walk;
  for (const r of runs) {
    if (r.walk.labels.length !== base.labels.length || r.walk.labels[0] !== base.labels[0]) {
      // (Results from shards or workers are input: said as such.)
      throw new UserError(`the runs of ${r.plugin.id} and ${runs[0]!.plugin.id} cover different months: results of different sweeps?`);
    }
  }

  const ppy = base.periodsPerYear;
  const trialSharpes = runs.map((r) => r.metrics.sharpe / Math.sqrt(ppy));
  const trials = configs.length + options.priorTrials;
  const results: Record<string, CompareResult> = {};
  const verdicts: CompareSummary['verdicts'] = [];
  let backend: string | undefined;
  runs.forEach((r, i) => {
    const label = configs[i]!.label;
    const sig = significance({ ...sharpeDiffInput(r, label, settings.seed, options), trialSharpes, trials, ...(r.forecast ? { forecast: r.forecast } : {}) }, testsOf[i]);
    results[label] = {
      ...r.metrics,
      ...(r.forecastMetrics ? { forecast: r.forecastMetrics } : {}),
      ...(r.walk.output.fits !== undefined ? { fits: r.walk.output.fits } : {}),
      ...(seedsOf[i] ? { seeds: seedsOf[i] } : {}),
      params: r.params,
      significance: sig,
    };
    if (r.walk.output.model?.backend !== undefined) backend = r.walk.output.model.backend;
    verdicts.push({ configuration: label, ...verdict(label, sig, r.metrics.sharpe, r.benchmarkMetrics.sharpe) });
  });
  const multiple = joint ?? jointTestsHere(tried, settings.seed, options);
  const summary: CompareSummary = {
    command: 'compare',
    dataset: datasetName(settings, data),
    ...(isUniverse(series) ? { universe: universeSummary(series, runs[0]!.walk, data) } : {}),
    frequency: series.frequency,
    period: periodOf(base, series.frequency),
    configurations: configs.map((c) => c.label),
    results,
    benchmark: runs[0]!.benchmarkMetrics,
    verdicts,
    trials,
    multipleTesting: multiple.doc,
    jointVerdict: multiple.verdict,
    seed: settings.seed,
    ...(backend ? { backend } : {}),
    conventions: {
      ...CONVENTIONS(ppy, settings),
      firstDecision: periodLabel(series.dates[first]!, series.frequency),
      psr: 'Bailey and López de Prado (2012), per-period Sharpe, skewness and kurtosis of excess returns',
      dsr: "Bailey and López de Prado (2014): PSR against the expected maximum Sharpe of the trials, with the variance of their Sharpe ratios (the Sharpe estimator's sampling variance when this compare ran one configuration)",
      bootstrap: `stationary bootstrap (Politis and Romano 1994) of paired excess returns, ${options.samples} resamples, block length by Politis and White (2004, corrected by Patton, Politis and White 2009) of the paired difference series unless --block`,
      verdict: 'beats buy-and-hold when the Sharpe difference is positive and its bootstrap p-value times the number of trials (Bonferroni) is below 0.05',
      multipleTesting:
        "White's Reality Check (2000) and Hansen's SPA, consistent version (2005), of the best of every run tried, and Romano and Wolf's StepM (2005) at 5%, on one stationary bootstrap of the per-period return differences against buy-and-hold (block length the mean of their Politis-White estimates unless --block; p = (1 + #{T* >= T}) / (B + 1))",
      dm: 'Diebold-Mariano with the Harvey-Leybourne-Newbold correction, squared errors of the implied return against the no-change forecast',
    },
    warnings,
  };
  const trialReturns = tried.map((t, i) => ({ label: multiple.doc.trials[i]!, returns: t.run.walk.strategyReturns }));
  return {
    summary,
    data: { path: data.path, sha256: data.sha256 },
    runs,
    configurations: [...configs],
    trials: trialReturns,
    ...(multiple.pboLogits ? { pboLogits: multiple.pboLogits } : {}),
  };
}

/** A configuration's run against the benchmark, as its bootstraps take it. */
function sharpeDiffInput(r: Pick<ConfigurationRun, 'walk'>, label: string, seed: number, options: CompareOptions): SharpeDiffInput {
  return {
    returns: r.walk.strategyReturns,
    benchmark: r.walk.benchmarkReturns,
    cash: r.walk.cashReturns,
    periodsPerYear: r.walk.periodsPerYear,
    // From the configuration's label, not its position: its statistics do not depend on what else is compared.
    seed: streamSeed(seed, `bootstrap:${label}`),
    samples: options.samples,
    ...(options.blockLength !== undefined ? { blockLength: options.blockLength } : {}),
  };
}

/** Blocks of the combinatorially symmetric cross-validation (Bailey et al. 2015's default). */
const PBO_BLOCKS = 16;

/**
 * Every run tried (each seed of a stochastic configuration), for the joint tests, in the
 * configurations' order; each configuration's headline and seeds go to `each`, and the warnings
 * of its runs to `warnings`.
 */
function triedRuns(
  p: PreparedCompare,
  jobResults: readonly CompareJobResult[],
  warnings: string[],
  each?: (headline: ConfigurationRun, seeds: SeedsSummary | undefined) => void,
): { label: string; run: ConfigurationRun }[] {
  const tried: { label: string; run: ConfigurationRun }[] = [];
  p.configs.forEach((c, i) => {
    warnings.push(...p.specs[i]!.warnings);
    const { headline, seeds, runs: all } = summarizeSeedRuns(p.specs[i]!.specs, configResults(p, jobResults, i), warnings);
    each?.(headline, seeds);
    for (const t of all) tried.push({ label: trialLabel(c.label, seeds ? t.seed : undefined), run: t.run });
  });
  return tried;
}

/** Reality Check, SPA and StepM of every run tried: one shared bootstrap, seeded from the run's seed and the stream's name. */
function multipleTests(tried: readonly { run: ConfigurationRun }[], seed: number, options: CompareOptions): MultipleTestingResult {
  return multipleTesting({
    differences: benchmarkDifferences(
      tried.map((t) => t.run.walk.strategyReturns),
      tried[0]!.run.walk.benchmarkReturns,
    ),
    samples: options.samples,
    seed: streamSeed(seed, 'multiple-testing'),
    ...(options.blockLength !== undefined ? { blockLength: options.blockLength } : {}),
  });
}

/**
 * The probability that the best run in sample is below the median out of sample (CSCV), on the
 * excess returns' Sharpe ratio: its input, for two or more runs over at least one period a block.
 */
function pboInput(tried: readonly { run: ConfigurationRun }[]): PboInput | undefined {
  const cash = tried[0]!.run.walk.cashReturns;
  const excess = tried.map((t) => Float64Array.from(t.run.walk.strategyReturns, (r, i) => r - cash[i]!));
  return tried.length >= 2 && excess[0]!.length >= PBO_BLOCKS ? { returns: excess, blocks: PBO_BLOCKS } : undefined;
}

/** The joint tests, all in this thread (a compare without its bootstrap thread: a merge of shards, a queue sweep). */
function jointTestsHere(tried: readonly { label: string; run: ConfigurationRun }[], seed: number, options: CompareOptions): JointTests {
  const input = pboInput(tried);
  return jointTests(tried, multipleTests(tried, seed, options), input ? pbo(input) : undefined);
}

/** The joint answer, its document and its verdict, and the PBO's logits (which the document does not keep). */
interface JointTests {
  readonly doc: MultipleTestingDoc;
  readonly verdict: { readonly beats: boolean; readonly text: string };
  readonly pboLogits?: Float64Array;
}

/** The joint answer: is the best of every run tried better than buy-and-hold (`mt`), which are, and how overfit is choosing it (`p`)? */
function jointTests(tried: readonly { label: string; run: ConfigurationRun }[], mt: MultipleTestingResult, p: PboResult | undefined): JointTests {
  const rejected = mt.stepM.rejected.map((k) => tried[k]!.label);
  const doc: MultipleTestingDoc = {
    statistic: 'the mean per-period return difference against buy-and-hold',
    trials: tried.map((t) => t.label),
    realityCheck: { pValue: mt.realityCheck.pValue },
    spa: { pValue: mt.spa.pValue },
    stepM: { rejected },
    blockLength: mt.blockLength,
    samples: mt.samples,
    ...(p ? { pbo: { value: p.value, blocks: p.blocks, splits: p.splits, degradation: p.degradation } } : {}),
  };
  const f = (p: number) => (Number.isFinite(p) ? p.toFixed(3) : 'n/a');
  const n = tried.length;
  const what = n === 1 ? `${tried[0]!.label}` : `the best of the ${n} runs tried`;
  const beats = mt.spa.pValue < 0.05;
  const which = rejected.length === 0 ? 'none of them individually' : rejected.length === n && n > 1 ? 'all of them' : rejected.join(', ');
  const overfit = p ? ` The probability that the best in sample is below the median out of sample (PBO, ${p.blocks} blocks) is ${f(p.value)}.` : '';
  const text =
    (beats
      ? `Taken together, ${what} beats buy-and-hold on mean return (SPA p = ${f(mt.spa.pValue)}, Reality Check p = ${f(mt.realityCheck.pValue)}); StepM at 5%: ${which}.`
      : `Taken together, ${what} does not beat buy-and-hold on mean return at the 5% level (SPA p = ${f(mt.spa.pValue)}, Reality Check p = ${f(mt.realityCheck.pValue)}); StepM at 5%: ${which}.`) +
    overfit;
  return { doc, verdict: { beats, text }, ...(p ? { pboLogits: p.logits } : {}) };
}
