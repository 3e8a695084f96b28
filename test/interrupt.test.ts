/** An interrupted run leaves no run folder that claims to be complete. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, root } from './helpers';

function runUntil(args: string[], runs: string, afterMs: number): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runs }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGINT'), afterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('SIGINT during the walk-forward', () => {
  it.each([300, 900, 1500])('after %i ms leaves no complete run folder', async (ms) => {
    const runs = mkdtempSync(path.join(tmpdir(), 'bt-int-'));
    const r = await runUntil(['--strategy', 'nn-sma', '--param', 'refit=1', '--from', '1970-01', '--to', '2020-12'], runs, ms);
    if (r.code === 0) {
      // The run finished before the signal: then its folder must be complete.
      const dirs = readdirSync(runs);
      expect(dirs).toHaveLength(1);
      expect(existsSync(path.join(runs, dirs[0]!, 'summary.json'))).toBe(true);
      return;
    }
    expect(r.signal === 'SIGINT' || r.code !== 0).toBe(true);
    for (const d of readdirSync(runs)) {
      // Anything left is marked unfinished and holds no summary under a final name.
      expect(d.endsWith('.partial')).toBe(true);
    }
  });
});
