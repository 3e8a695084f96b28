import type { Activation, ResolvedNetwork } from '../spec';
import { ACTIVATION_CODE, kernelsFor } from './kernels';

/** Rows forwarded per pass; the buffers hold this many rows whatever the call's row count. */
const PREDICT_ROWS = 256;

/** Row-major float features, one row of `cols` values after another. */
export interface Rows {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number> & { subarray(start: number, end: number): ArrayLike<number> };
}

/**
 * A fitted dense network that predicts with the SIMD kernels, without TensorFlow.js: the same
 * matrix product, bias and activation calls as the SIMD trainer's forward pass
 * (simd-runner.ts), so a prediction is bit for bit what training computed for that row. Every
 * output depends on its own row alone (the kernels sum each cell in one fixed order whatever
 * the number of rows: simd/kernels.test.ts), so predicting rows one at a time or all at once
 * gives the same bits.
 */
export class SimdPredictor {
  readonly #dims: number[];
  readonly #acts: number[];
  /** Kernel, bias per layer: this predictor's own copies. */
  readonly #weights: Float32Array[];
  readonly #total: number;

  constructor(spec: ResolvedNetwork, weights: readonly Float32Array[]) {
    this.#dims = [spec.inputSize, ...spec.layers.map((l) => l.units)];
    this.#acts = spec.layers.map((l) => ACTIVATION_CODE[l.activation as Activation]);
    this.#weights = weights.map((w) => Float32Array.from(w));
    this.#total = this.#weights.reduce((s, w) => s + w.length, 0);
  }

  /** Copies of the weights (kernel, bias per layer). */
  weights(): Float32Array[] {
    return this.#weights.map((w) => Float32Array.from(w));
  }

  /** One output per row of `x` (whose cols must be the network's input size). */
  predict(x: Rows): Float64Array {
    const dims = this.#dims;
    const features = dims[0] as number;
    if (x.cols !== features) throw new Error(`predict: the network takes ${features} inputs, got ${x.cols} columns`);
    const { kernels: k, arrays, fresh } = kernelsFor(this, [this.#total, ...dims.map((units) => PREDICT_ROWS * units)]);
    const params = arrays[0] as Float32Array;
    const outs = arrays.slice(1);
    if (fresh) {
      let at = 0;
      for (const w of this.#weights) {
        params.set(w, at);
        at += w.length;
      }
    }
    const L = this.#acts.length;
    const result = new Float64Array(x.rows);
    const input = outs[0] as Float32Array;
    const output = outs[L] as Float32Array;
    for (let start = 0; start < x.rows; start += PREDICT_ROWS) {
      const rows = Math.min(PREDICT_ROWS, x.rows - start);
      // Float64 features round to float32 here, as they do for training (and as a float32 tensor would).
      input.set(x.data.subarray(start * features, (start + rows) * features));
      let offset = params.byteOffset;
      for (let l = 0; l < L; l++) {
        const fanIn = dims[l] as number;
        const units = dims[l + 1] as number;
        const kernel = offset;
        const bias = kernel + 4 * fanIn * units;
        offset = bias + 4 * units;
        const out = (outs[l + 1] as Float32Array).byteOffset;
        k.gemm(rows, units, fanIn, (outs[l] as Float32Array).byteOffset, fanIn, 1, kernel, units, out, units, bias);
        k.activate(this.#acts[l] as number, out, rows * units);
      }
      for (let r = 0; r < rows; r++) result[start + r] = output[r] as number;
    }
    return result;
  }
}
