/**
 * Keras' default initial weights, drawn from our seeded streams instead of TensorFlow.js'
 * initializers: those draw from a global unseeded generator (so two fits with one seed differ),
 * and tfjs-layers 4.22's Orthogonal initializer fails outright in this install
 * (`rMat.flatten is not a function`). Every value here is computed in float64 and rounded to
 * float32 once, so a seed gives the same bits on every backend and thread.
 */
import { STREAM, type Uniform, uniform } from '../nn/seeded-random';

/**
 * Streams beyond nn/seeded-random.ts' STREAM (1 = initial weights, 2 = shuffle): standard
 * Gaussian draws feed the orthogonal recurrent kernels. A stream of their own means adding a
 * recurrent layer never shifts the uniform draws of the other kernels.
 */
export const SEQUENCE_STREAM = { ...STREAM, gaussian: 3 } as const;

/** Standard normal draws by Box-Muller from a uniform stream, both values of each pair used. */
export function gaussian(u: Uniform): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // 1 - u() lies in (0, 1]: the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - u()));
    const angle = 2 * Math.PI * u();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * Keras' fan-in and fan-out of a weight of `shape` (keras/src/initializers `compute_fans`):
 * [in, out] for a matrix; for a convolution kernel [k..., in, out], both times the receptive
 * field (the product of the leading dimensions), so Conv1D [k, in, filters] has
 * fanIn = k * in and fanOut = k * filters; a vector counts its length for both.
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0] as number, fanOut: shape[0] as number };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: (shape[shape.length - 2] as number) * receptive, fanOut: (shape[shape.length - 1] as number) * receptive };
}

/** glorot_uniform: U(-limit, limit), limit = sqrt(6 / (fanIn + fanOut)), in row-major order. */
export function glorotLimit(shape: readonly number[]): number {
  const { fanIn, fanOut } = computeFans(shape);
  return Math.sqrt(6 / (fanIn + fanOut));
}

function glorot(shape: readonly number[], u: Uniform): Float32Array {
  const limit = glorotLimit(shape);
  const out = new Float32Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = (2 * u() - 1) * limit;
  return out;
}

/**
 * Keras' Orthogonal (gain 1) for a weight of `shape`, flattened to rows = product of all but the
 * last dimension and cols = the last: a (max, min) standard-Gaussian matrix drawn row-major, its
 * reduced QR, Q's columns multiplied by the signs of diag(R) (which makes Q the unique factor
 * with a positive diagonal in R, whatever QR algorithm computed it, as Keras and scipy do), and
 * Q transposed when rows < cols. So the result has orthonormal rows when rows <= cols (an RNN's
 * recurrent kernel [units, gates * units]) and orthonormal columns otherwise.
 */
export function orthogonal(shape: readonly number[], normal: () => number): Float32Array {
  const cols = shape[shape.length - 1] as number;
  const rows = size(shape) / cols;
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = normal();
  const q = householderQ(a, m, n);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = q[i * n + j] as number;
      // q is m x n; when rows < cols the weight is its transpose (n x m = rows x cols).
      if (rows < cols) out[j * cols + i] = v;
      else out[i * cols + j] = v;
    }
  }
  return out;
}

/**
 * Q of the reduced QR of `a` (m x n, row-major, m >= n) by Householder reflections, with each
 * column j multiplied by sign(R[j][j]) (sign 0 leaves a column of zeros, like numpy's sign; a
 * Gaussian matrix is of full rank with probability 1). Returns m x n, row-major. The library's
 * householder-qr.ts solves least squares without forming Q, hence this small one of our own.
 */
export function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  if (m < n) throw new RangeError(`householderQ needs m >= n, got ${m} x ${n}`);
  // Column-major working copy: each reflection walks down columns.
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a[i * n + j] as number;
  const vs: Float64Array[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) norm += (w[col + i] as number) ** 2;
    norm = Math.sqrt(norm);
    const head = w[col + k] as number;
    // Reflect onto -sign(head) * norm * e_k so that head - alpha never cancels.
    const alpha = head > 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = w[col + i] as number;
    v[0] = head - alpha;
    let vtv = 0;
    for (let i = 0; i < v.length; i++) vtv += (v[i] as number) ** 2;
    vs.push(v);
    rDiag[k] = alpha;
    if (vtv === 0) continue; // the column is already zero below the diagonal: H = I
    for (let j = k; j < n; j++) reflect(v, vtv, w, j * m + k);
  }
  // Q = H_0 H_1 ... H_{n-1} [I_n; 0]: apply the reflections to the identity's first n columns, last first.
  const q = new Float64Array(m * n); // column-major while building
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k] as Float64Array;
    let vtv = 0;
    for (let i = 0; i < v.length; i++) vtv += (v[i] as number) ** 2;
    if (vtv === 0) continue;
    for (let j = 0; j < n; j++) reflect(v, vtv, q, j * m + k);
  }
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const sign = Math.sign(rDiag[j] as number);
    for (let i = 0; i < m; i++) out[i * n + j] = (q[j * m + i] as number) * sign;
  }
  return out;
}

/** target[off .. off + v.length) -= (2 v.t / v.v) v: the reflection I - 2 v v^T / (v^T v). */
function reflect(v: Float64Array, vtv: number, target: Float64Array, off: number): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (target[off + i] as number);
  const f = (2 * s) / vtv;
  for (let i = 0; i < v.length; i++) target[off + i] = (target[off + i] as number) - f * (v[i] as number);
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** What a weight is, read from the last part of its name, and what Keras starts it at. */
export type WeightRole = 'kernel' | 'recurrent_kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance' | 'alpha' | 'embeddings' | 'other';

export function weightRole(name: string): WeightRole {
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (last === 'recurrent_kernel') return 'recurrent_kernel';
  // depthwise_kernel, pointwise_kernel: Keras gives them glorot_uniform too.
  if (last === 'kernel' || last.endsWith('_kernel')) return 'kernel';
  if (last === 'bias' || last === 'gamma' || last === 'beta' || last === 'moving_mean' || last === 'moving_variance' || last === 'alpha' || last === 'embeddings') return last;
  return 'other';
}

/** One weight to initialise: its name (for the role), shape, and LSTM gate layout if it is an LSTM bias. */
export interface WeightToInit {
  readonly name: string;
  readonly shape: readonly number[];
  /** Units of the LSTM cell whose bias this is, when Keras' unit_forget_bias applies to it. */
  readonly lstmForgetBiasUnits?: number;
}

/**
 * Initial values for `weights`, in order, by role, with Keras' defaults: kernels glorot_uniform
 * (fans as `computeFans`), recurrent kernels orthogonal, biases zeros except an LSTM's forget-gate
 * slice (tfjs and Keras order the gates i, f, c, o: values [units, 2 units) are 1, unit_forget_bias),
 * BatchNormalization gamma 1, beta 0, moving mean 0, moving variance 1, PReLU alpha 0, Embedding
 * U(-0.05, 0.05); anything else glorot_uniform if 2-D, else zeros. Uniform draws come from
 * stream `initialWeights`, Gaussian ones (orthogonal) from stream `gaussian`, both consumed in
 * weight order, so the same weights in the same order get the same values.
 */
export function initialWeights(weights: readonly WeightToInit[], seed: number): Float32Array[] {
  const u = uniform(seed, SEQUENCE_STREAM.initialWeights);
  const normal = gaussian(uniform(seed, SEQUENCE_STREAM.gaussian));
  return weights.map((w) => {
    const n = size(w.shape);
    switch (weightRole(w.name)) {
      case 'kernel':
        return w.shape.length >= 2 ? glorot(w.shape, u) : new Float32Array(n);
      case 'recurrent_kernel':
        return w.shape.length >= 2 ? orthogonal(w.shape, normal) : new Float32Array(n);
      case 'bias': {
        const b = new Float32Array(n);
        const units = w.lstmForgetBiasUnits;
        if (units !== undefined && n === 4 * units) b.fill(1, units, 2 * units);
        return b;
      }
      case 'gamma':
      case 'moving_variance':
        return new Float32Array(n).fill(1);
      case 'beta':
      case 'moving_mean':
      case 'alpha':
        return new Float32Array(n);
      case 'embeddings': {
        const e = new Float32Array(n);
        for (let i = 0; i < n; i++) e[i] = (2 * u() - 1) * 0.05;
        return e;
      }
      default: // 'other'
        return w.shape.length === 2 ? glorot(w.shape, u) : new Float32Array(n);
    }
  });
}
