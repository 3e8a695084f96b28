import { weightCount, WORKER_MIN_WEIGHTS } from './nn-forecaster';

describe('weightCount', () => {
  it('counts kernels and biases of a dense stack', () => {
    // 2-10-1: 2*10 + 10 + 10*1 + 1 = 41; 2-300-100-1: 900 + 30100 + 101 = 31101.
    expect(weightCount({ inputSize: 2, layers: [{ units: 10 }, { units: 1 }] })).toBe(41);
    expect(weightCount({ inputSize: 2, layers: [{ units: 300 }, { units: 100 }, { units: 1 }] })).toBe(31101);
    expect(41).toBeLessThan(WORKER_MIN_WEIGHTS);
    expect(31101).toBeGreaterThan(WORKER_MIN_WEIGHTS);
  });
});
