import { chunkedLoss, type DenseData, gatherBatch } from './dense-data';
import { bceOutputSlope, bceRow, type LossName } from './loss';
import type { Activation, ResolvedNetwork, ResolvedOptimizer } from './spec';
import type { EpochRunner } from './train-loop';

/**
 * The tests' oracle, not a trainer a user can choose: a whole epoch as one plain JavaScript pass
 * over Float32Array weights (forward, backward and update of every batch, no WebAssembly and no
 * TensorFlow.js), with every sum, gradient and optimizer moment in float64. It is written as
 * directly as the formulas go, independently of the SIMD kernels and of TensorFlow.js, so the
 * tests hold both float32 trainers against it (`fitWithOracle` in nn-model.ts runs it through
 * the same epoch driver and initial weights as `NnModel.fit`). It is exported from this file
 * only, not from the package index.
 *
 * Same semantics as the trainers: MSE or binary cross-entropy loss, Keras' SGD/Adam updates
 * (tfjs' Adam formula), batches in the given order, weights stored as float32 after every
 * update, so results differ from the float32 trainers in the last float32 bits; one seed gives
 * bit-identical results.
 */
export class FusedRunner implements EpochRunner<Float32Array[]> {
  readonly #spec: ResolvedNetwork;
  readonly #dims: number[];
  readonly #activations: Activation[];
  /** kernel [fanIn x units] row-major, bias [units], per layer. */
  readonly weights: Float32Array[];
  readonly #train: DenseData;
  readonly #validation: DenseData | undefined;
  readonly #batchSize: number;
  readonly #optimizer: ResolvedOptimizer;
  // Work buffers, allocated once: activations and deltas per layer for one batch.
  readonly #acts: Float32Array[];
  readonly #deltas: Float64Array[];
  readonly #grads: Float64Array[];
  readonly #row: Float64Array;
  readonly #moments: { m: Float64Array[]; v: Float64Array[]; step: number } | undefined;
  readonly #loss: LossName;
  #initialLoss: number | undefined;

  constructor(
    spec: ResolvedNetwork,
    initial: readonly Float32Array[],
    optimizer: ResolvedOptimizer,
    train: DenseData,
    validation: DenseData | undefined,
    batchSize: number,
    loss: LossName = 'mse',
  ) {
    this.#loss = loss;
    this.#spec = spec;
    this.#dims = [spec.inputSize, ...spec.layers.map((l) => l.units)];
    this.#activations = spec.layers.map((l) => l.activation);
    this.weights = initial.map((w) => Float32Array.from(w));
    this.#train = train;
    this.#validation = validation;
    this.#batchSize = Math.min(batchSize, train.rows);
    this.#optimizer = optimizer;
    const rows = this.#batchSize;
    this.#acts = this.#dims.map((units) => new Float32Array(rows * units));
    this.#deltas = this.#dims.map((units) => new Float64Array(rows * units));
    this.#grads = this.weights.map((w) => new Float64Array(w.length));
    this.#row = new Float64Array(Math.max(...this.#dims));
    this.#moments =
      optimizer.name === 'adam' ? { m: this.weights.map((w) => new Float64Array(w.length)), v: this.weights.map((w) => new Float64Array(w.length)), step: 0 } : undefined;
  }

  runEpoch(order: Int32Array): number {
    const n = this.#train.rows;
    let sum = 0;
    for (let start = 0; start < n; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, n - start);
      sum = this.#lossAndGradients(order, start, rows, sum);
      if (start === 0 && this.#initialLoss === undefined) this.#initialLoss = sum / rows;
      this.#update();
    }
    return sum;
  }

  /**
   * The mean loss over the training rows `rows` (at most the batch size) at the current weights,
   * and d(mean loss)/d(weight) for every weight (kernel, bias per layer), without an update: what
   * the finite-difference tests check.
   */
  gradients(rows: Int32Array): { loss: number; grads: Float64Array[] } {
    if (rows.length === 0 || rows.length > this.#batchSize) throw new Error(`gradients: 1 to ${this.#batchSize} rows, got ${rows.length}`);
    const loss = this.#lossAndGradients(rows, 0, rows.length, 0) / rows.length;
    return { loss, grads: this.#grads.map((g) => Float64Array.from(g)) };
  }

  validationLoss(): number {
    const v = this.#validation;
    if (!v) return Number.NaN;
    const out = this.#acts[this.#activations.length] as Float32Array;
    return chunkedLoss(v, this.#spec.inputSize, this.#batchSize, this.#acts[0] as Float32Array, out, (rows) => this.#forward(rows), this.#loss);
  }

  snapshot(): Float32Array[] {
    return this.currentWeights();
  }

  restore(snapshot: Float32Array[]): void {
    snapshot.forEach((w, i) => (this.weights[i] as Float32Array).set(w));
  }

  release(): void {}

  initialLoss(): number {
    return this.#initialLoss ?? Number.NaN;
  }

  currentWeights(): Float32Array[] {
    return this.weights.map((w) => Float32Array.from(w));
  }

  /**
   * Forward and backward pass of the batch order[start .. start + rows): fills the gradients
   * and returns `sum` plus the batch's summed loss (before any update), added row by row.
   */
  #lossAndGradients(order: Int32Array, start: number, rows: number, sum: number): number {
    const y = this.#train.y;
    gatherBatch(this.#train, this.#spec.inputSize, order, start, rows, this.#acts[0] as Float32Array);
    this.#forward(rows);
    const L = this.#activations.length;
    const out = this.#acts[L] as Float32Array;
    const delta = this.#deltas[L] as Float64Array;
    if (this.#loss === 'mse') {
      // d(SSE/rows)/d(output) = 2 (output - y) / rows, times the activation's slope.
      for (let r = 0; r < rows; r++) {
        const diff = (out[r] as number) - (y[order[start + r] as number] as number);
        sum += diff * diff;
        delta[r] = ((2 * diff) / rows) * slope(this.#activations[L - 1] as Activation, out[r] as number);
      }
    } else {
      // Binary cross-entropy on a sigmoid output: the delta is already through the sigmoid (loss.ts).
      for (let r = 0; r < rows; r++) {
        const p = out[r] as number;
        const target = y[order[start + r] as number] as number;
        sum += bceRow(p, target);
        delta[r] = bceOutputSlope(p, target) / rows;
      }
    }
    this.#backward(rows);
    return sum;
  }

  /** acts[l + 1] = activation(acts[l] W_l + b_l) for the first `rows` rows. */
  #forward(rows: number): void {
    const z = this.#row;
    for (let l = 0; l < this.#activations.length; l++) {
      const fanIn = this.#dims[l] as number;
      const units = this.#dims[l + 1] as number;
      const kernel = this.weights[2 * l] as Float32Array;
      const bias = this.weights[2 * l + 1] as Float32Array;
      const input = this.#acts[l] as Float32Array;
      const out = this.#acts[l + 1] as Float32Array;
      const act = this.#activations[l] as Activation;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) z[j] = bias[j] as number;
        for (let i = 0; i < fanIn; i++) {
          const a = input[r * fanIn + i] as number;
          if (a === 0) continue; // ReLU outputs are often exactly zero
          const w = i * units;
          for (let j = 0; j < units; j++) z[j] = (z[j] as number) + a * (kernel[w + j] as number);
        }
        for (let j = 0; j < units; j++) out[r * units + j] = activate(act, z[j] as number);
      }
    }
  }

  /** Gradients of every weight from deltas[L] (already through the output activation). */
  #backward(rows: number): void {
    for (let l = this.#activations.length - 1; l >= 0; l--) {
      const fanIn = this.#dims[l] as number;
      const units = this.#dims[l + 1] as number;
      const kernel = this.weights[2 * l] as Float32Array;
      const input = this.#acts[l] as Float32Array;
      const delta = this.#deltas[l + 1] as Float64Array;
      const gKernel = (this.#grads[2 * l] as Float64Array).fill(0);
      const gBias = (this.#grads[2 * l + 1] as Float64Array).fill(0);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) gBias[j] = (gBias[j] as number) + (delta[r * units + j] as number);
        for (let i = 0; i < fanIn; i++) {
          const a = input[r * fanIn + i] as number;
          if (a === 0) continue;
          const w = i * units;
          for (let j = 0; j < units; j++) gKernel[w + j] = (gKernel[w + j] as number) + a * (delta[r * units + j] as number);
        }
      }
      if (l === 0) break;
      // Delta of the layer below, through its activation; uses the weights before this update.
      const below = this.#deltas[l] as Float64Array;
      const act = this.#activations[l - 1] as Activation;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < fanIn; i++) {
          let s = 0;
          const w = i * units;
          for (let j = 0; j < units; j++) s += (delta[r * units + j] as number) * (kernel[w + j] as number);
          below[r * fanIn + i] = s * slope(act, input[r * fanIn + i] as number);
        }
      }
    }
  }

  #update(): void {
    const opt = this.#optimizer;
    if (opt.name === 'sgd') {
      this.weights.forEach((w, k) => {
        const g = this.#grads[k] as Float64Array;
        for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) - opt.learningRate * (g[i] as number);
      });
      return;
    }
    const moments = this.#moments as { m: Float64Array[]; v: Float64Array[]; step: number };
    moments.step += 1;
    // tfjs' Adam: bias-corrected moments, epsilon added to sqrt(v_hat).
    const c1 = 1 - opt.beta1 ** moments.step;
    const c2 = 1 - opt.beta2 ** moments.step;
    this.weights.forEach((w, k) => {
      const g = this.#grads[k] as Float64Array;
      const m = moments.m[k] as Float64Array;
      const v = moments.v[k] as Float64Array;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i] as number;
        m[i] = opt.beta1 * (m[i] as number) + (1 - opt.beta1) * gi;
        v[i] = opt.beta2 * (v[i] as number) + (1 - opt.beta2) * gi * gi;
        w[i] = (w[i] as number) - (opt.learningRate * ((m[i] as number) / c1)) / (Math.sqrt((v[i] as number) / c2) + opt.epsilon);
      }
    });
  }
}

function activate(act: Activation, z: number): number {
  switch (act) {
    case 'relu':
      // biome-ignore lint/complexity/useMathMinMax: NaN must become 0, as in the SIMD kernel; Math.max(z, 0) would keep NaN
      return z > 0 ? z : 0;
    case 'linear':
      return z;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
  }
}

/** The activation's derivative written in terms of its output (as the tfjs runner does). */
function slope(act: Activation, out: number): number {
  switch (act) {
    case 'relu':
      return out > 0 ? 1 : 0;
    case 'linear':
      return 1;
    case 'tanh':
      return 1 - out * out;
    case 'sigmoid':
      return out * (1 - out);
  }
}
