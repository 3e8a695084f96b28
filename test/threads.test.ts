/**
 * --threads changes where network fits run, never the numbers: the JSON of --threads 1 (every
 * fit in the CLI's own thread) and --threads 2 and 3 (worker threads) must be byte for byte equal.
 * Small ranges and networks keep it to seconds, so BACKTEST_WORKER_MIN_WORK=0 sends them to
 * workers (by default work this small stays in-process, where it is faster). The CLI must also
 * exit promptly (a worker left running would hold the process open until the timeout).
 */
import { backtest } from './helpers';

const onWorkers = { BACKTEST_WORKER_MIN_WORK: '0' };

function run(args: string[], threads: number): string {
  const r = backtest([...args, '--threads', String(threads), '--json', '--no-save'], { timeout: 60_000, env: onWorkers });
  if (r.code !== 0) throw new Error(`backtest ${args.join(' ')} --threads ${threads} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('--threads', () => {
  it('gives identical nn-sma JSON for 1, 2 and 3 threads', () => {
    const args = ['--strategy', 'nn-sma', '--from', '1985-01', '--to', '1999-12', '--test-start', '1993-01', '--param', 'refit=6', '--param', 'epochs=5'];
    const one = run(args, 1);
    const doc = JSON.parse(one) as { results: Record<string, { fits?: number }>; backend?: string };
    // Several fits, so two threads really split the work.
    expect(doc.results['nn-sma']!.fits).toBeGreaterThanOrEqual(10);
    expect(run(args, 2)).toBe(one);
    expect(run(args, 3)).toBe(one);
  }, 120_000);

  it('gives identical JSON for a wider network with early stopping on 1 and 2 threads, and for each trainer', () => {
    const args = [
      '--strategy',
      'nn-sma',
      '--from',
      '1985-01',
      '--to',
      '1999-12',
      '--test-start',
      '1996-01',
      '--param',
      'refit=12',
      '--param',
      'hidden=64,32',
      '--param',
      'epochs=8',
      '--param',
      'patience=2',
      '--param',
      'validation=0.2',
    ];
    expect(run(args, 2)).toBe(run(args, 1));
    for (const trainer of ['tfjs']) {
      const withTrainer = [...args, '--param', `trainer=${trainer}`];
      expect(run(withTrainer, 2)).toBe(run(withTrainer, 1));
    }
  }, 180_000);

  it('gives identical JSON for the composed forecast strategy with an nn model', () => {
    const args = [
      '--strategy',
      'forecast',
      '--param',
      'model=nn',
      '--param',
      'features=sma,momentum',
      '--from',
      '1985-01',
      '--to',
      '1999-12',
      '--test-start',
      '1995-01',
      '--param',
      'refit=12',
      '--param',
      'epochs=5',
    ];
    expect(run(args, 2)).toBe(run(args, 1));
  }, 120_000);

  it('gives identical compare JSON on 1 and 2 threads (the bootstraps on a worker thread), with seeds too', () => {
    const grid = ['compare', '--grid', 'nn-sma:hidden=4|8;epochs=3', '--strategies', 'sma', '--from', '1985-01', '--to', '1999-12', '--test-start', '1993-01', '--samples', '300'];
    const one = backtest([...grid, '--threads', '1', '--json', '--no-save'], { timeout: 60_000 });
    expect(one.code).toBe(0);
    const doc = JSON.parse(one.stdout) as { configurations: string[]; results: Record<string, { significance: { sharpeDiffCI: number[]; studentised: { pValue: number } } }> };
    expect(doc.configurations).toHaveLength(3);
    for (const c of doc.configurations) expect(doc.results[c]!.significance.sharpeDiffCI.every(Number.isFinite)).toBe(true);
    expect(backtest([...grid, '--threads', '2', '--json', '--no-save'], { timeout: 60_000 }).stdout).toBe(one.stdout);
    const seeds = [...grid, '--seeds', '3'];
    expect(backtest([...seeds, '--threads', '2', '--json', '--no-save'], { timeout: 60_000 }).stdout).toBe(
      backtest([...seeds, '--threads', '1', '--json', '--no-save'], { timeout: 60_000 }).stdout,
    );
  }, 120_000);

  it('reads BACKTEST_WORKER_MIN_WORK where it decides on workers, and rejects a bad value', () => {
    const r = backtest(['--strategy', 'nn-sma', '--from', '1990-01', '--to', '1999-12', '--param', 'epochs=1', '--threads', '2', '--json', '--no-save'], {
      env: { BACKTEST_WORKER_MIN_WORK: 'lots' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BACKTEST_WORKER_MIN_WORK must be a number >= 0, got "lots"/);
  });

  it('exits 2 with a clear message for a thread count that is not a positive integer', () => {
    const r = backtest(['--strategy', 'nn-sma', '--threads', '0', '--json', '--no-save']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/threads/);
  });
});
