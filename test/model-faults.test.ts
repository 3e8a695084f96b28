/**
 * A network's settings that cannot work reach the user as their own error, not as an internal
 * one: exit code 2, a message that names the parameter and what would fix it, no JavaScript
 * error text, and no run folder. The same whether the fits ran in the CLI's thread or on worker
 * threads, and with every trainer.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

/** What an internal error would show: an exception's name or text, a stack frame, the NaN the metrics used to meet. */
const INTERNAL = /TypeError|RangeError|ReferenceError|Invalid typed array|Array buffer allocation|out of memory|\n\s+at |predicted\[\d+\]|is NaN;|worker thread|\bError:/;

const onWorkers = { BACKTEST_WORKER_MIN_WORK: '0' };

/** Runs into a fresh runs directory (and an --out folder) and checks that nothing was written. */
function refused(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const runs = mkdtempSync(path.join(tmpdir(), 'bt-faults-'));
  const out = path.join(runs, 'explicit-out');
  const r = backtest([...args, ...(args[0] === 'signal' ? [] : ['--out', out])], { env: { BACKTEST_RUNS_DIR: runs, ...env }, timeout: 120_000 });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(INTERNAL);
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(runs)).toEqual([]);
  return r.stderr;
}

const diverged = (strategy: string, rate: string) =>
  new RegExp(
    `^backtest: strategy "${strategy}": fit \\d+ \\(refit at \\d{4}-\\d{2}\\) diverged at epoch \\d+ \\(training loss [^)]+\\): lower learningRate \\(now ${rate.replace('.', '\\.')}\\)\\n$`,
  );

describe('a learning rate that makes training diverge', () => {
  it('SGD at 1.5 stops at the first fit that diverged, naming the fit, its refit month, the epoch and learningRate', () => {
    expect(refused(['--strategy', 'nn-sma', '--param', 'learningRate=1.5'])).toBe(
      'backtest: strategy "nn-sma": fit 0 (refit at 1991-01) diverged at epoch 1 (training loss NaN): lower learningRate (now 1.5)\n',
    );
  });

  it('is the same error when the fits run on worker threads', () => {
    const inProcess = refused(['--strategy', 'nn-sma', '--param', 'learningRate=1.5', '--threads', '1']);
    expect(refused(['--strategy', 'nn-sma', '--param', 'learningRate=1.5', '--threads', '2'], onWorkers)).toBe(inProcess);
  });

  it.each(['simd', 'tfjs'])('is detected by the %s trainer, in this thread and on workers', (trainer) => {
    const args = ['--strategy', 'nn-sma', '--param', 'learningRate=1.5', '--param', `trainer=${trainer}`];
    const here = refused(args);
    expect(here).toMatch(diverged('nn-sma', '1.5'));
    expect(refused([...args, '--threads', '2'], onWorkers)).toBe(here);
  });

  it('Adam at 100, whose loss stays finite but a billion times too big', () => {
    expect(refused(['--strategy', 'nn-sma', '--param', 'optimizer=adam', '--param', 'learningRate=100'])).toMatch(diverged('nn-sma', '100'));
  });

  it('in the composed forecast strategy with a network, and in a refit walk read by signal', () => {
    expect(refused(['--strategy', 'forecast', '--param', 'model=nn', '--param', 'features=sma,momentum', '--param', 'learningRate=1.5'])).toMatch(diverged('forecast', '1.5'));
    expect(refused(['signal', '--strategy', 'nn-sma', '--param', 'learningRate=1.5'])).toMatch(diverged('nn-sma', '1.5'));
  });
});

describe('a network too big for memory', () => {
  const tooBig =
    /^backtest: strategy "nn-sma": parameter "hidden" \(100000,100000\): a 2-100000-100000-1 network has 10,000,500,001 weights: a fit would need about [\d.]+ [GT]B \(weights, gradients, optimizer state and a batch's activations\), more than the 1 GB a fit may use; use fewer or smaller hidden layers\n$/;

  it('is refused before any fit, naming hidden and the number of weights', () => {
    expect(refused(['--strategy', 'nn-sma', '--param', 'hidden=100000,100000'])).toMatch(tooBig);
  });

  it('is refused the same way when the fits would run on worker threads', () => {
    expect(refused(['--strategy', 'nn-sma', '--param', 'hidden=100000,100000', '--threads', '2'], onWorkers)).toMatch(tooBig);
  });

  it('in the composed forecast strategy too', () => {
    expect(refused(['--strategy', 'forecast', '--param', 'model=nn', '--param', 'hidden=50000,50000'])).toMatch(
      /^backtest: strategy "forecast": parameter "hidden" \(50000,50000\): .* network has 2,500,\d{3},\d{3} weights/,
    );
  });
});

describe('network parameters out of range are refused by name', () => {
  it.each([
    ['hidden=', 'parameter "hidden" of strategy "nn-sma" must be a comma-separated list of integers >= 1 (at least one), got ""'],
    ['hidden=10,0', 'parameter "hidden" of strategy "nn-sma" must be a comma-separated list of integers >= 1 (at least one), got "10,0"'],
    ['epochs=0', 'parameter "epochs" of strategy "nn-sma" must be an integer between 1 and 10000, got "0"'],
    ['batchSize=0', 'parameter "batchSize" of strategy "nn-sma" must be an integer >= 1, got "0"'],
    ['validation=1', 'parameter "validation" of strategy "nn-sma" must be a number between 0 and 0.5, got "1"'],
    ['patience=-1', 'parameter "patience" of strategy "nn-sma" must be an integer >= 0, got "-1"'],
    ['learningRate=-0.1', 'parameter "learningRate" of strategy "nn-sma" must be a number >= 0, got "-0.1"'],
  ])('%s', (param, message) => {
    expect(refused(['--strategy', 'nn-sma', '--param', param])).toBe(`backtest: ${message}\n`);
  });
});

describe('healthy settings', () => {
  it("still run: a high but workable learning rate, and the study's deep network with Adam", () => {
    for (const params of [['learningRate=0.1'], ['hidden=300,100', 'optimizer=adam', 'epochs=5', 'refit=60']]) {
      const r = backtest(['--strategy', 'nn-sma', ...params.flatMap((p) => ['--param', p]), '--no-save', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).results['nn-sma'].fits).toBeGreaterThan(5);
    }
  });
});
