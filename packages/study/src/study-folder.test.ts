import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimFolder } from '@backtest/report';
import { runStudy, type StudyResult } from './run-study';
import { defaultStudyDir, writeStudyFolder } from './study-folder';

let result: StudyResult;
let base: string;

beforeAll(async () => {
  result = await runStudy({ backend: 'cpu' });
  base = mkdtempSync(join(tmpdir(), 'study-folder-'));
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const readCsv = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('writeStudyFolder', () => {
  test('writes the page and the data behind every figure, and no .partial is left', () => {
    const dir = join(base, 'study');
    const written = writeStudyFolder(result, dir);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    for (const f of [
      'study.html',
      'study.json',
      'data.csv',
      'prices.csv',
      'experiment1.csv',
      'experiment2.csv',
      'experiment3.csv',
      'experiment4.csv',
      'experiment5.csv',
      'coefficients.csv',
      'leak.csv',
      'figures.json',
      'architectures.json',
      'checkpoint/model.json',
      'checkpoint/weights.bin',
    ]) {
      expect(written.files).toContain(f);
      expect(existsSync(join(dir, f))).toBe(true);
    }
    const exp2 = readCsv(join(dir, 'experiment2.csv'));
    expect(exp2[0]).toEqual(['epoch', 'train_rmse', 'valid_rmse']);
    expect(exp2.slice(1).map((r) => Number(r[1]))).toEqual(result.experiments.validation.train);
    expect(exp2.slice(1).map((r) => Number(r[2]))).toEqual(result.experiments.validation.valid);
    const data = readCsv(join(dir, 'data.csv'));
    expect(data).toHaveLength(result.prepared.rows.length + 1);
    expect(data[1]![0]).toBe('1971-07');
    const doc = JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'));
    expect(doc.folder).toBe(written.dir);
    expect(doc.leak.leaks).toBe(true);
    expect(readFileSync(join(dir, 'study.html'), 'utf8')).toContain('This study leaks the future.');
    // 2-10-1 has 2*10 + 10 + 10*1 + 1 = 41 float32 weights.
    expect(readFileSync(join(dir, 'checkpoint/weights.bin')).length).toBe(41 * 4);
  });

  test('refuses to replace a finished folder, and leaves a .partial it did not create alone', () => {
    const dir = join(base, 'again');
    mkdirSync(`${dir}.partial`);
    writeFileSync(join(`${dir}.partial`, 'stale.txt'), 'not ours');
    expect(() => writeStudyFolder(result, dir)).toThrow(`study folder ${dir}.partial already exists and is not this run's`);
    expect(readFileSync(join(`${dir}.partial`, 'stale.txt'), 'utf8')).toBe('not ours');
    expect(existsSync(dir)).toBe(false);
    rmSync(`${dir}.partial`, { recursive: true });
    writeStudyFolder(result, dir);
    expect(() => writeStudyFolder(result, dir)).toThrow(/already exists/);
  });

  test('a claim made before the study is published by writeStudyFolder, and a released one leaves nothing', () => {
    const dir = join(base, 'claimed');
    const claim = claimFolder(dir, { what: 'study folder' });
    expect(existsSync(`${dir}.partial`)).toBe(true);
    expect(() => writeStudyFolder(result, dir)).toThrow(/already exists and is not this run's/); // the name is reserved
    const written = writeStudyFolder(result, claim);
    expect(written.dir).toBe(dir);
    expect(JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8')).folder).toBe(dir);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    expect(existsSync(join(dir, '.backtest-partial'))).toBe(false);
    const other = join(base, 'released');
    claimFolder(other, { what: 'study folder' }).release();
    expect(readdirSync(base).filter((f) => f.startsWith('released'))).toEqual([]);
  });

  test('the default folder is runs/study-seed-<UTC timestamp>', () => {
    expect(defaultStudyDir(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(join('runs', 'study-seed-20260102-030405'));
  });
});

describe('runStudy', () => {
  test('validation data does not change training: experiment 1 and 2 training curves are the same numbers', () => {
    expect(result.experiments.network.train).toEqual(result.experiments.validation.train);
  });

  test('the conclusions agree with the numbers they are drawn from', () => {
    const { regression: reg, conclusions: c, experiments: e } = result;
    expect(c.regressionValidBelowTrain).toBe(reg.validRmse < reg.trainRmse);
    expect(c.networkValidBelowTrain).toBe(e.validation.valid!.at(-1)! < e.validation.train.at(-1)!);
    expect(c.neuronMinusRegression.close).toBeCloseTo(e.neuron.coefficients.close - reg.coefficients.close, 12);
    expect(c.neuronMaxAbsDifferenceByEpoch.at(-1)).toBeCloseTo(c.neuronMaxAbsDifference, 12);
  });

  test('early stopping: the restored epoch is the lowest validation loss and training stopped two epochs after it', () => {
    for (const run of [result.experiments.earlyStopping, result.experiments.deep]) {
      const best = run.valid.indexOf(Math.min(...run.valid)) + 1;
      expect(run.bestEpoch).toBe(best);
      if (run.stoppedEarly) expect(run.stoppedAt).toBe(best + 2);
      // The restored weights score what their epoch scored (float32 evaluation of the same weights).
      expect(run.restoredValidRmse).toBeCloseTo(run.valid[best - 1]!, 6);
    }
    expect(result.experiments.earlyStopping.checkpoint.identical).toBe(true);
  });

  test('a month that is not YYYY-MM is a user error', async () => {
    await expect(runStudy({ from: '1970' })).rejects.toThrow(/--from must be a month/);
  });
});
