/**
 * Every built-in model through the command, walk-forward on the default data: the sequence
 * networks give the same JSON on two runs and on one thread and two (workers build the model
 * from the module that binds it), ridge at alpha 0 is least squares, and a direction forecast's
 * quality in the JSON is what predictions.csv's probabilities give, recomputed here.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest, runsDir } from './helpers';

const onWorkers = { BACKTEST_WORKER_MIN_WORK: '0' };
const SHORT = ['--from', '1988-01', '--to', '2002-12', '--test-start', '1995-01'];

function json(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = backtest([...args, '--json', '--no-save'], { timeout: 120_000, env });
  if (r.code !== 0) throw new Error(`backtest ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe.each([
  ['lstm', ['--param', 'units=4']],
  ['gru', ['--param', 'units=4']],
  ['conv1d', ['--param', 'units=4', '--param', 'kernelSize=3']],
])('forecast --param model=%s', (model, extra) => {
  const args = ['--strategy', 'forecast', '--param', `model=${model}`, ...extra, '--param', 'lookback=6', '--param', 'epochs=3', '--param', 'refit=12', ...SHORT];
  it('gives the same JSON twice and on 1 and 2 threads', () => {
    const one = json([...args, '--threads', '1']);
    expect(json([...args, '--threads', '1'])).toBe(one);
    expect(json([...args, '--threads', '2'], onWorkers)).toBe(one);
    const doc = JSON.parse(one) as { params: Record<string, unknown>; trainer: string; results: { forecast: { fits: number; forecast: { n: number } } } };
    expect(doc.params).toMatchObject({ model, lookback: 6, epochs: 3 });
    // An LSTM or a GRU learning a price trains on the SIMD kernels; the convolution on TensorFlow.js.
    expect(doc.trainer).toBe(model === 'conv1d' ? 'tfjs' : 'simd');
    expect(doc.results.forecast.fits).toBe(8);
    expect(doc.results.forecast.forecast.n).toBeGreaterThan(90);
  }, 180_000);
});

it('ridge at alpha 0 is least squares (ols), to rounding', () => {
  type Doc = { results: { forecast: { sharpe: number; forecast: { rmse: number } } } };
  const ridge = JSON.parse(json(['--strategy', 'forecast', '--param', 'model=ridge', '--param', 'alpha=0'])) as Doc;
  const ols = JSON.parse(json(['--strategy', 'forecast', '--param', 'model=ols'])) as Doc;
  expect(ridge.results.forecast.sharpe).toBeCloseTo(ols.results.forecast.sharpe, 9);
  expect(ridge.results.forecast.forecast.rmse).toBeCloseTo(ols.results.forecast.forecast.rmse, 9);
  const shrunk = JSON.parse(json(['--strategy', 'forecast', '--param', 'model=ridge', '--param', 'alpha=1000'])) as Doc;
  expect(shrunk.results.forecast.forecast.rmse).not.toBeCloseTo(ols.results.forecast.forecast.rmse, 6);
}, 60_000);

describe.each(['ols', 'nn'])('a direction forecast by %s', (model) => {
  it('scores the probabilities of predictions.csv: accuracy, log loss, Brier and AUC, recomputed by hand', () => {
    const out = path.join(runsDir, `direction-${model}`);
    const r = backtest(['--strategy', 'forecast', '--param', `model=${model}`, '--param', 'target=direction', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { params: { threshold: number }; results: { forecast: { forecast: Record<string, number> } } };
    expect(doc.params.threshold).toBe(0.5);
    const f = doc.results.forecast.forecast;
    expect(f.target).toBe('direction');
    const [header, ...lines] = readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const at = (name: string) => cols.indexOf(name);
    expect(at('forecast')).toBe(-1);
    const rows = lines.map((l) => l.split(',')).filter((c) => c[at('actual_next_close')] !== '');
    const p = rows.map((c) => Number(c[at('probability_up')]));
    const y = rows.map((c) => (Number(c[at('actual_next_close')]) > Number(c[at('close')]) ? 1 : 0));
    expect(f.n).toBe(rows.length);
    for (const v of p) expect(v > 0 && v < 1).toBe(true);
    // The weight is 1 exactly when the probability beats 0.5.
    rows.forEach((c, i) => expect(Number(c[at('weight')])).toBe(p[i]! > 0.5 ? 1 : 0));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(f.accuracy).toBeCloseTo(mean(p.map((v, i) => ((v > 0.5 ? 1 : 0) === y[i] ? 1 : 0))), 12);
    expect(f.brier).toBeCloseTo(mean(p.map((v, i) => (v - y[i]!) ** 2)), 12);
    expect(f.logLoss).toBeCloseTo(mean(p.map((v, i) => -(y[i]! * Math.log(v) + (1 - y[i]!) * Math.log(1 - v)))), 12);
    // AUC: the share of (up, down) pairs the probabilities order correctly, ties counting half.
    let pairs = 0;
    let right = 0;
    p.forEach((a, i) =>
      p.forEach((b, j) => {
        if (y[i] === 1 && y[j] === 0) {
          pairs++;
          right += a > b ? 1 : a === b ? 0.5 : 0;
        }
      }),
    );
    expect(f.auc).toBeCloseTo(right / pairs, 12);
    expect(f.baseRate).toBeCloseTo(mean(y), 12);
  }, 120_000);
});
