import type { Argv } from 'yargs';
import { UserError } from '@backtest/core';
import type { RunSettings } from '@backtest/api';

/** `--seeds N` and `--ensemble`: of the commands that report results over seeds (`backtest`, `compare`). */
export function withSeedOptions<T>(y: Argv<T>) {
  return y
    .option('seeds', { type: 'number', describe: 'run a stochastic strategy under N seeds (seed, seed+1, ...) and report their distribution; the headline is the median seed' })
    .option('ensemble', { type: 'boolean', describe: "with --seeds: also average the seeds' forecasts into one strategy" });
}

/** Options shared by every command that runs a backtest (`backtest`, `compare`). */
export function withRunOptions<T>(y: Argv<T>) {
  return y
    .option('dataset', { type: 'string', describe: 'named dataset (see "backtest list")' })
    .option('data', { type: 'string', describe: 'a CSV file to use instead of a named dataset' })
    .option('universe', {
      type: 'string',
      describe: 'several assets at once, comma-separated datasets or CSV files (sp500,ndx,gold), aligned on the months they all have; instead of --dataset',
    })
    .option('benchmark', { type: 'string', describe: 'of a universe: equal-weight (default: every asset at 1/N, rebalanced monthly) or one asset of it' })
    .option('max-leverage', {
      type: 'number',
      describe: 'bound on the sum of |weights| of a strategy that declares leverage (default 1); what exceeds 1 is borrowed at the cash rate',
    })
    .option('data-dir', { type: 'string', array: true, describe: 'directory to look for datasets in, before the configured ones (repeatable)' })
    .option('columns', { type: 'string', describe: 'column mapping for other layouts, e.g. date=Day,close=Last' })
    .option('total-return', { type: 'boolean', describe: 'reinvest dividends where the data has them (sp500-shiller)' })
    .option('frequency', { choices: ['monthly', 'daily'] as const, describe: 'bar frequency: month-end closes or daily closes' })
    .option('on-missing', { choices: ['drop', 'error'] as const, describe: 'what to do with rows that have an empty field' })
    .option('from', { type: 'string', describe: 'first row to load (YYYY-MM)' })
    .option('to', { type: 'string', describe: 'last row to load (YYYY-MM)' })
    .option('test-start', { type: 'string', describe: 'first decision month (YYYY-MM)' })
    .option('cost-bps', { type: 'number', describe: 'trading cost per unit of weight change, in basis points' })
    .option('cash-rate', { type: 'string', describe: 'cash: an annual rate as a fraction (0.02 = 2%), or a yield series in percent: a dataset (tnx, tb3ms) or CSV file' })
    .option('param', { type: 'string', array: true, describe: 'strategy parameter as name=value (repeatable)' })
    .option('seed', { type: 'number', describe: 'seed of every random draw' })
    .option('threads', { type: 'number', describe: 'worker threads for independent model fits' })
    .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as const, describe: 'TensorFlow.js backend' })
    .option('plugin', { type: 'string', array: true, describe: 'load a strategy plugin from a directory or package (repeatable)' })
    .option('config', { type: 'string', describe: 'JSON file of settings (see config/defaults.json)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' });
}

export interface RunFlags {
  strategy?: string;
  dataset?: string;
  data?: string;
  universe?: string;
  benchmark?: string;
  'max-leverage'?: number;
  'data-dir'?: string[];
  columns?: string;
  'total-return'?: boolean;
  frequency?: 'monthly' | 'daily';
  'on-missing'?: 'drop' | 'error';
  from?: string;
  to?: string;
  'test-start'?: string;
  'cost-bps'?: number;
  'cash-rate'?: string;
  param?: string[];
  seed?: number;
  seeds?: number;
  ensemble?: boolean;
  select?: string;
  threads?: number;
  backend?: RunSettings['backend'];
  plugin?: string[];
  config?: string;
  json?: boolean;
  'save-models'?: boolean;
}

/** `--param a=1 --param b=x` as an object; a value without `=` is a usage error. */
export function parseParamFlags(values: readonly string[] | undefined): Record<string, string> {
  const entries: [string, string][] = [];
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UserError(`--param expects name=value, got "${v}"`);
    const name = v.slice(0, eq).trim();
    const earlier = entries.find(([n]) => n === name);
    if (earlier) throw new UserError(`--param ${name} was given twice (${earlier[1]}, ${v.slice(eq + 1).trim()}); give it once`);
    entries.push([name, v.slice(eq + 1).trim()]);
  }
  // Own properties whatever the name: assigning out["__proto__"] would set the prototype instead.
  return Object.fromEntries(entries);
}
