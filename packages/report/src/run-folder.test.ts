import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureRecord } from './__fixtures__/record';
import { buildReport } from './html/report';
import { defaultRunDir, readRunFolder, rebuildReport, writeRunFolder } from './run-folder';
import type { RunRecord } from './run-record';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'run-folder-'))));
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const arr = (v: ArrayLike<number>) => Array.from(v);

function expectSameRecord(back: RunRecord, rec: RunRecord) {
  expect(back.prices.labels).toEqual(rec.prices.labels);
  expect(arr(back.prices.close)).toEqual(arr(rec.prices.close));
  for (const k of ['assetReturns', 'cashReturns', 'weights', 'strategyReturns', 'benchmarkReturns'] as const) {
    expect(arr(back.periods[k])).toEqual(arr(rec.periods[k]));
  }
  expect(back.periods.labels).toEqual(rec.periods.labels);
  expect(back.forecasts).toEqual(rec.forecasts);
  expect(back.training).toEqual(rec.training);
  expect(back.config).toEqual(rec.config);
  expect(back.data).toEqual(rec.data);
  expect(back.version).toBe(rec.version);
  expect(back.createdAt).toBe(rec.createdAt);
  // NaN metrics are stored as null (JSON has no NaN); everything else exactly.
  expect(back.summary).toEqual(JSON.parse(JSON.stringify(rec.summary)));
}

describe('writeRunFolder / readRunFolder', () => {
  it('writes the files of a rule strategy and reads back the same record and the same report bytes', () => {
    const rec = fixtureRecord();
    const dir = path.join(tmp, 'run');
    const out = writeRunFolder(rec, dir);
    expect(out).toEqual({ dir, files: ['summary.json', 'returns.csv', 'positions.csv', 'report.html'] });
    expect(fs.readdirSync(dir).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
    const back = readRunFolder(dir);
    expectSameRecord(back, rec);
    expect(buildReport(back)).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
  });

  it('writes predictions.csv and training.csv for a forecast strategy, and they round-trip', () => {
    const rec = fixtureRecord({ forecast: true, fits: 4, epochs: 5 });
    const dir = path.join(tmp, 'fc');
    expect(writeRunFolder(rec, dir).files).toEqual(['summary.json', 'returns.csv', 'positions.csv', 'predictions.csv', 'training.csv', 'report.html']);
    expectSameRecord(readRunFolder(dir), rec);
    const pred = fs.readFileSync(path.join(dir, 'predictions.csv'), 'utf8').split('\n');
    expect(pred[0]).toBe('month,feature_close,feature_sma,close,forecast,actual_next_close,weight,fit');
    // The first forecast is made at row 3; its actual is row 4's close and its weight the one held over row 4.
    const cells = pred[1]!.split(',');
    expect(cells[0]).toBe(rec.prices.labels[3]);
    expect(Number(cells[5])).toBe(rec.prices.close[4]);
    expect(Number(cells[6])).toBe(rec.periods.weights[0]);
    expect(fs.readFileSync(path.join(dir, 'training.csv'), 'utf8').split('\n')[0]).toBe('fit,epoch,loss,val_loss');
  });

  it('returns.csv carries equity and drawdown from a start of 1, positions.csv every row of the range', () => {
    const rec = fixtureRecord();
    const dir = path.join(tmp, 'r');
    writeRunFolder(rec, dir);
    const lines = fs.readFileSync(path.join(dir, 'returns.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'month,asset_return,cash_return,strategy_return,buy_and_hold_return,strategy_equity,buy_and_hold_equity,strategy_drawdown,buy_and_hold_drawdown',
    );
    expect(lines).toHaveLength(rec.periods.labels.length + 1);
    const first = lines[1]!.split(',').map(Number);
    expect(first[5]).toBeCloseTo(1 + rec.periods.strategyReturns[0]!, 15);
    let eq = 1;
    let peak = 1;
    let dd = 0;
    for (let k = 0; k < rec.periods.labels.length; k++) {
      eq *= 1 + rec.periods.strategyReturns[k]!;
      peak = Math.max(peak, eq);
      dd = eq / peak - 1;
    }
    const last = lines[lines.length - 1]!.split(',').map(Number);
    expect(last[5]).toBeCloseTo(eq, 12);
    expect(last[7]).toBeCloseTo(dd, 12);
    const pos = fs.readFileSync(path.join(dir, 'positions.csv'), 'utf8').trim().split('\n');
    expect(pos).toHaveLength(rec.prices.labels.length + 1);
    expect(pos[1]).toBe(`${rec.prices.labels[0]},${rec.prices.close[0]},`); // warm-up row: no weight yet
  });

  it('writes each saved model under models/fit-NNN/ and an index of the fits, inside the one atomic folder', () => {
    const plain = fixtureRecord({ forecast: true, fits: 2, epochs: 3 });
    const models = [
      { fit: 0, decision: '1990-04', trainFrom: '1990-01', trainTo: '1990-03', rows: 3 },
      { fit: 1, decision: '1990-08', trainFrom: '1990-01', trainTo: '1990-07', rows: 7 },
    ];
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    const savedModels = [
      { fit: 0, kind: 'nn', files: { 'weights.bin': bytes, 'model.json': '{"a":0}\n' } },
      { fit: 1, kind: 'nn', files: { 'weights.bin': bytes, 'model.json': '{"a":1}\n' } },
    ];
    const rec: RunRecord = { ...plain, models, savedModels };
    const dir = path.join(tmp, 'models');
    // The one writer: models go into <dir>.partial with everything else, and one rename publishes it all.
    const fsModule = require('node:fs') as typeof fs;
    const real = fsModule.renameSync;
    const renames: string[] = [];
    jest.spyOn(fsModule, 'renameSync').mockImplementation((a, b) => {
      renames.push(String(b));
      real(a, b);
    });
    const out = writeRunFolder(rec, dir);
    expect(out.files).toEqual([
      'summary.json', 'returns.csv', 'positions.csv', 'predictions.csv', 'training.csv',
      'models/fit-000/weights.bin', 'models/fit-000/model.json', 'models/fit-001/weights.bin', 'models/fit-001/model.json', 'models/index.json',
      'report.html',
    ]);
    expect(renames.filter((r) => !r.startsWith(dir + '.partial'))).toEqual([dir]);
    expect(fs.readFileSync(path.join(dir, 'models/fit-001/model.json'), 'utf8')).toBe('{"a":1}\n');
    expect(Array.from(fs.readFileSync(path.join(dir, 'models/fit-000/weights.bin')))).toEqual([0, 1, 2, 255]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'models/index.json'), 'utf8'))).toEqual({
      format: 'backtest-models',
      version: 1,
      strategy: rec.summary.strategy,
      fits: models.map((m, i) => ({ ...m, kind: 'nn', dir: `fit-00${i}`, files: ['weights.bin', 'model.json'] })),
    });
    // The folder gives back the fit records (the models stay files); the report does not change.
    const back = readRunFolder(dir);
    expect(back.models).toEqual(models);
    expect(back.savedModels).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(buildReport(plain));
    // Without saved models there is no models/ folder, even when the fits are known.
    const other = path.join(tmp, 'no-models');
    expect(writeRunFolder({ ...plain, models }, other).files).not.toContain('models/index.json');
    expect(fs.existsSync(path.join(other, 'models'))).toBe(false);
  });

  it('rebuildReport rewrites report.html from the folder alone, identically', () => {
    const dir = path.join(tmp, 'rb');
    writeRunFolder(fixtureRecord({ forecast: true }), dir);
    const before = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    fs.writeFileSync(path.join(dir, 'report.html'), 'stale');
    expect(rebuildReport(dir)).toBe(path.join(dir, 'report.html'));
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(before);
  });
});

describe('atomic run folders', () => {
  it('an interrupted write leaves no folder under the final name, and no stray files', () => {
    const dir = path.join(tmp, 'crash');
    // The module object itself (the `import * as` namespace above has read-only bindings).
    const fsModule = require('node:fs') as typeof fs;
    const real = fsModule.renameSync;
    let calls = 0;
    jest.spyOn(fsModule, 'renameSync').mockImplementation((a, b) => {
      if (++calls === 3) throw new Error('disk full (simulated)');
      real(a, b);
    });
    expect(() => writeRunFolder(fixtureRecord(), dir)).toThrow('disk full (simulated)');
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('a folder named .partial (a killed run) is never read as complete, and the next write replaces it', () => {
    const dir = path.join(tmp, 'killed');
    writeRunFolder(fixtureRecord(), dir);
    fs.renameSync(dir, dir + '.partial'); // what a run killed before its final rename leaves
    expect(() => readRunFolder(dir + '.partial')).toThrow('incomplete run folder');
    expect(() => readRunFolder(dir)).toThrow(`only ${dir}.partial, an interrupted run, exists`);
    writeRunFolder(fixtureRecord(), dir);
    expect(fs.readdirSync(tmp)).toEqual(['killed']);
    expect(readRunFolder(dir).summary.strategy).toBe('sma');
  });

  it('refuses a folder without summary.json, and never writes over an existing folder', () => {
    const dir = path.join(tmp, 'other');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'returns.csv'), 'month\n');
    expect(() => readRunFolder(dir)).toThrow('is not a run folder: it has no summary.json');
    expect(() => writeRunFolder(fixtureRecord(), dir)).toThrow('already exists');
    expect(fs.readdirSync(dir)).toEqual(['returns.csv']);
    expect(() => writeRunFolder(fixtureRecord(), path.join(tmp, 'x.partial'))).toThrow('must not end with .partial');
  });

  it('refuses a summary.json that is not a run summary, naming the file', () => {
    const dir = path.join(tmp, 'bad');
    writeRunFolder(fixtureRecord(), dir);
    fs.writeFileSync(path.join(dir, 'summary.json'), '{"strategy": "sma"}');
    expect(() => readRunFolder(dir)).toThrow(`${path.join(dir, 'summary.json')}: no "frequency"`);
  });
});

describe('defaultRunDir', () => {
  it('is runs/<UTC YYYYMMDD-HHMMSS>-<strategy>', () => {
    expect(defaultRunDir('nn-sma', new Date('2026-03-04T05:06:07.890Z'))).toBe(path.join('runs', '20260304-050607-nn-sma'));
    expect(defaultRunDir('sma', new Date('2026-12-31T23:59:59Z'), '/out')).toBe('/out/20261231-235959-sma');
  });
});
