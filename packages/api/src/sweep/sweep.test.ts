/**
 * A sweep's jobs outside the process that planned them: keys that name a job by its content, a
 * fixed assignment to shards, results that survive their bytes, and the queue worker's
 * processor, which runs a job exactly as the planner would and refuses one made by other code
 * or for other data. (The end-to-end sweeps, shards and queue workers: test/distributed.test.ts.)
 */
import { silentProgress, UserError } from '@backtest/core';
import { UnrecoverableError } from 'bullmq';
import { prepareCompare, runCompareJob } from '../compare/compare-job';
import { compareOptions, settingsFromOptions } from '../library';
import { loadStrategyRegistry } from '../registry';
import { codeVersion, decodeResult, encodeResult, shardOf, sweepJobs } from './jobs';
import processWalk from './processor';
import { checkResult } from './result-check';
import { parseShard } from './shards';

const projectRoot = `${__dirname}/../../../..`;
const registry = loadStrategyRegistry({ projectRoot });

function prepared(grid = 'nn-sma:hidden=3|5;epochs=2', extra: Record<string, unknown> = {}) {
  const settings = settingsFromOptions({ from: '1990-01', to: '1999-12', testStart: '1996-01', seeds: 2, ...extra }, { projectRoot });
  return prepareCompare(settings, compareOptions({ strategies: ['sma'], grids: [grid], samples: 200 }), registry, projectRoot, silentProgress);
}

describe('sweep jobs', () => {
  it('name each job by its content: the same keys for the same sweep, others when a setting, seed or parameter changes', () => {
    const a = sweepJobs(prepared());
    const b = sweepJobs(prepared());
    // sma once (deterministic), each network under 2 seeds.
    expect(a.payloads.map((p) => p.job.spec.seed)).toEqual([42, 42, 43, 42, 43]);
    expect(b.payloads.map((p) => p.key)).toEqual(a.payloads.map((p) => p.key));
    expect(b.sweep).toBe(a.sweep);
    expect(new Set(a.payloads.map((p) => p.key)).size).toBe(5);
    const other = sweepJobs(prepared('nn-sma:hidden=3|5;epochs=2', { costBps: 10 }));
    expect(other.payloads.map((p) => p.key).filter((k) => a.payloads.some((p) => p.key === k))).toEqual([]);
    expect(other.sweep).not.toBe(a.sweep);
    // Threads change where fits run, not a result: not in the key.
    expect(sweepJobs(prepared('nn-sma:hidden=3|5;epochs=2', { threads: 1 })).sweep).toBe(a.sweep);
  });

  it('assigns every job to exactly one shard, the same on every call', () => {
    const { payloads } = sweepJobs(prepared());
    for (const n of [1, 2, 3, 7]) {
      const shards = payloads.map((p) => shardOf(p.key, n));
      expect(shards.every((s) => s >= 0 && s < n)).toBe(true);
      expect(payloads.map((p) => shardOf(p.key, n))).toEqual(shards);
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1/2/3', '', '-1/2', '1.5/2']) expect(() => parseShard(bad)).toThrow(UserError);
  });

  it("keeps a result's numbers through its bytes (NaN and typed arrays too), and refuses bytes that are not a result", async () => {
    const p = prepared();
    const r = await runCompareJob(p, p.jobs[1]!, silentProgress);
    const back = decodeResult(encodeResult(r), 'x');
    expect(back).toEqual(r);
    expect(Object.prototype.toString.call(back.run.walk.strategyReturns)).toBe('[object Float64Array]');
    const withNaN = { ...r, run: { ...r.run, metrics: { ...r.run.metrics, sharpe: Number.NaN } } };
    expect(decodeResult(encodeResult(withNaN), 'x').run.metrics.sharpe).toBeNaN();
    expect(() => decodeResult(Buffer.from('not v8'), 'shard s1/jobs/x.bin')).toThrow(/shard s1\/jobs\/x.bin is not a job result of this tool/);
    expect(checkResult(back, p, p.jobs[1]!, 'here')).toBe(back);
    const short = { ...back, run: { ...back.run, walk: { ...back.run.walk, strategyReturns: back.run.walk.strategyReturns.subarray(1) } } };
    expect(() => checkResult(short, p, p.jobs[1]!, 'here')).toThrow(/here: not the result of job 1 \(nn-sma\[hidden=3 epochs=2\]\): its strategyReturns are not 47 numbers/);
  });

  it('the worker processor runs a job as the planner does, and refuses other code or other data without a retry', async () => {
    const p = prepared();
    const { payloads } = sweepJobs(p);
    const job = payloads[2]!;
    const value = await processWalk({ data: job } as never);
    expect(decodeResult(Buffer.from(value, 'base64'), 'x')).toEqual(await runCompareJob(p, job.job, silentProgress));
    const otherCode = processWalk({ data: { ...job, code: 'elsewhere-1' } } as never);
    await expect(otherCode).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processWalk({ data: { ...job, code: 'elsewhere-1' } } as never)).rejects.toThrow(`was made by code version elsewhere-1, this process runs ${codeVersion()}`);
    await expect(processWalk({ data: { ...job, data: { ...job.data, sha256: 'f'.repeat(64) } } } as never)).rejects.toThrow(
      /needs data of SHA-256 ffffffffffffffff\.\.\. .* but here .* has /,
    );
    // A payload whose key is not its job's here (altered settings) is refused too.
    await expect(processWalk({ data: { ...job, key: 'a'.repeat(64) } } as never)).rejects.toThrow(/is not job 2 of its sweep here/);
  }, 60_000);
});
