import { type RawParamValue, SharedWork, type StrategyPlugin } from '@backtest/core';
import type { PriceSeries, Universe } from '@backtest/core';
import { strategyParams } from '@backtest/core/internal';
import { type Metrics, quantileSorted } from '@backtest/metrics';
import type { SeedRun, SeedsSummary } from '@backtest/report';
import { type ConfigurationOptions, type ConfigurationRun, runConfiguration } from './run-job';

/** The figures each seed's run reports in `seeds.runs`. */
const RUN_KEYS = ['sharpe', 'cagr', 'totalReturn', 'volatility', 'sortino', 'maxDrawdown', 'calmar', 'exposure', 'trades'] as const satisfies readonly (keyof Metrics)[];

function figures(m: Metrics): Omit<SeedRun, 'seed'> {
  return Object.fromEntries(RUN_KEYS.map((k) => [k, m[k]])) as Omit<SeedRun, 'seed'>;
}

/** Whether a configuration's result depends on the seed: the plugin says, else a forecast strategy does and a rule does not. */
function stochastic(plugin: StrategyPlugin, raw: Readonly<Record<string, RawParamValue>>): boolean {
  return plugin.stochastic ? plugin.stochastic(strategyParams(plugin, raw) as never) : plugin.kind === 'forecast';
}

/** One walk of a configuration under the seeds: its seed, and for `--ensemble` the members of the ensemble. */
export interface SeedRunSpec {
  readonly seed: number;
  /** An ensemble of this many seeds (its seed is the first member's). */
  readonly ensemble?: number;
}

/**
 * The walks a configuration runs under `settings.seeds` (seed, seed+1, ..., then the ensemble of
 * all of them with `settings.ensemble`), and the warnings that say what was ignored: one walk for
 * a deterministic strategy or one seed.
 */
export function seedRunSpecs(
  plugin: StrategyPlugin,
  raw: Readonly<Record<string, RawParamValue>>,
  settings: ConfigurationOptions['settings'],
  name: string,
): { specs: SeedRunSpec[]; warnings: string[] } {
  const n = settings.seeds ?? 1;
  if (n <= 1 || !stochastic(plugin, raw)) {
    const warnings: string[] = [];
    if (n > 1) warnings.push(`--seeds ${n} ignored for ${name}: it is deterministic (it draws no random numbers, so every seed gives the same result)`);
    else if (settings.ensemble) warnings.push(`--ensemble ignored for ${name}: it needs --seeds N with N > 1`);
    return { specs: [{ seed: settings.seed }], warnings };
  }
  const specs: SeedRunSpec[] = Array.from({ length: n }, (_, k) => ({ seed: settings.seed + k }));
  if (settings.ensemble) specs.push({ seed: settings.seed, ensemble: n });
  return { specs, warnings: [] };
}

/** Runs one planned walk: exactly the run a plain `--seed` of its seed makes (or the ensemble). */
export function runSeedSpec(
  plugin: StrategyPlugin,
  raw: Readonly<Record<string, RawParamValue>>,
  series: PriceSeries | Universe,
  spec: SeedRunSpec,
  o: ConfigurationOptions,
): Promise<ConfigurationRun> {
  return runConfiguration(plugin, raw, series, { ...o, settings: { ...o.settings, seed: spec.seed }, ...(spec.ensemble ? { ensemble: spec.ensemble } : {}) });
}

/**
 * The configuration's result from its walks (in `specs` order, each with the warnings it gave):
 * the warnings join `warnings` (the first seed's all, a later seed's those not said yet, an
 * ensemble's none), and with several seeds the headline is the run whose Sharpe ratio is the
 * median of them (the lower of the two middle ones for an even count), `seeds` their
 * distribution.
 */
export function summarizeSeedRuns(
  specs: readonly SeedRunSpec[],
  done: readonly { readonly run: ConfigurationRun; readonly warnings: readonly string[] }[],
  warnings: string[],
): { headline: ConfigurationRun; seeds?: SeedsSummary; runs: readonly { seed: number; run: ConfigurationRun }[] } {
  const plainRuns = done.filter((_, k) => specs[k]!.ensemble === undefined);
  plainRuns.forEach((d, k) => {
    for (const w of d.warnings) if (k === 0 || !warnings.includes(w)) warnings.push(w);
  });
  const runs = plainRuns.map((d) => d.run);
  const n = runs.length;
  if (n === 1) return { headline: runs[0]!, runs: [{ seed: specs[0]!.seed, run: runs[0]! }] };
  const seedOf = (k: number): number => specs[k]!.seed;
  const sharpeOf = (r: ConfigurationRun) => (Number.isNaN(r.metrics.sharpe) ? -Infinity : r.metrics.sharpe);
  const order = runs.map((_, k) => k).sort((a, b) => sharpeOf(runs[a]!) - sharpeOf(runs[b]!) || a - b);
  const middle = order[Math.floor((n - 1) / 2)]!;
  const headline = runs[middle]!;
  const sharpes = Float64Array.from(runs.map((r) => r.metrics.sharpe).filter(Number.isFinite)).sort();
  const benchmarkSharpe = headline.benchmarkMetrics.sharpe;
  const e = done.find((_, k) => specs[k]!.ensemble !== undefined);
  const ensemble: SeedsSummary['ensemble'] = e ? { members: n, ...figures(e.run.metrics) } : undefined;
  return {
    headline,
    runs: runs.map((run, k) => ({ seed: seedOf(k), run })),
    seeds: {
      n,
      headlineSeed: seedOf(middle),
      runs: runs.map((r, k) => ({ seed: seedOf(k), ...figures(r.metrics) })),
      sharpe: {
        median: quantileSorted(sharpes, 0.5),
        p25: quantileSorted(sharpes, 0.25),
        p75: quantileSorted(sharpes, 0.75),
        min: sharpes[0] ?? Number.NaN,
        max: sharpes[sharpes.length - 1] ?? Number.NaN,
      },
      benchmarkSharpe,
      beatBenchmark: runs.filter((r) => r.metrics.sharpe > benchmarkSharpe).length / n,
      ...(ensemble ? { ensemble } : {}),
    },
  };
}

/**
 * A configuration run under `settings.seeds` seeds (seed, seed+1, ...), each exactly the run a
 * plain `--seed` of that seed makes (`seedRunSpecs`, `runSeedSpec`, `summarizeSeedRuns`: the
 * steps a compare's jobs take apart). A deterministic strategy runs once, with a warning saying why.
 */
export async function runOverSeeds(
  plugin: StrategyPlugin,
  raw: Readonly<Record<string, RawParamValue>>,
  series: PriceSeries | Universe,
  o: ConfigurationOptions & { readonly label?: string },
): Promise<{ headline: ConfigurationRun; seeds?: SeedsSummary; runs: readonly { seed: number; run: ConfigurationRun }[] }> {
  const { specs, warnings } = seedRunSpecs(plugin, raw, o.settings, o.label ?? plugin.id);
  o.warnings.push(...warnings);
  const done: { run: ConfigurationRun; warnings: string[] }[] = [];
  // The seeds' walks differ in their models only: what else they compute is shared.
  const shared = o.shared ?? (specs.length > 1 ? new SharedWork() : undefined);
  for (const spec of specs) {
    const own: string[] = [];
    done.push({ run: await runSeedSpec(plugin, raw, series, spec, { ...o, warnings: own, ...(shared ? { shared } : {}) }), warnings: own });
  }
  return summarizeSeedRuns(specs, done, o.warnings);
}
