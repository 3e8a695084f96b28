/**
 * Big inputs work or fail clearly. A daily file of 100,000 rows runs end to end (it used to
 * overflow the stack in the report: `Math.min(...values)` of ~65,000 or more), its report
 * carries every chart's data thinned as the page says, and `backtest report` rebuilds it byte
 * for byte. What is not a data file, or is too big to be one, is exit 2 naming it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backtest, chartJson } from './helpers';
import { RUN_CHARTS } from '../packages/report/src/__fixtures__/record';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'big-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ROWS = 100_000;
const file = path.join(tmp, 'walk-daily.csv');

/**
 * A seeded random walk (mulberry32, so the file is the same on every run) on consecutive
 * weekdays from 1700-01-01: 100,000 of them reach 2083. The loader reads any yyyy-MM-dd with a
 * four-digit year that is a real (proleptic Gregorian) day, so four centuries are fine.
 */
function writeWalk(): void {
  let seed = 20260101;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines = ['date,close'];
  let close = 100;
  for (let day = Date.UTC(1700, 0, 1); lines.length <= ROWS; day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    close *= Math.exp(0.0002 + 0.01 * (random() - 0.5));
    lines.push(`${new Date(day).toISOString().slice(0, 10)},${close.toFixed(4)}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(writeWalk);

describe('a daily run of 100,000 rows', () => {
  const out = path.join(tmp, 'run');

  it('runs end to end: exit 0, a complete folder, every chart in the report, and the same bytes rebuilt', () => {
    const r = backtest(['--strategy', 'sma', '--data', file, '--frequency', 'daily', '--out', out, '--json'], { timeout: 600_000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(out).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // The summary: every evaluation period (all rows but the SMA's warm-up), the same as printed.
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const printed = JSON.parse(r.stdout);
    expect(summary.period).toEqual(printed.period);
    expect(summary.frequency).toBe('daily');
    expect(summary.period.periods).toBe(ROWS - 10);
    expect(summary.period.start > '1700-01-01' && summary.period.end > '2083-01-01').toBe(true);
    expect(Number.isFinite(summary.results.sma.sharpe)).toBe(true);
    // The tables are whole: a line per row.
    const lines = (name: string) => readFileSync(path.join(out, name), 'utf8').trimEnd().split('\n').length - 1;
    expect(lines('returns.csv')).toBe(ROWS - 10);
    expect(lines('positions.csv')).toBe(ROWS);

    // The report: every chart with its data, thinned to about 500 blocks, from the first period to the last.
    const reportFile = path.join(out, 'report.html');
    const page = readFileSync(reportFile, 'utf8');
    const bytes = statSync(reportFile).size;
    const { specs, data } = chartJson(page);
    expect(Object.keys(specs)).toEqual(RUN_CHARTS);
    const sizes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length]));
    for (const id of ['equity__0', 'drawdown__0', 'rolling-sharpe__0', 'price__1']) {
      expect({ id, some: sizes[id]! > 500, thinned: sizes[id]! <= 3_000 }).toEqual({ id, some: true, thinned: true });
    }
    const equity = data.equity__0!;
    expect([equity[0]!.t, equity[equity.length - 1]!.t]).toEqual([summary.period.start, summary.period.end]);
    // Position bands in blocks (9,000-odd exact spans would be sub-pixel), and one heatmap cell per month of the run.
    expect(sizes.price__0).toBeLessThanOrEqual(500);
    expect(sizes.heatmap__0).toBeGreaterThan(4_500);
    // The page says how it thinned the charts, and that the tables and metrics are whole.
    expect(page.includes('These series have 100,000 days, more than a chart can show one by one, so the charts draw them in 500 blocks of 200 days')).toBe(true);
    expect(page.includes('The tables, the metrics and the CSV files use every day.')).toBe(true);
    expect(JSON.stringify(specs.price).includes('Shaded: the share of each block of 200 days in which the strategy held a position')).toBe(true);
    expect(bytes).toBeLessThan(2_500_000);

    // Rebuilt from the folder alone: the same bytes.
    writeFileSync(reportFile, 'stale');
    const rebuilt = backtest(['report', out], { timeout: 600_000 });
    expect({ code: rebuilt.code, stdout: rebuilt.stdout.trim(), stderr: rebuilt.stderr }).toEqual({ code: 0, stdout: reportFile, stderr: '' });
    expect(readFileSync(reportFile, 'utf8') === page).toBe(true);
  });
});

describe('what is not a data file, or too big for one, is exit 2 naming it', () => {
  const run = (data: string, env: NodeJS.ProcessEnv = {}) => {
    const r = backtest(['--strategy', 'sma', '--data', data, '--no-save'], { env, timeout: 60_000 });
    return { code: r.code, stderr: r.stderr };
  };

  it('/dev/zero, a FIFO and a directory, none of them read (the timeout only guards against a hang)', () => {
    if (existsSync('/dev/zero')) {
      expect(run('/dev/zero')).toEqual({
        code: 2,
        stderr: 'backtest: /dev/zero: is a character device (such as /dev/zero), not a regular file: a data file must be a file on disk\n',
      });
    }
    const fifo = path.join(tmp, 'prices.csv');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      expect(run(fifo)).toEqual({ code: 2, stderr: `backtest: ${fifo}: is a FIFO (named pipe), not a regular file: a data file must be a file on disk\n` });
    }
    const dir = path.join(tmp, 'a-dir.csv');
    mkdirSync(dir);
    expect(run(dir)).toEqual({ code: 2, stderr: `backtest: ${dir}: is a directory, not a CSV file\n` });
  });

  it('a file over the cap, naming its size and the cap (BACKTEST_MAX_FILE_MB)', () => {
    const size = statSync(file).size;
    expect(run(file, { BACKTEST_MAX_FILE_MB: '1' })).toEqual({
      code: 2,
      stderr:
        `backtest: ${file}: is ${Number((size / 2 ** 20).toFixed(3))} MB (${size} bytes), larger than the 1 MB (1048576 bytes) a data file may have; ` +
        'set BACKTEST_MAX_FILE_MB to raise the limit (Node cannot hold a text of more than about 512 MB)\n',
    });
  });
});
