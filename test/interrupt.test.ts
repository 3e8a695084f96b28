/**
 * An interrupted run leaves no folder that claims to be complete, and no `.partial` folder of its
 * own, whatever the moment the signal lands: before the folder is claimed, while the run works
 * with its `.partial` folder claimed, while the folder is written, or after it was published.
 * The moments are chosen by what the child does (its `.partial` appears, its folder appears, it
 * starts printing), never by a delay, and the test asserts only the promise, so it holds
 * wherever the signal lands on a loaded machine:
 * - every folder without `.partial` is complete: summary.json parses, every file of the run is
 *   there and nothing else, returns.csv and positions.csv have summary.period.periods rows that
 *   agree with each other and with summary.json (see expectCompleteRunFolder);
 * - no `.partial` folder is left (the command's signal handler removes its own);
 * - the exit is 0 (the run finished before the signal), 130 / 143 (the handler), or death by the
 *   signal itself (it landed before the handler was installed), never another failure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, root } from './helpers';

type Moment = 'at once' | 'when its .partial appears' | 'when its folder appears' | 'when it starts printing';

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Whether the signal was sent (the child may have finished before the moment came). */
  sent: boolean;
}

/** Runs the command, sending `signal` at `moment` (found by polling the runs directory or watching stdout). */
function runAndSignal(args: string[], runs: string, moment: Moment, signal: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runs }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    let exited = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const send = () => {
      if (sent || exited) return;
      sent = true;
      child.kill(signal);
    };
    child.stdout.on('data', () => moment === 'when it starts printing' && send());
    if (moment === 'at once') child.once('spawn', send);
    // Polling only chooses the moment; the assertions do not depend on when it fires.
    const poll =
      moment === 'when its .partial appears' || moment === 'when its folder appears'
        ? setInterval(() => {
            const entries = readdirSync(runs);
            const partial = entries.some((e) => e.endsWith('.partial'));
            const folder = entries.some((e) => !e.endsWith('.partial'));
            if ((moment === 'when its .partial appears' && partial) || (moment === 'when its folder appears' && folder)) send();
          }, 2)
        : undefined;
    child.on('exit', (code, sig) => {
      exited = true;
      if (poll) clearInterval(poll);
      resolve({ code, signal: sig, stderr, sent });
    });
  });
}

function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

/** A complete run folder: its files, and files that agree with each other and with summary.json. */
function expectCompleteRunFolder(dir: string): { strategy: string; params: Record<string, unknown> } {
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
    strategy: string;
    params: Record<string, unknown>;
    period: { start: string; end: string; periods: number };
    results: Record<string, { totalReturn: number; forecast?: { n: number } }>;
    signal: { asOf: string };
  };
  const own = summary.results[summary.strategy]!;
  const expected = ['positions.csv', 'report.html', 'returns.csv', 'summary.json'];
  if (own.forecast) expected.push('predictions.csv');
  if (summary.strategy === 'nn-sma') expected.push('training.csv');
  expect(readdirSync(dir).sort()).toEqual(expected.sort());
  const returns = csvRows(path.join(dir, 'returns.csv'));
  expect(returns).toHaveLength(summary.period.periods);
  expect(returns[0]!.month).toBe(summary.period.start);
  expect(returns.at(-1)!.month).toBe(summary.period.end);
  const held = csvRows(path.join(dir, 'positions.csv')).filter((r) => r.weight !== '');
  expect(held).toHaveLength(summary.period.periods);
  expect(held.map((r) => r.month)).toEqual(returns.map((r) => r.month));
  // returns.csv follows from positions.csv's weights (no cost: the default), and summary.json from returns.csv.
  returns.forEach((r, k) => {
    const w = Number(held[k]!.weight);
    expect(Number(r.strategy_return)).toBeCloseTo(w * Number(r.asset_return) + (1 - Math.abs(w)) * Number(r.cash_return), 12);
  });
  expect(Number(returns.at(-1)!.strategy_equity) - 1).toBeCloseTo(own.totalReturn, 9);
  if (own.forecast) {
    // One row per forecast scored, and the last decision's, the position to hold next, whose next close is not known.
    const rows = csvRows(path.join(dir, 'predictions.csv'));
    expect(rows.filter((r) => r.actual_next_close !== '')).toHaveLength(own.forecast.n);
    expect(rows.filter((r) => r.actual_next_close === '').map((r) => r.month)).toEqual([summary.signal.asOf]);
  }
  expect(readFileSync(path.join(dir, 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
  return summary;
}

const LONG = ['--strategy', 'nn-sma', '--param', 'refit=1', '--from', '1970-01', '--to', '2020-12'];
const SHORT = ['--strategy', 'sma', '--param', 'window=7'];

describe('a signal at any moment of a run', () => {
  const cases: { label: string; args: string[]; moment: Moment; signal: NodeJS.Signals }[] = [
    { label: 'nn-sma refit=1', args: LONG, moment: 'at once', signal: 'SIGINT' },
    { label: 'nn-sma refit=1', args: LONG, moment: 'when its .partial appears', signal: 'SIGINT' },
    { label: 'nn-sma refit=1', args: LONG, moment: 'when its .partial appears', signal: 'SIGTERM' },
    { label: 'nn-sma refit=1', args: LONG, moment: 'when its folder appears', signal: 'SIGINT' },
    { label: 'nn-sma refit=1 --json', args: [...LONG, '--json'], moment: 'when it starts printing', signal: 'SIGINT' },
    { label: 'sma', args: SHORT, moment: 'when its .partial appears', signal: 'SIGINT' },
    { label: 'sma', args: SHORT, moment: 'when its folder appears', signal: 'SIGTERM' },
    { label: 'sma', args: SHORT, moment: 'when it starts printing', signal: 'SIGINT' },
  ];

  it.each(cases)('$label, $signal $moment: every folder left is complete, and no .partial is left', async ({ args, moment, signal }) => {
    const runs = mkdtempSync(path.join(tmpdir(), 'bt-int-'));
    try {
      const r = await runAndSignal(args, runs, moment, signal);
      const handled = signal === 'SIGINT' ? 130 : 143;
      // Finished first (0), stopped by the handler (130/143), or killed by the signal before the handler existed.
      expect(r.code === 0 || r.code === handled || r.signal === signal).toBe(true);
      if (r.code === handled) expect(r.stderr).toContain(`backtest: interrupted (${signal})`);
      if (!r.sent) expect(r.code).toBe(0);
      const entries = readdirSync(runs);
      expect(entries.filter((e) => e.endsWith('.partial'))).toEqual([]);
      for (const e of entries) expectCompleteRunFolder(path.join(runs, e));
      expect(entries.length).toBeLessThanOrEqual(1);
      if (r.code === 0) expect(entries).toHaveLength(1);
      if (moment === 'when its folder appears' && r.sent) expect(entries).toHaveLength(1); // published before the signal: kept
    } finally {
      rmSync(runs, { recursive: true, force: true });
    }
  });
});
