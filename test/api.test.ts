/**
 * The library gives exactly what the command prints: a plain Node script requiring the built
 * @backtest/api (no jest module mapping, no TypeScript) against `backtest --json`.
 */
import { spawnSync } from 'node:child_process';
import { backtest, root } from './helpers';

/** Runs `call` (an expression of `api`, awaited) in a fresh Node process; its result as parsed JSON. */
function library(call: string): unknown {
  const script = `const api = require('@backtest/api');
(async () => { const r = await (${call}); process.stdout.write(JSON.stringify(r)); })().catch((e) => { process.stderr.write(String(e && e.message)); process.exitCode = e && e.exitCode === 2 ? 2 : 1; });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`library call failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function command(args: string[]): unknown {
  const r = backtest(args);
  if (r.code !== 0) throw new Error(`backtest ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('@backtest/api from plain Node', () => {
  it.each(['sma', 'ols-sma', 'nn-sma'])('runBacktest({ strategy: %j }) is the document of backtest --json --no-save', (strategy) => {
    const doc = library(`api.runBacktest({ strategy: ${JSON.stringify(strategy)} }).then((r) => r.document)`);
    expect(doc).toEqual(command(['--strategy', strategy, '--json', '--no-save']));
  });

  it('signal({ strategy: "ols-sma" }) is the document of backtest signal --json', () => {
    expect(library(`api.signal({ strategy: 'ols-sma' })`)).toEqual(command(['signal', '--strategy', 'ols-sma', '--json']));
  });

  it('compare({ strategies, samples }) is the document of backtest compare --json --no-save', () => {
    const doc = library(`api.compare({ strategies: ['sma', 'ols-sma'], samples: 500 }).then((r) => r.document)`);
    expect(doc).toEqual(command(['compare', '--strategies', 'sma,ols-sma', '--samples', '500', '--json', '--no-save']));
  });

  it("takes the settings of a config file by their names, and refuses bad ones with the schema's message", () => {
    const doc = library(`api.runBacktest({ strategy: 'sma', params: { window: 12 }, from: '1990-01', costBps: 5 }).then((r) => r.document)`);
    expect(doc).toEqual(command(['--strategy', 'sma', '--param', 'window=12', '--from', '1990-01', '--cost-bps', '5', '--json', '--no-save']));
    expect(() => library(`api.runBacktest({ strategy: 'sma', seed: -1 })`)).toThrow('options: setting "seed" must be an integer from 0 to 4294967295, got -1');
  });
});

describe('the conventions a run states', () => {
  it('say how the metrics whose definitions differ between the peers are computed here', () => {
    const doc = library(`api.runBacktest({ strategy: 'sma' }).then((r) => r.document)`) as { conventions: Record<string, unknown> };
    expect(doc.conventions['informationRatio']).toMatch(/annualised \(quantstats' and empyrical's information ratios are not\)/);
    expect(doc.conventions['hitRate']).toMatch(/a period in cash is a miss unless the cash return is positive/);
    expect(doc.conventions['alpha']).toMatch(/times 12 \(empyrical regresses returns in excess of cash/);
    expect(doc.conventions['maxDrawdownPeriods']).toBe('the longest time from a peak to its recovery (or the end), in periods (months)');
    expect(doc.conventions['maxDrawdownMonths']).toMatch(/^deprecated: the same count as maxDrawdownPeriods/);
  });
});
