/**
 * `backtest study seed --json` against a second implementation of the article's data preparation
 * and regression, written here from the raw file: lines split by hand, each month's last close
 * (the daily file where a data directory has it, else the embedded month-end extract:
 * `monthEndRows` of ./helpers), the trailing z-scores of MISSION.md, and OLS by the normal
 * equations solved with Cramer's rule (statsmodels' definitions of coefficients, standard errors
 * and sqrt(SSR/(n-k))). Shares no code with the product.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backtest, monthEndRows } from './helpers';

interface Row {
  label: string;
  close: number;
  x: [number, number];
  yLeaky: number;
  yNoLeak: number;
}

function monthEndCloses(dataset: string, from: string, to: string): { labels: string[]; close: number[] } {
  const last = new Map<string, number>();
  for (const { date, close } of monthEndRows(dataset).rows) last.set(date.slice(0, 7), close);
  const labels = [...last.keys()].filter((m) => m >= from && m <= to).sort();
  return { labels, close: labels.map((m) => last.get(m)!) };
}

/** Mean and n-1 sd of values[t-9..t]; undefined if the window is incomplete or holds a NaN. */
function window10(values: number[], t: number): { m: number; s: number } | undefined {
  if (t < 9) return undefined;
  const w = values.slice(t - 9, t + 1);
  if (w.some((v) => !Number.isFinite(v))) return undefined;
  const m = w.reduce((a, b) => a + b, 0) / 10;
  return { m, s: Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / 9) };
}

function studyRows(labels: string[], close: number[]): Row[] {
  const n = close.length;
  const sma = close.map((_, t) => window10(close, t)?.m ?? NaN);
  const ret = close.map((c, t) => (t === 0 ? NaN : (c / close[t - 1]! - 1) * 100));
  const target = close.map((_, t) => (t + 1 < n ? close[t + 1]! : NaN));
  const rows: Row[] = [];
  for (let t = 0; t < n; t++) {
    const c = window10(close, t);
    const s = window10(sma, t);
    const r = window10(ret, t);
    const y = window10(target, t);
    if (!c || !s || !r || !y || !Number.isFinite(target[t]!) || !Number.isFinite(ret[t]!)) continue;
    rows.push({
      label: labels[t]!,
      close: close[t]!,
      x: [(close[t]! - c.m) / c.s, (sma[t]! - s.m) / s.s],
      yLeaky: (target[t]! - y.m) / y.s,
      yNoLeak: (target[t]! - c.m) / c.s,
    });
  }
  return rows;
}

const det3 = (a: number[][]) =>
  a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
  a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
  a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);

/** OLS with an intercept by X'X b = X'y and Cramer's rule; SEs from the adjugate of X'X. */
function ols(rows: Row[], y: (r: Row) => number) {
  const design = rows.map((r) => [1, r.x[0], r.x[1]]);
  const xtx = [0, 1, 2].map((i) => [0, 1, 2].map((j) => design.reduce((s, d) => s + d[i]! * d[j]!, 0)));
  const xty = [0, 1, 2].map((i) => design.reduce((s, d, k) => s + d[i]! * y(rows[k]!), 0));
  const d = det3(xtx);
  const beta = [0, 1, 2].map((c) => det3(xtx.map((row, i) => row.map((v, j) => (j === c ? xty[i]! : v)))) / d);
  const ssr = design.reduce((s, dd, k) => s + (y(rows[k]!) - (beta[0]! + beta[1]! * dd[1]! + beta[2]! * dd[2]!)) ** 2, 0);
  const n = rows.length;
  const sigma2 = ssr / (n - 3);
  // Diagonal of (X'X)^-1: cofactor (i,i) over the determinant.
  const minor = (i: number) => {
    const [p, q] = [0, 1, 2].filter((k) => k !== i) as [number, number];
    return xtx[p]![p]! * xtx[q]![q]! - xtx[p]![q]! * xtx[q]![p]!;
  };
  return { beta, ssr, n, residualRmse: Math.sqrt(sigma2), se: [0, 1, 2].map((i) => Math.sqrt((sigma2 * minor(i)) / d)) };
}

const rmseOf = (rows: Row[], beta: number[], y: (r: Row) => number) =>
  Math.sqrt(rows.reduce((s, r) => s + (y(r) - (beta[0]! + beta[1]! * r.x[0] + beta[2]! * r.x[1])) ** 2, 0) / rows.length);

const out = mkdtempSync(path.join(tmpdir(), 'study-seed-'));
const folder = path.join(out, 'seed');
// biome-ignore lint/suspicious/noExplicitAny: the study's JSON, read by path
let doc: any;
let stdout = '';

beforeAll(() => {
  const r = backtest(['study', 'seed', '--json', '--out', folder]);
  stdout = r.stdout;
  if (r.code !== 0) throw new Error(`backtest study seed failed (${r.code}): ${r.stderr}`);
  doc = JSON.parse(r.stdout);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

const { labels, close } = monthEndCloses('sp500', '1970-01', '2020-12');
const rows = studyRows(labels, close);
const train = rows.filter((r) => r.label <= '1991-12');
const valid = rows.filter((r) => r.label >= '1991-01' && r.label <= '2000-12');
const test_ = rows.filter((r) => r.label >= '2001-01');

describe('backtest study seed --json', () => {
  test('prints exactly one JSON document with the documented keys, and writes the folder', () => {
    expect(stdout.trim().startsWith('{')).toBe(true);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['rows', 'coefficients', 'rmse', 'leak', 'backend', 'seed']));
    expect(doc.seed).toBe(42);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(doc.backend);
    expect(doc.folder).toBe(folder);
    expect(existsSync(path.join(folder, 'study.html'))).toBe(true);
    expect(existsSync(`${folder}.partial`)).toBe(false);
  });

  test('runs the whole study, both early-stopped networks included (speed is measured by the benchmarks, not here)', () => {
    expect(doc.seconds.total).toBeGreaterThan(0);
  });

  test('row counts and the first row follow MISSION.md (first usable row 1971-07; 1991 in train and validation)', () => {
    expect(rows[0]!.label).toBe('1971-07');
    expect(doc.rows).toEqual({ train: train.length, valid: valid.length, test: test_.length, firstRow: '1971-07', lastRow: '2020-11' });
    expect(train.length + valid.length).toBe(rows.length - test_.length + 12);
  });

  test('regression coefficients, standard errors and RMSEs equal a normal-equations recomputation to 1e-9', () => {
    const fit = ols(train, (r) => r.yLeaky);
    const c = doc.coefficients.regression;
    expect(Math.abs(c.intercept - fit.beta[0]!)).toBeLessThan(1e-9);
    expect(Math.abs(c.close - fit.beta[1]!)).toBeLessThan(1e-9);
    expect(Math.abs(c.sma - fit.beta[2]!)).toBeLessThan(1e-9);
    const se = doc.coefficients.regressionStandardErrors;
    expect(Math.abs(se.intercept - fit.se[0]!)).toBeLessThan(1e-9);
    expect(Math.abs(se.close - fit.se[1]!)).toBeLessThan(1e-9);
    expect(Math.abs(se.sma - fit.se[2]!)).toBeLessThan(1e-9);
    expect(Math.abs(doc.rmse.regressionTrain - fit.residualRmse)).toBeLessThan(1e-9);
    expect(Math.abs(doc.rmse.regressionTrainPlain - Math.sqrt(fit.ssr / fit.n))).toBeLessThan(1e-9);
    expect(Math.abs(doc.rmse.regressionValid - rmseOf(valid, fit.beta, (r) => r.yLeaky))).toBeLessThan(1e-9);
  });

  test('the leak section: the no-leak regression (target scaled by close statistics at t) equals its recomputation', () => {
    const fit = ols(train, (r) => r.yNoLeak);
    const c = doc.leak.noLeak.coefficients;
    expect(Math.abs(c.intercept - fit.beta[0]!)).toBeLessThan(1e-9);
    expect(Math.abs(c.close - fit.beta[1]!)).toBeLessThan(1e-9);
    expect(Math.abs(c.sma - fit.beta[2]!)).toBeLessThan(1e-9);
    expect(Math.abs(doc.leak.noLeak.validRmse - rmseOf(valid, fit.beta, (r) => r.yNoLeak))).toBeLessThan(1e-9);
    expect(doc.leak.leaks).toBe(true);
    expect(doc.leak.note).toMatch(/leaks the future/);
  });

  test('curves have the article epochs: 20, 20, up to 100 with early stopping, 8, up to 100 with early stopping', () => {
    expect(doc.rmse.experiment1.train).toHaveLength(20);
    expect(doc.rmse.network.train).toHaveLength(20);
    expect(doc.rmse.network.valid).toHaveLength(20);
    expect(doc.rmse.neuron.train).toHaveLength(8);
    expect(doc.coefficients.neuronByEpoch).toHaveLength(8);
    for (const run of [doc.rmse.earlyStopping, doc.rmse.deep]) {
      expect(run.train).toHaveLength(run.stoppedAt);
      expect(run.stoppedAt).toBeLessThanOrEqual(100);
    }
  });

  test('the checkpoint on disk, evaluated here by hand, scores the restored validation RMSE', () => {
    const dir = path.join(folder, 'checkpoint');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string; shape: number[] }[];
    const bytes = readFileSync(path.join(dir, 'weights.bin'));
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const w: Record<string, Float32Array> = {};
    let at = 0;
    for (const m of manifest) {
      const size = m.shape.reduce((a, b) => a * b, 1);
      w[m.name] = floats.slice(at, at + size);
      at += size;
    }
    expect(at).toBe(floats.length);
    const k1 = w['dense_1/kernel']!; // 2 x 10, row-major
    const b1 = w['dense_1/bias']!;
    const k2 = w['dense_2/kernel']!; // 10 x 1
    const b2 = w['dense_2/bias']!;
    const predict = (x: [number, number]) => {
      let y = b2[0]!;
      for (let j = 0; j < 10; j++) y += Math.max(0, x[0] * k1[j]! + x[1] * k1[10 + j]! + b1[j]!) * k2[j]!;
      return y;
    };
    const rmse = Math.sqrt(valid.reduce((s, r) => s + (predict(r.x) - r.yLeaky) ** 2, 0) / valid.length);
    // float32 network arithmetic against float64 here.
    expect(Math.abs(rmse - doc.rmse.earlyStopping.restoredValid)).toBeLessThan(1e-5);
    expect(doc.rmse.earlyStopping.reloadedValid).toBe(doc.rmse.earlyStopping.restoredValid);
    expect(doc.rmse.earlyStopping.reloadedIdentical).toBe(true);
  });

  test('the conclusions say what the numbers say', () => {
    const last = doc.rmse.network.train.length - 1;
    expect(doc.conclusions.networkValidBelowTrain).toBe(doc.rmse.network.valid[last] < doc.rmse.network.train[last]);
    expect(doc.conclusions.regressionValidBelowTrain).toBe(doc.rmse.regressionValid < doc.rmse.regressionTrainPlain);
    const n = doc.coefficients.neuron;
    const r = doc.coefficients.regression;
    const maxDiff = Math.max(Math.abs(n.intercept - r.intercept), Math.abs(n.close - r.close), Math.abs(n.sma - r.sma));
    expect(doc.conclusions.neuronMaxAbsDifference).toBeCloseTo(maxDiff, 12);
  });
});

describe('backtest study', () => {
  test('an unknown study is a usage error (exit 2) that lists the available studies', () => {
    const r = backtest(['study', 'nope', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown study "nope": available studies: seed/);
    expect(r.stdout).toBe('');
  });

  test('an existing folder is refused before any work, with exit 2, and left as it was', () => {
    const r = backtest(['study', 'seed', '--out', folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(folder, 'study.json'), 'utf8')).folder).toBe(folder);
  });

  test('without --json it prints the tables, the conclusions, the leak note and the folder', () => {
    const dir = path.join(out, 'text');
    const r = backtest(['study', 'seed', '--out', dir, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/leaks the future/);
    expect(r.stdout).toMatch(/first usable row 1971-07/);
    expect(r.stdout).toMatch(/regression \(OLS\)/);
    expect(r.stdout).toMatch(/Conclusions \(computed from this run\)/);
    expect(r.stdout).toContain(`Study folder: ${dir}`);
    expect(r.stdout).toMatch(/backend cpu/);
  });
});
