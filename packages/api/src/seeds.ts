import type { RawParamValue, StrategyPlugin } from '@backtest/core';
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

/**
 * A configuration run under `settings.seeds` seeds (seed, seed+1, ...), each exactly the run a
 * plain `--seed` of that seed makes. The headline is the run whose Sharpe ratio is the median of
 * them (the lower of the two middle ones for an even count), and `seeds` their distribution, with
 * the share that beat buy-and-hold's Sharpe and, with `settings.ensemble`, the run of the
 * ensemble of all of them. A deterministic strategy runs once, with a warning saying why.
 */
export async function runOverSeeds(
  plugin: StrategyPlugin,
  raw: Readonly<Record<string, RawParamValue>>,
  series: PriceSeries | Universe,
  o: ConfigurationOptions & { readonly label?: string },
): Promise<{ headline: ConfigurationRun; seeds?: SeedsSummary; runs: readonly { seed: number; run: ConfigurationRun }[] }> {
  const { settings } = o;
  const n = settings.seeds ?? 1;
  const name = o.label ?? plugin.id;
  if (n <= 1 || !stochastic(plugin, raw)) {
    if (n > 1) o.warnings.push(`--seeds ${n} ignored for ${name}: it is deterministic (it draws no random numbers, so every seed gives the same result)`);
    else if (settings.ensemble) o.warnings.push(`--ensemble ignored for ${name}: it needs --seeds N with N > 1`);
    const headline = await runConfiguration(plugin, raw, series, o);
    return { headline, runs: [{ seed: settings.seed, run: headline }] };
  }
  const runs: ConfigurationRun[] = [];
  for (let k = 0; k < n; k++) {
    // The first seed's warnings are the run's; a later seed adds only what the first did not say.
    const own: string[] = k === 0 ? o.warnings : [];
    runs.push(await runConfiguration(plugin, raw, series, { ...o, settings: { ...settings, seed: settings.seed + k }, warnings: own }));
    for (const w of own) if (!o.warnings.includes(w)) o.warnings.push(w);
  }
  const sharpeOf = (r: ConfigurationRun) => (Number.isNaN(r.metrics.sharpe) ? -Infinity : r.metrics.sharpe);
  const order = runs.map((_, k) => k).sort((a, b) => sharpeOf(runs[a]!) - sharpeOf(runs[b]!) || a - b);
  const middle = order[Math.floor((n - 1) / 2)]!;
  const headline = runs[middle]!;
  const sharpes = Float64Array.from(runs.map((r) => r.metrics.sharpe).filter(Number.isFinite)).sort();
  const benchmarkSharpe = headline.benchmarkMetrics.sharpe;
  let ensemble: SeedsSummary['ensemble'];
  if (settings.ensemble) {
    const e = await runConfiguration(plugin, raw, series, { ...o, warnings: [], ensemble: n });
    ensemble = { members: n, ...figures(e.metrics) };
  }
  const headlineSeed = settings.seed + middle;
  return {
    headline,
    runs: runs.map((run, k) => ({ seed: settings.seed + k, run })),
    seeds: {
      n,
      headlineSeed,
      runs: runs.map((r, k) => ({ seed: settings.seed + k, ...figures(r.metrics) })),
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
