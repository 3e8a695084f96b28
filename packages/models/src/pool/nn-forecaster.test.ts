import { type FitJob, fitWork, weightCount } from './fit-job';
import { threadsFor, WORKER_MIN_WORK } from './nn-forecaster';

const rows = (n: number) => ({ rows: n, cols: 2, data: new Float64Array(2 * n) });
const small = { inputSize: 2, layers: [{ units: 10 }, { units: 1 }] };
const deep = { inputSize: 2, layers: [{ units: 300 }, { units: 100 }, { units: 1 }] };

describe('weightCount and fitWork', () => {
  it('counts kernels and biases of a dense stack', () => {
    // 2-10-1: 2*10 + 10 + 10*1 + 1 = 41; 2-300-100-1: 900 + 30100 + 101 = 31101.
    expect(weightCount(small)).toBe(41);
    expect(weightCount(deep)).toBe(31101);
  });

  it('is weights x (training + validation rows) x epochs', () => {
    const job: FitJob = { network: small, x: rows(100), y: new Float64Array(100), validation: { x: rows(20), y: new Float64Array(20) }, options: { epochs: 5 }, seed: 1, predict: rows(0) };
    expect(fitWork(job)).toBe(41 * 120 * 5);
    expect(fitWork({ ...job, options: {} })).toBe(41 * 120);
  });

  it('keeps the monthly refit walk of the small network in-process and puts the deep walk on workers', () => {
    // Upper bound of the refit=1 walk, 1991-2020: 359 fits of at most 600 rows, 20 epochs.
    expect(359 * 600 * 20 * weightCount(small)).toBeLessThan(WORKER_MIN_WORK);
    // Lower bound of the deep walk: 30 fits of at least 240 rows, 100 epochs.
    expect(30 * 240 * 100 * weightCount(deep)).toBeGreaterThan(WORKER_MIN_WORK);
  });

  it('threadsFor keeps small work in-process unless BACKTEST_WORKER_MIN_WORK lowers the bar', () => {
    const job: FitJob = { network: small, x: rows(300), y: new Float64Array(300), options: { epochs: 20 }, seed: 1, predict: rows(0) };
    const jobs = [job, job, job];
    expect(threadsFor(jobs, 2, {})).toBe(1);
    expect(threadsFor(jobs, 2, { BACKTEST_WORKER_MIN_WORK: '0' })).toBe(2);
    expect(threadsFor(jobs, 2, { BACKTEST_WORKER_MIN_WORK: String(3 * fitWork(job)) })).toBe(1);
    expect(threadsFor(jobs, 2, { BACKTEST_WORKER_MIN_WORK: String(3 * fitWork(job) - 1) })).toBe(2);
    expect(threadsFor([{ ...job, network: deep, options: { epochs: 100 } }, ...jobs], 3, {})).toBe(1);
    expect(threadsFor(Array.from({ length: 30 }, () => ({ ...job, network: deep, options: { epochs: 100 } })), 3, {})).toBe(3);
    expect(() => threadsFor(jobs, 2, { BACKTEST_WORKER_MIN_WORK: 'many' })).toThrow(/BACKTEST_WORKER_MIN_WORK must be a number >= 0, got "many"/);
  });
});
