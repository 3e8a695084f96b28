import * as path from 'node:path';
import { dataDirectories } from '@backtest/data';
import type { RunFlags } from './options';
import { parseParamFlags } from './options';
import { isPath, resolveSettings, type RunSettings } from '@backtest/api';

const ENV_DATA_DIR = 'BACKTEST_DATA_DIR';

/** `--cash-rate 0.02` is a rate; anything that is not a number names a yield series (a file path is made absolute). */
function cashRateFlag(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const trimmed = String(text).trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return isPath(trimmed) ? path.resolve(trimmed) : trimmed;
}

/** `--universe sp500,ndx,./my.csv`: the names, a file path made absolute; empty entries are kept for the settings check to name. */
function universeFlag(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return String(text)
    .split(',')
    .map((s) => s.trim())
    .map((s) => (s !== '' && isPath(s) ? path.resolve(s) : s));
}

/**
 * Settings from flags over the config file over config/defaults.json. Data directories are
 * searched in this order: --data-dir, then $BACKTEST_DATA_DIR, then the configured list.
 */
export function settingsFromFlags(argv: RunFlags, projectRoot: string, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const flags: Partial<RunSettings> = {
    strategy: argv.strategy,
    dataset: argv.dataset,
    data: argv.data === undefined ? undefined : path.resolve(argv.data),
    universe: universeFlag(argv.universe),
    benchmark: argv.benchmark,
    maxLeverage: argv['max-leverage'],
    columns: argv.columns,
    totalReturn: argv['total-return'],
    frequency: argv.frequency,
    onMissing: argv['on-missing'],
    from: argv.from,
    to: argv.to,
    testStart: argv['test-start'],
    costBps: argv['cost-bps'],
    cashRate: cashRateFlag(argv['cash-rate']),
    seed: argv.seed,
    seeds: argv.seeds,
    ensemble: argv.ensemble,
    threads: argv.threads,
    backend: argv.backend,
    // --select is the forecast strategies' parameter `select` (a flag of its own to read as one).
    params: { ...parseParamFlags(argv.param), ...(argv.select !== undefined ? { select: argv.select } : {}) },
    ...(argv['save-models'] ? { saveModels: true } : {}),
    plugins: argv.plugin?.map((p) => (p.startsWith('.') || p.startsWith('/') ? path.resolve(p) : p)),
  };
  const settings = resolveSettings(projectRoot, argv.config, flags);
  settings.dataDirs = dataDirectories({
    flag: argv['data-dir'] ?? [],
    ...(env[ENV_DATA_DIR] !== undefined ? { env: env[ENV_DATA_DIR] } : {}),
    projectRoot,
    defaults: settings.dataDirs,
  });
  return settings;
}
