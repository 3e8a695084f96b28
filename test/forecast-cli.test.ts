/** Forecast strategies through the real command: reproducibility, threads, predictions, data. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { backtest, itWithRealData, runsDir } from './helpers';

function json(args: string[]) {
  const r = backtest([...args, '--json', '--no-save']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('forecast strategies on the defaults', () => {
  it('ols-sma gives identical JSON twice and reports its forecasts', () => {
    const a = json(['--strategy', 'ols-sma']);
    expect(json(['--strategy', 'ols-sma'])).toBe(a);
    const doc = JSON.parse(a);
    expect(doc.period.start).toBe('1991-02');
    expect(doc.results['ols-sma'].fits).toBe(Math.ceil(doc.period.months / 12));
    expect(Object.keys(doc.results['ols-sma'].forecast).sort()).toEqual(['directionalAccuracy', 'mae', 'n', 'r2OutOfSample', 'rmse']);
    expect(doc.results['ols-sma'].forecast.n).toBe(doc.period.months);
    expect(doc.seed).toBe(42);
  });

  it('nn-sma gives identical JSON twice and with --threads 1 or 2, and records its backend', () => {
    const args = ['--strategy', 'nn-sma', '--from', '1980-01', '--to', '2005-12'];
    const a = json([...args, '--threads', '1']);
    expect(json([...args, '--threads', '1'])).toBe(a);
    expect(json([...args, '--threads', '2'])).toBe(a);
    const doc = JSON.parse(a);
    // The SIMD kernels train and predict: no TensorFlow.js backend.
    expect(doc.backend).toBe('none');
    expect(doc.trainer).toBe('simd');
    expect(doc.results['nn-sma'].fits).toBe(Math.ceil(doc.period.months / 12));
  });

  it('--predictions writes one row per forecast whose weight follows the forecast', () => {
    const file = path.join(runsDir, 'predictions.csv');
    json(['--strategy', 'ols-sma', '--to', '2020-12', '--predictions', file]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('month,feature_close,feature_sma,close,forecast,actual,weight');
    // Decisions 1991-01 .. 2020-12: the last one is the position to hold next, with no actual close yet.
    expect(lines.length - 1).toBe(360);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const close = Number(cells[3]);
      const forecast = Number(cells[4]);
      expect(Number(cells[6])).toBe(forecast > close ? 1 : 0);
    }
    expect(lines[lines.length - 2]!.startsWith('2020-11,')).toBe(true);
    const last = lines[lines.length - 1]!.split(',');
    expect(last[0]).toBe('2020-12');
    expect(last[5]).toBe('');
    expect(Number(last[6])).toBe(JSON.parse(backtest(['signal', '--strategy', 'ols-sma', '--to', '2020-12', '--json']).stdout).weight);
  });
});

describe('backtest data', () => {
  // The daily file's repairs: the embedded extract only repeats its warnings.
  itWithRealData('reports the repairs of a real file', () => {
    const r = backtest(['data', 'gold', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ dataset: 'gold', frequency: 'monthly', droppedRows: 84, first: '2000-08', layout: 'plain' });
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
