/**
 * Runs racing for one folder. Two and four runs are started together (spawned at once, awaited
 * together), several times over, each racer a different configuration (strategy or SMA window)
 * so that their files differ:
 * - for one `--out`: exactly one wins (exit 0, and its folder is its own: complete, and its
 *   summary.json is its configuration's and agrees with its own returns.csv and positions.csv);
 *   every other exits 2 with a message naming the folder;
 * - for the default name (BACKTEST_RUNS_DIR one directory, runs in the same second): every run
 *   gets a folder of its own (`<stamp>-<id>`, `-2`, ...), each complete and its own.
 * Nothing is left as `.partial`, and nothing else is in the directory. No timing is assumed:
 * whichever order the racers land in, the assertions are the same.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, root } from './helpers';

interface Racer {
  readonly strategy: string;
  readonly window?: number;
}

interface Result {
  readonly racer: Racer;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Different configurations, so that no two racers write the same files. */
const RACERS: Racer[] = [{ strategy: 'sma', window: 5 }, { strategy: 'buy-and-hold' }, { strategy: 'sma', window: 9 }, { strategy: 'sma', window: 14 }];

const argsOf = (r: Racer) => ['--strategy', r.strategy, ...(r.window !== undefined ? ['--param', `window=${r.window}`] : [])];

function run(racer: Racer, extra: string[], runs: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argsOf(racer), ...extra], { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runs }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ racer, code, stdout, stderr }));
  });
}

/** Starts every racer at once and waits for all of them. */
const race = (racers: readonly Racer[], extra: string[], runs: string) => Promise.all(racers.map((r) => run(r, extra, runs)));

/** The run folder a successful run printed. */
function printedFolder(r: Result): string {
  const m = /^run folder: (.+)$/m.exec(r.stdout);
  if (!m) throw new Error(`no "run folder:" line in the output of ${argsOf(r.racer).join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return m[1]!.trim();
}

function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

/**
 * A complete run folder whose files are all one run's: the files of the run and nothing else,
 * returns.csv and positions.csv with summary.period.periods rows over the summary's months,
 * returns.csv following from positions.csv's weights, and summary.json's total return from
 * returns.csv's equity (files of two racers would disagree: their weights differ).
 */
function expectCompleteRunFolder(dir: string) {
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
    strategy: string;
    params: Record<string, unknown>;
    period: { start: string; end: string; periods: number };
    results: Record<string, { totalReturn: number; forecast?: unknown }>;
  };
  const own = summary.results[summary.strategy]!;
  expect(readdirSync(dir).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
  const returns = csvRows(path.join(dir, 'returns.csv'));
  expect(returns).toHaveLength(summary.period.periods);
  expect(returns[0]!.month).toBe(summary.period.start);
  expect(returns.at(-1)!.month).toBe(summary.period.end);
  const held = csvRows(path.join(dir, 'positions.csv')).filter((r) => r.weight !== '');
  expect(held.map((r) => r.month)).toEqual(returns.map((r) => r.month));
  returns.forEach((r, k) => {
    const w = Number(held[k]!.weight);
    expect(Number(r.strategy_return)).toBeCloseTo(w * Number(r.asset_return) + (1 - Math.abs(w)) * Number(r.cash_return), 12);
  });
  expect(Number(returns.at(-1)!.strategy_equity) - 1).toBeCloseTo(own.totalReturn, 9);
  expect(readFileSync(path.join(dir, 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
  return summary;
}

/** The folder is the racer's own: its strategy, its window, and (for sma) a period that starts after its own warm-up. */
function expectFolderOf(dir: string, racer: Racer): void {
  const summary = expectCompleteRunFolder(dir);
  expect(summary.strategy).toBe(racer.strategy);
  if (racer.window !== undefined) expect(summary.params.window).toBe(racer.window);
}

const REPEATS = 3;
let runs: string;
beforeEach(() => (runs = mkdtempSync(path.join(tmpdir(), 'bt-race-'))));
afterEach(() => rmSync(runs, { recursive: true, force: true }));

describe.each([2, 4])('%i runs racing', (n) => {
  const racers = RACERS.slice(0, n);

  it.each(Array.from({ length: REPEATS }, (_, i) => i + 1))('for one --out (round %i): one wins with a complete folder of its own, the others exit 2 naming it', async (round) => {
    // Round 1 also races for parents that do not exist yet.
    const out = round === 1 ? path.join(runs, 'new', 'parents', 'out') : path.join(runs, 'out');
    const results = await race(racers, ['--out', out], runs);
    const winners = results.filter((r) => r.code === 0);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    expect(printedFolder(winner)).toBe(out);
    for (const loser of results.filter((r) => r !== winner)) {
      expect({ code: loser.code, stdout: loser.stdout }).toEqual({ code: 2, stdout: '' });
      // "run folder <out> already exists", "<out>.partial already exists ...", or "<out> appeared while ...".
      expect(loser.stderr).toContain(`run folder ${out}`);
    }
    expectFolderOf(out, winner.racer);
    expect(readdirSync(path.dirname(out))).toEqual(['out']);
    if (round === 1) expect(readdirSync(runs)).toEqual(['new']);
  });

  it.each(Array.from({ length: REPEATS }, (_, i) => i + 1))('for the default name (round %i): each gets its own complete folder', async () => {
    const results = await race(racers, [], runs);
    for (const r of results) expect({ code: r.code, ...(r.code !== 0 ? { stderr: r.stderr } : {}) }).toEqual({ code: 0 });
    const folders = results.map(printedFolder);
    expect(new Set(folders).size).toBe(n);
    expect(readdirSync(runs).sort()).toEqual(folders.map((f) => path.basename(f)).sort());
    for (const f of folders) {
      expect(path.dirname(f)).toBe(runs);
      expect(path.basename(f)).toMatch(/^\d{8}-\d{6}-(sma|buy-and-hold)(-\d+)?$/);
    }
    results.forEach((r, i) => expectFolderOf(folders[i]!, r.racer));
  });
});

describe('the same name, twice in one second', () => {
  it('two runs of one strategy get <name> and <name>-2, or names of two seconds, never one folder', async () => {
    const same: Racer = { strategy: 'sma', window: 10 };
    const results = await race([same, same], [], runs);
    for (const r of results) expect({ code: r.code, ...(r.code !== 0 ? { stderr: r.stderr } : {}) }).toEqual({ code: 0 });
    const folders = results.map(printedFolder).sort();
    expect(new Set(folders).size).toBe(2);
    const [a, b] = folders.map((f) => path.basename(f));
    if (a!.slice(0, 15) === b!.slice(0, 15)) expect(b).toBe(`${a}-2`);
    for (const f of folders) expectFolderOf(f, same);
  });
});
