import { uniform } from '../nn/seeded-random';
import { computeFans, gaussian, glorotLimit, householderQ, initialWeights, orthogonal, SEQUENCE_STREAM, weightRole } from './initializers';

/** max |W W^T - I| (rows orthonormal) or max |W^T W - I| (columns), W rows x cols row-major, for the smaller side. */
function orthonormalityError(w: Float32Array | Float64Array, rows: number, cols: number): number {
  const byRows = rows <= cols;
  const n = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (i: number, k: number): number => (byRows ? (w[i * cols + k] as number) : (w[k * cols + i] as number));
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

const normal = (seed: number) => gaussian(uniform(seed, SEQUENCE_STREAM.gaussian));

describe('orthogonal (Keras Orthogonal, gain 1)', () => {
  test.each([
    [4, 4],
    [3, 12], // an LSTM recurrent kernel [units, 4 units]: orthonormal rows
    [5, 15], // a GRU one
    [9, 2], // taller than wide: orthonormal columns
    [1, 4],
  ])('%i x %i is orthonormal along its smaller side to 1e-5 (float32)', (rows, cols) => {
    const w = orthogonal([rows, cols], normal(7));
    expect(w).toHaveLength(rows * cols);
    expect(orthonormalityError(w, rows, cols)).toBeLessThan(1e-5);
    // Square: both sides orthonormal (Q^T Q = Q Q^T = I).
    if (rows === cols)
      expect(
        orthonormalityError(
          Float32Array.from({ length: rows * cols }, (_, i) => w[(i % cols) * cols + Math.floor(i / cols)] as number),
          rows,
          cols,
        ),
      ).toBeLessThan(1e-5);
  });

  test('deterministic for a seed, different for another', () => {
    expect(orthogonal([3, 12], normal(1))).toEqual(orthogonal([3, 12], normal(1)));
    expect(orthogonal([3, 12], normal(1))).not.toEqual(orthogonal([3, 12], normal(2)));
  });

  test('Q R reproduces the Gaussian matrix with a positive diagonal in R (the sign convention of Keras and scipy)', () => {
    const m = 6;
    const n = 3;
    const g = normal(11);
    const a = Float64Array.from({ length: m * n }, () => g());
    const q = householderQ(a, m, n);
    expect(orthonormalityError(q, m, n)).toBeLessThan(1e-12);
    // R = Q^T A must be upper triangular with a positive diagonal.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0;
        for (let k = 0; k < m; k++) r += (q[k * n + i] as number) * (a[k * n + j] as number);
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-12);
        if (i === j) expect(r).toBeGreaterThan(0);
      }
    }
  });

  test('uses the (max, min) Gaussian matrix transposed for a wide shape, as Keras does', () => {
    // A wide [3, 12] weight is the transpose of the tall [12, 3] one drawn from the same numbers.
    const wide = orthogonal([3, 12], normal(5));
    const tall = orthogonal([12, 3], normal(5));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 12; j++) expect(wide[i * 12 + j]).toBe(tall[j * 3 + i]);
  });
});

describe('gaussian draws', () => {
  test('mean about 0 and variance about 1', () => {
    const g = normal(3);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = g();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});

describe('Keras fans and glorot limits', () => {
  test('fans: a matrix, a Conv1D kernel [k, in, filters], a vector', () => {
    expect(computeFans([5, 7])).toEqual({ fanIn: 5, fanOut: 7 });
    expect(computeFans([3, 2, 8])).toEqual({ fanIn: 6, fanOut: 24 });
    expect(computeFans([4])).toEqual({ fanIn: 4, fanOut: 4 });
  });

  test('every kernel value lies within ±sqrt(6 / (fanIn + fanOut)) and the draws fill the range', () => {
    const shapes = [
      [2, 12],
      [3, 2, 8],
      [40, 1],
    ];
    const weights = initialWeights(
      shapes.map((shape, i) => ({ name: `layer${i}/kernel`, shape })),
      42,
    );
    weights.forEach((w, i) => {
      const limit = glorotLimit(shapes[i] as number[]);
      const { fanIn, fanOut } = computeFans(shapes[i] as number[]);
      expect(limit).toBeCloseTo(Math.sqrt(6 / (fanIn + fanOut)), 15);
      const max = Math.max(...Array.from(w, Math.abs));
      expect(max).toBeLessThanOrEqual(limit);
      expect(max).toBeGreaterThan(0.5 * limit);
    });
  });
});

describe('initial weights by role', () => {
  test('LSTM biases: forget gate (the second quarter, gates i, f, c, o) 1, the rest 0; other biases 0', () => {
    const units = 3;
    const [lstmBias, denseBias] = initialWeights(
      [
        { name: 'lstm/bias', shape: [4 * units], lstmForgetBiasUnits: units },
        { name: 'dense/bias', shape: [1] },
      ],
      42,
    ) as [Float32Array, Float32Array];
    expect(Array.from(lstmBias)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(denseBias)).toEqual([0]);
  });

  test('roles from names: BatchNormalization statistics, embeddings, anything else', () => {
    expect(weightRole('seq/lstm/recurrent_kernel')).toBe('recurrent_kernel');
    expect(weightRole('sep/depthwise_kernel')).toBe('kernel');
    expect(weightRole('something/weird')).toBe('other');
    const [gamma, beta, mean, variance, emb, other2d, other1d] = initialWeights(
      [
        { name: 'bn/gamma', shape: [2] },
        { name: 'bn/beta', shape: [2] },
        { name: 'bn/moving_mean', shape: [2] },
        { name: 'bn/moving_variance', shape: [2] },
        { name: 'e/embeddings', shape: [10, 3] },
        { name: 'x/w', shape: [4, 5] },
        { name: 'x/v', shape: [4] },
      ],
      1,
    ) as Float32Array[];
    expect(Array.from(gamma!)).toEqual([1, 1]);
    expect(Array.from(beta!)).toEqual([0, 0]);
    expect(Array.from(mean!)).toEqual([0, 0]);
    expect(Array.from(variance!)).toEqual([1, 1]);
    expect(Math.max(...Array.from(emb!, Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Math.max(...Array.from(other2d!, Math.abs))).toBeGreaterThan(0);
    expect(Array.from(other1d!)).toEqual([0, 0, 0, 0]);
  });

  test('recurrent kernels are orthogonal; one seed gives the same weights, another different ones', () => {
    const spec = [
      { name: 'lstm/kernel', shape: [2, 16] },
      { name: 'lstm/recurrent_kernel', shape: [4, 16] },
      { name: 'lstm/bias', shape: [16], lstmForgetBiasUnits: 4 },
    ];
    const a = initialWeights(spec, 9);
    expect(orthonormalityError(a[1] as Float32Array, 4, 16)).toBeLessThan(1e-5);
    expect(initialWeights(spec, 9)).toEqual(a);
    const b = initialWeights(spec, 10);
    expect(b[0]).not.toEqual(a[0]);
    expect(b[1]).not.toEqual(a[1]);
  });
});
