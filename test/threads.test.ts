/**
 * --threads changes where network fits run, never the numbers: the JSON of --threads 1 (every
 * fit in the CLI's own thread) and --threads 2 and 3 (worker threads) must be byte for byte equal.
 * Small ranges and networks keep it to seconds; the CLI must also exit promptly (a worker left
 * running would hold the process open until the timeout).
 */
import { backtest } from './helpers';

function run(args: string[], threads: number): string {
  const r = backtest([...args, '--threads', String(threads), '--json', '--no-save'], { timeout: 60_000 });
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

  it('gives identical JSON for a wide network with early stopping (tfjs kernels) on 1 and 2 threads', () => {
    const args = ['--strategy', 'nn-sma', '--from', '1985-01', '--to', '1999-12', '--test-start', '1996-01', '--param', 'refit=12',
      '--param', 'hidden=64,32', '--param', 'epochs=8', '--param', 'patience=2', '--param', 'validation=0.2'];
    expect(run(args, 2)).toBe(run(args, 1));
  }, 120_000);

  it('gives identical JSON for the composed forecast strategy with an nn model', () => {
    const args = ['--strategy', 'forecast', '--param', 'model=nn', '--param', 'features=sma,momentum', '--from', '1985-01', '--to', '1999-12',
      '--test-start', '1995-01', '--param', 'refit=12', '--param', 'epochs=5'];
    expect(run(args, 2)).toBe(run(args, 1));
  }, 120_000);

  it('exits 2 with a clear message for a thread count that is not a positive integer', () => {
    const r = backtest(['--strategy', 'nn-sma', '--threads', '0', '--json', '--no-save']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/threads/);
  });
});
