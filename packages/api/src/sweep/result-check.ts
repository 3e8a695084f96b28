import { UserError } from '@backtest/core';
import type { CompareJob, CompareJobResult, PreparedCompare } from '../compare/compare-job';

/**
 * A job result read from outside this process (a shard's file, a queue's return value) has the
 * shape assembling needs: the walk's months and return series of the compare's length, the
 * metrics as numbers, the warnings as text. Anything else is refused naming where it came from,
 * before any of it is used.
 */
export function checkResult(r: CompareJobResult, p: PreparedCompare, job: CompareJob, where: string): CompareJobResult {
  const bad = (what: string): never => {
    throw new UserError(`${where}: not the result of job ${job.index} (${p.configs[job.config]!.label}): ${what}`);
  };
  const walk = (r.run as { walk?: unknown }).walk as Record<string, unknown> | undefined;
  if (!walk || typeof walk !== 'object') bad('it has no walk');
  const labels = walk!.labels;
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) bad('its months are not a list of labels');
  const n = (labels as string[]).length;
  const expected = p.series.dates.length - p.first;
  if (n !== expected && n !== expected - 1) bad(`it covers ${n} months, the compare ${expected}`);
  for (const k of ['strategyReturns', 'benchmarkReturns', 'cashReturns', 'weights'] as const) {
    const v = walk![k];
    // By its tag, not instanceof: V8's deserializer makes the arrays of its own realm.
    if (Object.prototype.toString.call(v) !== '[object Float64Array]' || (v as Float64Array).length !== n) bad(`its ${k} are not ${n} numbers`);
  }
  if (typeof walk!.periodsPerYear !== 'number' || !(walk!.periodsPerYear > 0)) bad('its periods per year are not a positive number');
  if (walk!.output === null || typeof walk!.output !== 'object') bad('it has no strategy output');
  for (const m of [r.run.metrics, r.run.benchmarkMetrics] as unknown[]) {
    if (m === null || typeof m !== 'object' || !Object.values(m as object).every((x) => typeof x === 'number' || typeof x === 'object')) bad('its metrics are not numbers');
    if (typeof (m as { sharpe?: unknown }).sharpe !== 'number') bad('its metrics have no Sharpe ratio');
  }
  if (!r.warnings.every((w) => typeof w === 'string')) bad('its warnings are not text');
  if (r.run.params === null || typeof r.run.params !== 'object') bad('it has no parameters');
  return r;
}
