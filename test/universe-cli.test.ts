/**
 * `--universe a,b,c` as a user meets it, through the built command: a universe of one is the
 * single-asset run byte for byte; a bad universe exits 2 with a message naming the problem and
 * writes nothing; the alignment warns; `--benchmark ASSET` is that asset's buy-and-hold; the
 * rotation is reproducible and holds the asset with the best forecast; `signal`, `compare` and
 * `--seeds` work on a universe. Expectations come from the raw files (`monthEndRows`,
 * `monthEndCloses`, `plainMetrics`: no product code) or from a second run of the command that
 * must agree, never from the command's own output of an earlier version.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { silentProgress } from '@backtest/core';
import { loadStrategyRegistry, resolveSettings, runJob } from '@backtest/api';
import { backtest, type CliResult, itWithRealData, monthEndRows, readCsv, root, sharedDataFile } from './helpers';
import { monthEndCloses, plainMetrics } from './plain-metrics';

const tmp = mkdtempSync(path.join(tmpdir(), 'universe-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let folders = 0;
/** A fresh path for a run folder (not created). */
const freshDir = (name: string) => path.join(tmp, `${name}-${++folders}`);

/** The command's result, after checking that it exited 0 (its stderr shown if not). */
function ok(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = backtest(args, options);
  if (r.code !== 0) throw new Error(`backtest ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r;
}

type Doc = Record<string, unknown> & {
  period: { start: string; end: string; periods: number };
  results: Record<string, Record<string, unknown>>;
  warnings: string[];
};
const json = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Doc => JSON.parse(ok(args, options).stdout) as Doc;

/**
 * Every file of a run folder (by path inside it), with the run's creation time (summary.json's
 * createdAt, which summary.json and report.html carry) replaced by a placeholder: two runs of the
 * same settings differ in nothing else.
 */
function folderFiles(dir: string): Record<string, string> {
  const createdAt = (JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { createdAt?: unknown }).createdAt;
  expect(typeof createdAt).toBe('string');
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = path.join(sub, name);
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else
        out[rel] = readFileSync(path.join(dir, rel), 'utf8')
          .split(createdAt as string)
          .join('<createdAt>');
    }
  };
  walk('');
  return out;
}

/** Runs `args` twice, once with each data flag, and expects the same stdout, stderr and run folder. */
function expectSameRun(args: string[], universeFlags: string[], singleFlags: string[], options: { cwd?: string; folder?: boolean } = {}): void {
  const folder = options.folder ?? true;
  const [a, b] = [freshDir('universe-of-one'), freshDir('single')];
  const u = ok([...args, ...universeFlags, ...(folder ? ['--out', a] : [])], options);
  const s = ok([...args, ...singleFlags, ...(folder ? ['--out', b] : [])], options);
  expect(u.stdout).toBe(s.stdout);
  expect(u.stderr).toBe(s.stderr);
  if (folder) {
    const [fa, fb] = [folderFiles(a), folderFiles(b)];
    expect(Object.keys(fa)).toEqual(Object.keys(fb));
    expect(Object.keys(fa)).toEqual(expect.arrayContaining(['summary.json', 'report.html']));
    // One file at a time, so that a difference names the file (toBe: a report is too big to diff usefully).
    for (const name of Object.keys(fa)) expect({ name, same: fa[name] === fb[name] }).toEqual({ name, same: true });
  }
}

/** The last weekday of a month (`YYYY-MM`), as an ISO date. */
function lastWeekday(month: string): string {
  let day = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** A CSV of the plain layout (date,open,close,volume) with one month-end row per month from..to (YYYY-MM), less `skip`. */
function monthEndCsv(file: string, from: string, to: string, options: { skip?: string[]; seed?: number } = {}): string {
  const lines = ['date,open,close,volume'];
  let price = 100;
  let x = options.seed ?? 1;
  const toIndex = (label: string) => Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1;
  for (let i = toIndex(from); i <= toIndex(to); i++) {
    const month = `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    x = (x * 48271) % 2147483647;
    price *= 1 + ((x / 2147483647) * 0.11 - 0.05);
    if (!options.skip?.includes(month)) lines.push(`${lastWeekday(month)},${price.toFixed(4)},${price.toFixed(4)},1000`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const csvDir = mkdtempSync(path.join(tmpdir(), 'universe-csv-'));
afterAll(() => rmSync(csvDir, { recursive: true, force: true }));
const early = monthEndCsv(path.join(csvDir, 'early.csv'), '2000-01', '2006-12');
const late = monthEndCsv(path.join(csvDir, 'late.csv'), '2010-01', '2014-12', { seed: 2 });
const GAP = '2003-05';
const gappy = monthEndCsv(path.join(csvDir, 'gappy.csv'), '2000-01', '2006-12', { skip: [GAP], seed: 3 });

/** The months (YYYY-MM) every one of `datasets` has, in order, read from the raw files. */
function commonMonths(datasets: readonly string[]): string[] {
  const months = datasets.map((d) => new Set(monthEndRows(d).rows.map((r) => r.date.slice(0, 7))));
  return [...months[0]!].filter((m) => months.every((s) => s.has(m))).sort();
}

/** Numbers of `actual` off those of `expected` by more than `tol` (relative above 1, absolute below); a null must meet a NaN or a null. */
function disagreements(actual: Record<string, unknown>, expected: Record<string, unknown>, tol: number, label: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k];
    if (typeof v !== 'number' && v !== null) continue;
    const ok =
      v === null || Number.isNaN(v) ? a === null || (typeof a === 'number' && Number.isNaN(a)) : typeof a === 'number' && Math.abs(a - v) <= tol * Math.max(1, Math.abs(v));
    if (!ok) out.push(`${label}.${k}: got ${String(a)}, expected ${String(v)}`);
  }
  return out;
}

/** The metrics of a result (its numbers and nulls: what `disagreements` compares). */
const metricKeys = (r: Record<string, unknown>) =>
  Object.keys(r)
    .filter((k) => typeof r[k] === 'number' || r[k] === null)
    .sort();

// ---------------------------------------------------------------------------------------------

describe('a universe of one is the single-asset run, byte for byte', () => {
  it('sma: --universe sp500 is --dataset sp500 (JSON and run folder)', () => {
    expectSameRun(['--strategy', 'sma', '--json'], ['--universe', 'sp500'], ['--dataset', 'sp500']);
  });

  it('nn-sma, the default strategy: --universe sp500 is --dataset sp500 (JSON and run folder)', () => {
    expectSameRun(['--to', '2005-12', '--json'], ['--universe', 'sp500'], ['--dataset', 'sp500']);
  });

  it('the text summary too, and a --benchmark naming the one asset changes nothing', () => {
    expectSameRun(['--strategy', 'sma', '--no-save'], ['--universe', 'sp500', '--benchmark', 'sp500'], ['--dataset', 'sp500'], { folder: false });
  });

  it('forecast model=ols: --universe ndx is --dataset ndx', () => {
    expectSameRun(['--strategy', 'forecast', '--param', 'model=ols', '--json'], ['--universe', 'ndx'], ['--dataset', 'ndx']);
  });

  it('signal: --universe sp500 is --dataset sp500 (sma, and the default strategy)', () => {
    expectSameRun(['signal', '--strategy', 'sma', '--json'], ['--universe', 'sp500'], ['--dataset', 'sp500'], { folder: false });
    expectSameRun(['signal', '--to', '2005-12', '--json'], ['--universe', 'sp500'], ['--dataset', 'sp500'], { folder: false });
  });

  it('compare --grid "sma:window=8|10|12": --universe sp500 is --dataset sp500 (JSON and run folder)', () => {
    expectSameRun(['compare', '--grid', 'sma:window=8|10|12', '--json'], ['--universe', 'sp500'], ['--dataset', 'sp500']);
  });

  it('a CSV file: --universe ./early.csv is --data ./early.csv (JSON and run folder)', () => {
    const name = `./${path.basename(early)}`;
    expectSameRun(['--strategy', 'sma', '--json'], ['--universe', name], ['--data', name], { cwd: csvDir });
  });

  it('a CSV file with --benchmark naming its asset as a universe of several names it (the base name)', () => {
    // In `--universe ./early.csv,./gappy.csv` the file's asset is "early", and --benchmark early
    // names it; a universe of the one file is that file alone, so --benchmark early is its own asset.
    const name = `./${path.basename(early)}`;
    const several = json(['--strategy', 'sma', '--universe', `${name},./${path.basename(gappy)}`, '--benchmark', 'early', '--json', '--no-save'], { cwd: csvDir });
    expect((several.universe as { benchmark: string }).benchmark).toBe('early');
    expectSameRun(['--strategy', 'sma', '--json', '--no-save'], ['--universe', name, '--benchmark', 'early'], ['--data', name], { cwd: csvDir, folder: false });
  });
});

// ---------------------------------------------------------------------------------------------

describe('a bad universe exits 2 with a clear message and writes no run folder', () => {
  /** Runs with `--out` to a fresh path; expects exit 2, every `mentions` in stderr, no stack trace, and no folder. */
  function refused(args: string[], mentions: (string | RegExp)[]): void {
    const out = freshDir('refused');
    const r = backtest([...args, '--out', out]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    for (const m of mentions) expect(r.stderr).toMatch(m);
    expect(r.stderr).toMatch(/^backtest: /);
    // A user error is one message, not a crash: no stack frames, no error class.
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(r.stderr).not.toMatch(/\b(Type|Range|Reference)?Error\b/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  }
  const sma = ['--strategy', 'sma'];

  it('an unknown dataset, with the near miss named', () => {
    refused([...sma, '--universe', 'sp500,gld'], ['"gld"', 'did you mean "gold"']);
  });

  it('two CSV files with no month in common', () => {
    refused([...sma, '--universe', `${early},${late}`], [/no month in common/, /early/, /late/]);
  });

  it('an asset given twice', () => {
    refused([...sma, '--universe', 'sp500,ndx,sp500'], [/sp500 twice/]);
  });

  itWithRealData('the same data under two names: sp500 and its daily file', () => {
    refused([...sma, '--universe', `sp500,${sharedDataFile('gspc-daily.csv')}`], [/same data/, /sp500/]);
  });

  it('a series of yields as an asset: says it is yields, and that it can be --cash-rate', () => {
    refused([...sma, '--universe', 'sp500,tnx'], [/tnx/, /yields/, /--cash-rate/]);
  });

  it('an empty entry', () => {
    refused([...sma, '--universe', 'sp500,,ndx'], [/--universe/, /empty/]);
  });

  it('--universe with --dataset', () => {
    refused([...sma, '--universe', 'sp500,ndx', '--dataset', 'sp500'], [/--universe/, /--dataset/]);
  });

  it('--universe with --data', () => {
    refused([...sma, '--universe', 'sp500,ndx', '--data', early], [/--universe/, /--data/]);
  });

  it('--benchmark naming no asset of the universe (of several, and of one)', () => {
    refused([...sma, '--universe', 'sp500,ndx', '--benchmark', 'gold'], [/--benchmark gold/, /not an asset/, /sp500/, /ndx/]);
    refused([...sma, '--universe', 'sp500', '--benchmark', 'gold'], [/--benchmark gold/, /not an asset/]);
  });

  it('--benchmark without --universe', () => {
    refused([...sma, '--benchmark', 'ndx'], [/--benchmark/, /--universe/]);
  });

  itWithRealData('daily and month-end rows mixed: sp500 and sp500-daily', () => {
    refused([...sma, '--universe', 'sp500,sp500-daily'], [/daily/, /month-end/, /sp500-daily/]);
  });

  it('allocation=rotation on a single dataset (and on a universe of one)', () => {
    refused(['--strategy', 'forecast', '--param', 'allocation=rotation', '--dataset', 'sp500'], [/allocation=rotation/, /--universe/]);
    refused(['--strategy', 'forecast', '--param', 'allocation=rotation', '--universe', 'sp500'], [/allocation=rotation/, /--universe/]);
  });

  it('top=3 of 3 assets: top must be below N', () => {
    refused(['--strategy', 'forecast', '--param', 'allocation=rotation', '--param', 'top=3', '--universe', 'sp500,ndx,gold'], [/top=3/, /below 3/]);
  });

  it('top=2 without allocation=rotation (absent, or timing)', () => {
    refused(['--strategy', 'forecast', '--param', 'top=2', '--universe', 'sp500,ndx,gold'], [/"top"/, /allocation=rotation/]);
    refused(['--strategy', 'forecast', '--param', 'allocation=timing', '--param', 'top=2', '--universe', 'sp500,ndx,gold'], [/"top"/, /allocation=rotation/]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the alignment warns', () => {
  it('which asset sets the start when one starts later', () => {
    // Which one starts later, and where the universe then starts, from the raw files.
    const first = (d: string) => monthEndRows(d).rows[0]!.date.slice(0, 7);
    const [later, earlier] = first('ndx') > first('sp500') ? ['ndx', 'sp500'] : ['sp500', 'ndx'];
    const start = commonMonths(['sp500', 'ndx'])[0]!;
    expect(start).toBe(first(later));
    const doc = json(['--strategy', 'sma', '--universe', 'sp500,ndx', '--json', '--no-save']);
    const warning = doc.warnings.find((w) => w.includes('sets the start'));
    expect(warning).toBeDefined();
    expect(warning).toContain(`${later} sets the start`);
    expect(warning).not.toContain(`${earlier} sets the start`);
    expect(warning).toContain(start);
    // The text form says the same (its warnings follow the table, on stdout).
    expect(ok(['--strategy', 'sma', '--universe', 'sp500,ndx', '--no-save']).stdout).toContain(`warning: ${warning}`);
  });

  it('no such warning when every asset spans the same months', () => {
    const copy = path.join(csvDir, 'copy-of-early.csv');
    writeFileSync(copy, readFileSync(early, 'utf8').replace(/,1000\n/g, ',2000\n'));
    const doc = json(['--strategy', 'sma', '--universe', `${early},${copy}`, '--json', '--no-save']);
    expect(doc.warnings.filter((w) => w.includes('sets the start') || w.includes('currenc'))).toEqual([]);
  });

  it('mixed currencies, naming USD and EUR', () => {
    const doc = json(['--strategy', 'sma', '--universe', 'sp500,dax', '--json', '--no-save']);
    const warning = doc.warnings.find((w) => /currenc/i.test(w));
    expect(warning).toBeDefined();
    expect(warning).toMatch(/USD/);
    expect(warning).toMatch(/EUR/);
    expect(warning).toMatch(/sp500/);
    expect(warning).toMatch(/dax/);
    // One currency: no such warning.
    expect(json(['--strategy', 'sma', '--universe', 'sp500,ndx', '--json', '--no-save']).warnings.filter((w) => /currenc/i.test(w))).toEqual([]);
  });

  it("an asset's interior gap, naming the month, which the universe leaves out for every asset", () => {
    const out = freshDir('gap');
    const doc = json(['--strategy', 'sma', '--universe', `${early},${gappy}`, '--json', '--out', out]);
    // The file alone warns of its gap already; the universe must say what it does with it.
    const alone = json(['--strategy', 'sma', '--data', gappy, '--json', '--no-save']).warnings;
    const own = doc.warnings.filter((w) => w.includes(GAP) && !alone.includes(w));
    expect(own.length).toBeGreaterThan(0);
    expect(own.some((w) => w.includes('gappy'))).toBe(true);
    // And the month is left out of the universe's rows (the other asset has it).
    const months = readFileSync(path.join(out, 'positions.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(months).toContain('2003-04');
    expect(months).toContain('2003-06');
    expect(months).not.toContain(GAP);
  });
});

// ---------------------------------------------------------------------------------------------

describe('--benchmark ndx on the universe sp500,ndx', () => {
  const range = ['--test-start', '1990-01', '--to', '2020-12'];

  it("is ndx's buy-and-hold: the metrics of --dataset ndx's over the same periods (to 1e-12), and of the raw closes (to 1e-9)", () => {
    const universe = json(['--strategy', 'sma', '--universe', 'sp500,ndx', '--benchmark', 'ndx', ...range, '--json', '--no-save']);
    const single = json(['--strategy', 'sma', '--dataset', 'ndx', ...range, '--json', '--no-save']);
    // The same periods (ndx's months are all months sp500 has too, so the rows are ndx's own).
    expect(universe.period).toEqual(single.period);
    const u = universe.results['buy-and-hold']!;
    const s = single.results['buy-and-hold']!;
    expect(metricKeys(u)).toEqual(metricKeys(s));
    expect(disagreements(u, s, 1e-12, 'buy-and-hold')).toEqual([]);
    // The equal-weight benchmark is another one.
    const equal = json(['--strategy', 'sma', '--universe', 'sp500,ndx', ...range, '--json', '--no-save']).results['buy-and-hold']!;
    expect(Math.abs((equal.totalReturn as number) - (s.totalReturn as number))).toBeGreaterThan(1e-6);

    // ndx held from the decision before the first period to the end, from its month-end closes.
    const months = commonMonths(['sp500', 'ndx']).filter((m) => m <= '2020-12');
    const closes = monthEndCloses('ndx');
    const i0 = months.indexOf(universe.period.start);
    const i1 = months.indexOf(universe.period.end);
    expect(i0).toBeGreaterThan(0);
    expect(i1 - i0 + 1).toBe(universe.period.periods);
    const r = months.slice(i0, i1 + 1).map((m, k) => closes.get(m)! / closes.get(months[i0 + k - 1]!)! - 1);
    const plain = plainMetrics(
      r,
      r,
      r.map(() => 1),
    );
    expect(disagreements(u, plain, 1e-9, 'buy-and-hold (raw closes)')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const ROTATION_ASSETS = ['sp500', 'ndx', 'gold', 'dax'];
const ROTATION = ['--strategy', 'forecast', '--param', 'model=ols', '--param', 'allocation=rotation', '--param', 'top=1', '--universe', ROTATION_ASSETS.join(',')];

/** The asset with the highest implied return (forecast / close - 1) among `scores`, ties to the earlier in `assets`; undefined for none. */
function best(scores: Map<string, number>, assets: readonly string[]): string | undefined {
  let top: string | undefined;
  for (const a of assets) {
    const s = scores.get(a);
    if (s !== undefined && Number.isFinite(s) && (top === undefined || s > scores.get(top)!)) top = a;
  }
  return top;
}

describe('rotation (forecast model=ols allocation=rotation top=1) over sp500,ndx,gold,dax', () => {
  let out: string;
  let first: string;
  beforeAll(() => {
    out = freshDir('rotation');
    first = ok([...ROTATION, '--json', '--out', out]).stdout;
  });

  it('runs, and two runs give the same JSON', () => {
    const doc = JSON.parse(first) as Doc;
    expect(doc.params).toMatchObject({ allocation: 'rotation', top: 1, model: 'ols' });
    expect(doc.period.periods).toBeGreaterThan(100);
    expect(ok([...ROTATION, '--json', '--no-save']).stdout).toBe(first);
  });

  it('gives the same JSON on 1 and 2 threads', () => {
    const env = { BACKTEST_WORKER_MIN_WORK: '0' };
    const one = ok([...ROTATION, '--threads', '1', '--json', '--no-save'], { env }).stdout;
    expect(ok([...ROTATION, '--threads', '2', '--json', '--no-save'], { env }).stdout).toBe(one);
    expect(one).toBe(first);
  });

  it('holds, in the walk the library returns, one asset at weight 1 (or cash), the one with the highest implied return', async () => {
    // The same run in-process (packages/api's runJob), for its per-asset weights and forecasts.
    const settings = resolveSettings(root, undefined, { strategy: 'forecast', universe: ROTATION_ASSETS, params: { model: 'ols', allocation: 'rotation', top: '1' } });
    const outcome = await runJob(settings, loadStrategyRegistry(), root, silentProgress);
    const u = outcome.walk.universe!;
    expect(u.assets).toEqual(ROTATION_ASSETS);
    const scores = new Map<string, Map<string, number>>();
    for (const f of outcome.walk.output.forecasts ?? []) {
      expect(ROTATION_ASSETS).toContain(f.asset);
      if (!scores.has(f.label)) scores.set(f.label, new Map());
      scores.get(f.label)!.set(f.asset!, f.forecast / f.close - 1);
    }
    let invested = 0;
    outcome.walk.decisionLabels.forEach((label, k) => {
      const w = u.weights.map((x) => x[k]!);
      const held = w.flatMap((x, i) => (x === 0 ? [] : [{ asset: ROTATION_ASSETS[i]!, weight: x }]));
      const want = best(scores.get(label) ?? new Map(), ROTATION_ASSETS);
      expect({ label, held }).toEqual({ label, held: want === undefined ? [] : [{ asset: want, weight: 1 }] });
      if (want !== undefined) invested++;
    });
    expect(invested).toBeGreaterThan(outcome.walk.decisionLabels.length / 2);
    // More than one asset is held over the walk, or the rotation rotates nothing.
    expect(new Set(u.weights.flatMap((x, i) => (x.some((v) => v === 1) ? [i] : []))).size).toBeGreaterThan(1);
  });

  // The run folder's universe layout: positions.csv `month, close:<asset>..., weight:<asset>...`,
  // predictions.csv with an `asset` column (one row per asset and decision).
  it('positions.csv of the run folder: columns close:<asset> and weight:<asset>, one asset at weight 1 or cash in every period', () => {
    const { header, rows } = readCsv(path.join(out, 'positions.csv'));
    expect(header.slice(0, 1 + 2 * ROTATION_ASSETS.length)).toEqual(['month', ...ROTATION_ASSETS.map((a) => `close:${a}`), ...ROTATION_ASSETS.map((a) => `weight:${a}`)]);
    const wcol = ROTATION_ASSETS.map((a) => header.indexOf(`weight:${a}`));
    let periods = 0;
    for (const row of rows) {
      const cells = wcol.map((c) => row[c]!);
      if (cells.every((c) => c === '')) continue; // before the first period
      periods++;
      const w = cells.map(Number);
      const ones = w.filter((x) => x === 1).length;
      expect({ month: row[0], ok: w.every((x) => x === 0 || x === 1) && ones <= 1 }).toEqual({ month: row[0], ok: true });
    }
    expect(periods).toBe((JSON.parse(first) as Doc).period.periods);
  });

  it('predictions.csv of the run folder: the asset held after each decision has the highest implied return of the four', () => {
    const positions = readCsv(path.join(out, 'positions.csv'));
    const predictions = readCsv(path.join(out, 'predictions.csv'));
    const col = (name: string) => {
      const c = predictions.header.indexOf(name);
      expect({ column: name, found: c >= 0 }).toEqual({ column: name, found: true });
      return c;
    };
    const [month, asset, close, forecast] = [col('month'), col('asset'), col('close'), col('forecast')];
    const scores = new Map<string, Map<string, number>>();
    for (const r of predictions.rows) {
      if (!scores.has(r[month]!)) scores.set(r[month]!, new Map());
      scores.get(r[month]!)!.set(r[asset]!, Number(r[forecast]) / Number(r[close]) - 1);
    }
    const wcol = ROTATION_ASSETS.map((a) => positions.header.indexOf(`weight:${a}`));
    expect(wcol.every((c) => c > 0)).toBe(true);
    let checked = 0;
    positions.rows.forEach((row, i) => {
      if (i === 0 || wcol.every((c) => row[c] === '')) return;
      // The weight of period row i was decided at the close of row i-1.
      const decision = positions.rows[i - 1]![0]!;
      const held = ROTATION_ASSETS.filter((_, j) => Number(row[wcol[j]!]) === 1);
      const want = best(scores.get(decision) ?? new Map(), ROTATION_ASSETS);
      expect({ decision, held }).toEqual({ decision, held: want === undefined ? [] : [want] });
      checked++;
    });
    expect(checked).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------

describe('signal on a universe', () => {
  const ASSETS = ['sp500', 'ndx', 'gold'];

  it("holds each asset at 1/3 or 0 by Faber's rule at the last common month, recomputed from the month-end closes", () => {
    const doc = JSON.parse(ok(['signal', '--strategy', 'sma', '--universe', ASSETS.join(','), '--json']).stdout) as {
      asOf: string;
      weight: number;
      assets: { name: string; weight: number; lastRow: { date: string; close: number } }[];
    };
    const months = commonMonths(ASSETS);
    const last = months.at(-1)!;
    expect(doc.asOf).toBe(last);
    expect(doc.assets.map((a) => a.name)).toEqual(ASSETS);
    const window = months.slice(-10);
    let sum = 0;
    for (const a of doc.assets) {
      const closes = monthEndCloses(a.name);
      const x = window.map((m) => closes.get(m)!);
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      // Not a call too close for the two averages' last bits to disagree.
      expect(Math.abs(x.at(-1)! - mean) / mean).toBeGreaterThan(1e-9);
      const want = x.at(-1)! > mean ? 1 / 3 : 0;
      expect({ asset: a.name, weight: a.weight }).toEqual({ asset: a.name, weight: want });
      expect(a.lastRow.close).toBe(closes.get(last));
      sum += want;
    }
    expect(doc.weight).toBeCloseTo(sum, 12);
  });

  it('of the rotation: holds the asset whose forecast implies the highest return, at weight 1', () => {
    const doc = JSON.parse(ok(['signal', ...ROTATION, '--json']).stdout) as {
      asOf: string;
      weight: number;
      assets: { name: string; weight: number; forecast?: { close: number; price: number; impliedReturn: number } }[];
    };
    expect(doc.asOf).toBe(commonMonths(ROTATION_ASSETS).at(-1));
    expect(doc.assets.map((a) => a.name)).toEqual(ROTATION_ASSETS);
    const scores = new Map(doc.assets.flatMap((a) => (a.forecast ? [[a.name, a.forecast.price / a.forecast.close - 1] as const] : [])));
    expect(scores.size).toBe(ROTATION_ASSETS.length);
    const want = best(scores, ROTATION_ASSETS);
    expect(doc.assets.map((a) => [a.name, a.weight])).toEqual(ROTATION_ASSETS.map((a) => [a, a === want ? 1 : 0]));
    expect(doc.weight).toBe(1);
  });

  it('prints one line per asset without --json', () => {
    const text = ok(['signal', '--strategy', 'sma', '--universe', ASSETS.join(',')]).stdout;
    const lines = text.split('\n').map((l) => l.trim());
    for (const a of ASSETS) expect({ asset: a, lines: lines.filter((l) => l.split(/\s+/)[0] === a).length }).toEqual({ asset: a, lines: 1 });
    const order = ASSETS.map((a) => lines.findIndex((l) => l.split(/\s+/)[0] === a));
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });
});

// ---------------------------------------------------------------------------------------------

describe('compare and seeds on a universe', () => {
  const UNIVERSE = 'sp500,ndx,gold';

  it('compare --grid "sma:window=6|10": multiple testing, and each configuration the single run from the same first decision (to 1e-12)', () => {
    const doc = json(['compare', '--grid', 'sma:window=6|10', '--universe', UNIVERSE, '--json', '--no-save']) as Doc & {
      multipleTesting?: unknown;
      benchmark: Record<string, unknown>;
    };
    expect(doc.multipleTesting).toBeDefined();
    expect(doc.multipleTesting).not.toBeNull();
    // The compare's first decision: the universe's month before its first period.
    const months = commonMonths(UNIVERSE.split(','));
    const decision = months[months.indexOf(doc.period.start) - 1];
    expect(decision).toBeDefined();
    for (const window of [6, 10]) {
      const single = json(['--strategy', 'sma', '--param', `window=${window}`, '--universe', UNIVERSE, '--test-start', decision!, '--json', '--no-save']);
      expect(single.period).toEqual(doc.period);
      const mine = doc.results[`sma[window=${window}]`];
      expect(mine).toBeDefined();
      const s = single.results.sma!;
      expect(metricKeys(mine!)).toEqual(expect.arrayContaining(metricKeys(s)));
      expect(disagreements(mine!, s, 1e-12, `sma[window=${window}]`)).toEqual([]);
      expect(disagreements(doc.benchmark, single.results['buy-and-hold']!, 1e-12, 'benchmark')).toEqual([]);
    }
  });

  it('--strategy nn-sma --seeds 3 runs three seeds', () => {
    const doc = json(['--strategy', 'nn-sma', '--seeds', '3', '--universe', 'sp500,ndx', '--to', '2010-12', '--json', '--no-save']);
    const seeds = doc.results['nn-sma']!.seeds as { n: number; runs: { seed: number }[] };
    expect(seeds.n).toBe(3);
    expect(new Set(seeds.runs.map((r) => r.seed)).size).toBe(3);
  });
});
