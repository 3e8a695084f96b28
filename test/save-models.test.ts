/**
 * `backtest --save-models`: every walk-forward fit's model in the run folder (models/fit-NNN/,
 * models/index.json), each loadable with `loadModel` and, loaded, giving the very forecasts
 * predictions.csv recorded for the decisions it served. Saving changes no number of the run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fitSeed } from '@backtest/forecast';
import { trailingMeanSd } from '@backtest/metrics';
import { initBackend, loadModel } from '@backtest/models';
import { backtest, runsDir } from './helpers';

interface IndexEntry {
  fit: number;
  decision: string;
  trainFrom: string;
  trainTo: string;
  rows: number;
  kind: string;
  dir: string;
  files: string[];
}

function csv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  return { header: head!.split(','), rows: lines.map((l) => l.split(',')) };
}

/** Runs the CLI with --json into a fresh folder; returns the folder and the printed document. */
function run(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = path.join(runsDir, name);
  const r = backtest([...args, '--json', '--out', dir], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { dir, doc: JSON.parse(r.stdout) as { strategy: string; backend?: string; results: Record<string, { fits?: number }>; warnings: string[] } };
}

/**
 * Loads each fit's model and predicts the scaled features of every decision it served (read
 * from predictions.csv); turns the prediction back into a price with the decision row's scaling
 * (close's trailing 10-row mean and sample deviation, from positions.csv), as the strategy does;
 * returns the largest difference from the recorded forecast in scaled units (price difference /
 * deviation), how many decisions were checked and how many gave the recorded forecast exactly.
 */
function replay(dir: string): { worst: number; checked: number; exact: number; fits: number } {
  const index = JSON.parse(readFileSync(path.join(dir, 'models/index.json'), 'utf8')) as { fits: IndexEntry[] };
  const positions = csv(path.join(dir, 'positions.csv'));
  const closes = Float64Array.from(positions.rows, (r) => Number(r[1]));
  const rowOf = new Map(positions.rows.map((r, i) => [r[0]!, i]));
  const { mean, sd } = trailingMeanSd(closes, 10);
  const pred = csv(path.join(dir, 'predictions.csv'));
  const featureCols = pred.header.flatMap((h, i) => (h.startsWith('feature_') ? [i] : []));
  const col = (name: string) => pred.header.indexOf(name);
  let worst = 0;
  let checked = 0;
  let exact = 0;
  const byFit = new Map<number, string[][]>();
  for (const r of pred.rows) byFit.set(Number(r[col('fit')]), [...(byFit.get(Number(r[col('fit')])) ?? []), r]);
  for (const entry of index.fits) {
    const model = loadModel(path.join(dir, 'models', entry.dir));
    expect(model.kind).toBe(entry.kind);
    const served = byFit.get(entry.fit) ?? [];
    expect(served.length).toBeGreaterThan(0);
    // The first decision a fit serves is its refit decision.
    expect(served[0]![0]).toBe(entry.decision);
    for (const r of served) {
      const t = rowOf.get(r[0]!)!;
      const x = Float64Array.from(featureCols, (c) => Number(r[c]));
      const p = model.predict({ rows: 1, cols: x.length, data: x })[0]!;
      const forecast = p * sd[t]! + mean[t]!;
      const recorded = Number(r[col('forecast')]);
      worst = Math.max(worst, Math.abs(forecast - recorded) / sd[t]!);
      if (forecast === recorded) exact++;
      checked++;
    }
    model.dispose();
  }
  return { worst, checked, exact, fits: index.fits.length };
}

describe('backtest --save-models', () => {
  it('ols-sma: one ols.json per fit; loaded, each gives its recorded forecasts; no number changes', () => {
    const plain = run('ols-plain', ['--strategy', 'ols-sma', '--to', '2020-12']);
    const saved = run('ols-saved', ['--strategy', 'ols-sma', '--to', '2020-12', '--save-models']);
    expect(saved.doc).toEqual(plain.doc);
    for (const f of ['predictions.csv', 'returns.csv', 'positions.csv']) {
      expect(readFileSync(path.join(saved.dir, f), 'utf8')).toBe(readFileSync(path.join(plain.dir, f), 'utf8'));
    }
    expect(existsSync(path.join(plain.dir, 'models'))).toBe(false);

    const fits = saved.doc.results['ols-sma']!.fits!;
    expect(fits).toBe(30);
    expect(readdirSync(path.join(saved.dir, 'models')).sort()).toEqual([...Array.from({ length: fits }, (_, i) => `fit-${String(i).padStart(3, '0')}`), 'index.json']);
    expect(readdirSync(path.join(saved.dir, 'models/fit-000'))).toEqual(['ols.json']);
    const index = JSON.parse(readFileSync(path.join(saved.dir, 'models/index.json'), 'utf8')) as { format: string; strategy: string; fits: IndexEntry[] };
    expect(index).toMatchObject({ format: 'backtest-models', strategy: 'ols-sma' });
    // Fit 0 decides in 1991-01 and trains on every row with features and a known target:
    // from the first complete row (19 rows of warm-up: the SMA's 10 and its own 10-row z-score)
    // up to 1990-12, whose target is 1991-01's close. Refits are 12 decisions apart.
    const labels = csv(path.join(saved.dir, 'positions.csv')).rows.map((r) => r[0]!);
    expect(index.fits[0]).toEqual({
      fit: 0,
      decision: '1991-01',
      trainFrom: labels[18],
      trainTo: '1990-12',
      rows: labels.indexOf('1990-12') - 18 + 1,
      kind: 'ols',
      dir: 'fit-000',
      files: ['ols.json'],
    });
    expect(index.fits[29]).toMatchObject({ fit: 29, decision: '2020-01', trainFrom: labels[18], trainTo: '2019-12', rows: index.fits[0]!.rows + 29 * 12 });

    // Least squares in double precision, read back exactly: the very same forecasts, to the bit
    // (decisions 1991-01..2020-12, the last one the position to hold next).
    expect(replay(saved.dir)).toEqual({ worst: 0, checked: 360, exact: 360, fits: 30 });
  });

  it('nn-sma: model.json + weights.bin per fit (TensorFlow.js layers format); loaded, each gives its forecasts to float32 rounding', async () => {
    const args = ['--strategy', 'nn-sma', '--from', '1980-01', '--to', '2005-12'];
    const plain = run('nn-plain', args);
    const saved = run('nn-saved', [...args, '--save-models']);
    expect(saved.doc).toEqual(plain.doc);
    expect(readFileSync(path.join(saved.dir, 'predictions.csv'), 'utf8')).toBe(readFileSync(path.join(plain.dir, 'predictions.csv'), 'utf8'));
    expect(readdirSync(path.join(saved.dir, 'models/fit-000')).sort()).toEqual(['model.json', 'weights.bin']);
    const meta = JSON.parse(readFileSync(path.join(saved.dir, 'models/fit-003/model.json'), 'utf8'));
    expect(meta.format).toBe('layers-model');
    expect(meta.userDefinedMetadata.backtest).toMatchObject({ format: 'backtest-nn', seed: fitSeed(42, 3) });
    // Predict on the backend that made the forecasts (the differences left are float32 rounding).
    // ('none': the SIMD kernels made them, and a loaded network predicts with them too.)
    if (saved.doc.backend !== 'none') await initBackend((saved.doc.backend ?? 'cpu') as 'cpu');
    const r = replay(saved.dir);
    expect(r.fits).toBe(saved.doc.results['nn-sma']!.fits);
    expect(r.checked).toBeGreaterThan(100);
    expect(r.worst).toBeLessThan(1e-6);
  });

  it('nn-sma on worker threads saves the very models of a run in this thread', () => {
    const args = ['--strategy', 'nn-sma', '--from', '1985-01', '--to', '1999-12', '--test-start', '1993-01', '--param', 'refit=6', '--param', 'epochs=5', '--save-models'];
    const one = run('nn-t1', [...args, '--threads', '1'], { BACKTEST_WORKER_MIN_WORK: '0' });
    const two = run('nn-t2', [...args, '--threads', '2'], { BACKTEST_WORKER_MIN_WORK: '0' });
    expect(two.doc).toEqual(one.doc);
    const fits = one.doc.results['nn-sma']!.fits!;
    expect(fits).toBeGreaterThanOrEqual(10);
    for (let k = 0; k < fits; k++) {
      const d = `models/fit-${String(k).padStart(3, '0')}`;
      for (const f of ['weights.bin', 'model.json']) expect(readFileSync(path.join(two.dir, d, f)).equals(readFileSync(path.join(one.dir, d, f)))).toBe(true);
    }
    expect(readFileSync(path.join(two.dir, 'models/index.json'), 'utf8')).toBe(readFileSync(path.join(one.dir, 'models/index.json'), 'utf8'));
  });

  it('forecast model=nn on three features saves its networks too', async () => {
    const saved = run('fc-nn', ['--strategy', 'forecast', '--param', 'model=nn', '--param', 'features=sma,rsi', '--from', '1980-01', '--to', '2000-12', '--save-models']);
    // ('none': the SIMD kernels made them, and a loaded network predicts with them too.)
    if (saved.doc.backend !== 'none') await initBackend((saved.doc.backend ?? 'cpu') as 'cpu');
    const r = replay(saved.dir);
    expect(r.fits).toBe(saved.doc.results.forecast!.fits);
    expect(r.worst).toBeLessThan(1e-6);
  });

  it('a strategy without models gets a warning and a folder without models/', () => {
    const { dir, doc } = run('sma-saved', ['--strategy', 'sma', '--save-models']);
    expect(doc.warnings).toContain('--save-models: strategy "sma" kept no trained models, so the run folder has no models/ folder');
    expect(existsSync(path.join(dir, 'models'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')).warnings).toEqual(doc.warnings);
  });

  it('--save-models with --no-save is a usage error', () => {
    const r = backtest(['--strategy', 'nn-sma', '--save-models', '--no-save']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('backtest: --save-models writes the models into the run folder, which --no-save does not write: drop one of the two\n');
  });
});
