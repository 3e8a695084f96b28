/**
 * The LSTM(units) -> Dense(1) and GRU(units) -> Dense(1) networks on our WebAssembly SIMD kernels
 * (assembly/dense-kernels.ts: lstmForward, lstmBackward, gruForward, gruBackward): forward and
 * backward through time for a batch in two calls, the weights, gradients, Adam's moments and
 * every step's gates and states in the module's memory for the whole fit, and no TensorFlow.js.
 * The cells are Keras' and TensorFlow.js' (LSTM gates i, f, c, o; GRU gates z, r, h with
 * TensorFlow.js' reset_after = false; tanh; recurrent sigmoid); the arithmetic is float32 in a
 * fixed order (exp, sigmoid and tanh by float32 polynomials within 3 ulps), so a seed gives the
 * same bits on every machine, and the results agree with TensorFlow.js' layers to float32
 * rounding (sequence/simd-recurrent.test.ts). Squared error only: a direction (cross-entropy) fit
 * stays on TensorFlow.js.
 */
import { type AdamMoments, type DenseKernels, kernelsFor, kernelsWithArrays, optimizerStep } from '../nn/simd/kernels';
import type { ResolvedOptimizer } from '../nn/spec';
import type { EpochRunner } from '../nn/train-loop';

/** The network's shape: its cell, steps of `inputs` features, `units` cells. */
export interface RecurrentShape {
  readonly cell: 'lstm' | 'gru';
  readonly steps: number;
  readonly inputs: number;
  readonly units: number;
}

/** Samples [rows][steps][inputs] and targets, float32. */
export interface RecurrentData {
  readonly rows: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/** Gates a cell computes per unit: 4 for the LSTM (i, f, c, o), 3 for the GRU (z, r, h). */
const gatesOf = (s: RecurrentShape): number => (s.cell === 'lstm' ? 4 : 3);

/** The sizes of the weights in TensorFlow.js' order: kernel, recurrent kernel, bias, dense kernel, dense bias. */
function weightSizes(s: RecurrentShape): number[] {
  const g = gatesOf(s) * s.units;
  return [s.inputs * g, s.units * g, g, s.units, 1];
}

/** Values in the kernels' layout: the weights one after another (for the LSTM, kernel and recurrent kernel stack into one [inputs + units] x 4 units matrix). */
function paramCount(s: RecurrentShape): number {
  return weightSizes(s).reduce((a, b) => a + b, 0);
}

/** The weights in TensorFlow.js' order as the kernels' one array. */
export function packRecurrentWeights(s: RecurrentShape, weights: readonly Float32Array[], into: Float32Array = new Float32Array(paramCount(s))): Float32Array {
  const sizes = weightSizes(s);
  if (weights.length !== 5 || weights.some((w, i) => w.length !== sizes[i])) {
    throw new Error(`a ${s.cell}(${s.units}) of ${s.inputs} inputs has weights of sizes ${sizes.join(', ')}, got ${weights.map((w) => w.length).join(', ')}`);
  }
  let at = 0;
  for (const w of weights) {
    into.set(w, at);
    at += w.length;
  }
  return into;
}

/** The kernels' array back in TensorFlow.js' order. */
function unpackRecurrentWeights(s: RecurrentShape, params: Float32Array): Float32Array[] {
  const sizes = weightSizes(s);
  let at = 0;
  return sizes.map((n) => {
    const w = params.slice(at, at + n);
    at += n;
    return w;
  });
}

/**
 * The forward pass's arrays for `rows` rows, after the batch itself: LSTM: the steps' inputs and
 * previous h, the gates, the cells, the last h, the outputs; GRU: the steps' inputs, the h's,
 * the gates, r h, a scratch of 2 units a row, the outputs.
 */
function forwardLengths(s: RecurrentShape, rows: number): number[] {
  const { steps: T, inputs: F, units: U } = s;
  return s.cell === 'lstm'
    ? [rows * T * F, T * rows * (F + U), T * rows * 4 * U, (T + 1) * rows * U, rows * U, rows]
    : [rows * T * F, T * rows * F, (T + 1) * rows * U, T * rows * 3 * U, T * rows * U, rows * 2 * U, rows];
}

/** The batch [rows][steps][inputs], the cell's forward arrays (forwardLengths' order), and the outputs (the last of them). */
interface Forward {
  readonly x: Float32Array;
  readonly arrays: readonly Float32Array[];
  readonly out: Float32Array;
}

function forwardOf(arrays: Float32Array[]): Forward {
  return { x: arrays[0]!, arrays: arrays.slice(1, -1), out: arrays[arrays.length - 1]! };
}

function runForward(k: DenseKernels, s: RecurrentShape, rows: number, params: Float32Array, f: Forward): void {
  const a = f.arrays.map((x) => x.byteOffset);
  if (s.cell === 'lstm') k.lstmForward(rows, s.steps, s.inputs, s.units, f.x.byteOffset, params.byteOffset, a[0]!, a[1]!, a[2]!, a[3]!, f.out.byteOffset);
  else k.gruForward(rows, s.steps, s.inputs, s.units, f.x.byteOffset, params.byteOffset, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, f.out.byteOffset);
}

/** The backward pass's scratch: LSTM dh, dc, dz, the recurrent kernel transposed; GRU dh, d(r h), a row scratch, da, the recurrent kernel transposed. */
function backwardLengths(s: RecurrentShape, rows: number): number[] {
  const { steps: T, units: U } = s;
  return s.cell === 'lstm' ? [rows * U, rows * U, T * rows * 4 * U, 4 * U * U] : [rows * U, rows * U, rows * U, T * rows * 3 * U, 3 * U * U];
}

/** Copies samples order[start .. start + rows) (or start .. start + rows when order is undefined) into `x`. */
function gather(data: RecurrentData, width: number, order: Int32Array | undefined, start: number, rows: number, x: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const src = (order ? (order[start + r] as number) : start + r) * width;
    x.set(data.x.subarray(src, src + width), r * width);
  }
}

/**
 * Epochs of squared-error minibatch training (nn/train-loop.ts drives them: the seeded order,
 * early stopping, divergence), each batch one forward and one backward call and the optimizer's
 * update (the dense kernels' sgd or adam).
 */
export class SimdRecurrentRunner implements EpochRunner<Float32Array> {
  readonly #k: DenseKernels;
  readonly #s: RecurrentShape;
  readonly #params: Float32Array;
  readonly #grads: Float32Array;
  readonly #moments: AdamMoments | undefined;
  readonly #f: Forward;
  readonly #dOut: Float32Array;
  readonly #scratch: readonly Float32Array[];
  readonly #train: RecurrentData;
  readonly #validation: RecurrentData | undefined;
  readonly #batchSize: number;
  readonly #optimizer: ResolvedOptimizer;
  #initialLoss: number | undefined;

  constructor(
    shape: RecurrentShape,
    initial: readonly Float32Array[],
    optimizer: ResolvedOptimizer,
    train: RecurrentData,
    validation: RecurrentData | undefined,
    batchSize: number,
  ) {
    this.#s = shape;
    this.#train = train;
    this.#validation = validation;
    this.#optimizer = optimizer;
    const rows = Math.min(batchSize, train.rows);
    this.#batchSize = rows;
    const n = paramCount(shape);
    const adam = optimizer.name === 'adam';
    const forward = forwardLengths(shape, rows);
    const backward = backwardLengths(shape, rows);
    const { kernels, arrays } = kernelsWithArrays([n, n, ...(adam ? [n, n] : []), ...forward, rows, ...backward]);
    this.#k = kernels;
    const take = (count: number): Float32Array[] => arrays.splice(0, count);
    [this.#params, this.#grads] = take(2) as [Float32Array, Float32Array];
    if (adam) {
      const [m, v] = take(2) as [Float32Array, Float32Array];
      this.#moments = { m, v, step: 0 };
    }
    this.#f = forwardOf(take(forward.length));
    [this.#dOut] = take(1) as [Float32Array];
    this.#scratch = take(backward.length);
    packRecurrentWeights(shape, initial, this.#params);
  }

  runEpoch(order: Int32Array): number {
    const { y, rows: n } = this.#train;
    const s = this.#s;
    const f = this.#f;
    let sum = 0;
    for (let start = 0; start < n; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, n - start);
      gather(this.#train, s.steps * s.inputs, order, start, rows, f.x);
      runForward(this.#k, s, rows, this.#params, f);
      // The output is linear: d(SSE/rows)/d(output) = 2 (output - y) / rows.
      for (let r = 0; r < rows; r++) {
        const diff = (f.out[r] as number) - (y[order[start + r] as number] as number);
        sum += diff * diff;
        this.#dOut[r] = (2 * diff) / rows;
      }
      if (start === 0 && this.#initialLoss === undefined) this.#initialLoss = sum / rows;
      this.#backward(rows);
      this.#update();
    }
    return sum;
  }

  /** The loss and every gradient of one batch of rows (in the kernels' layout), without an update: for the tests. */
  gradients(rows: readonly number[]): { loss: number; grads: Float32Array } {
    const order = Int32Array.from(rows);
    const s = this.#s;
    const f = this.#f;
    gather(this.#train, s.steps * s.inputs, order, 0, rows.length, f.x);
    runForward(this.#k, s, rows.length, this.#params, f);
    let sum = 0;
    for (let r = 0; r < rows.length; r++) {
      const diff = (f.out[r] as number) - (this.#train.y[order[r] as number] as number);
      sum += diff * diff;
      this.#dOut[r] = (2 * diff) / rows.length;
    }
    this.#backward(rows.length);
    return { loss: sum / rows.length, grads: this.#grads.slice() };
  }

  validationLoss(): number {
    const v = this.#validation;
    if (!v) return Number.NaN;
    const s = this.#s;
    const f = this.#f;
    let sum = 0;
    for (let start = 0; start < v.rows; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, v.rows - start);
      gather(v, s.steps * s.inputs, undefined, start, rows, f.x);
      runForward(this.#k, s, rows, this.#params, f);
      for (let r = 0; r < rows; r++) sum += ((f.out[r] as number) - (v.y[start + r] as number)) ** 2;
    }
    return sum / v.rows;
  }

  snapshot(): Float32Array {
    return this.#params.slice();
  }

  restore(snapshot: Float32Array): void {
    this.#params.set(snapshot);
  }

  release(): void {}

  initialLoss(): number {
    return this.#initialLoss ?? Number.NaN;
  }

  /** The weights in TensorFlow.js' order. */
  currentWeights(): Float32Array[] {
    return unpackRecurrentWeights(this.#s, this.#params);
  }

  /** Every gradient from #dOut, after the forward pass of the batch's `rows` rows. */
  #backward(rows: number): void {
    const s = this.#s;
    const a = this.#f.arrays.map((x) => x.byteOffset);
    const d = this.#scratch.map((x) => x.byteOffset);
    const [params, grads, dOut] = [this.#params.byteOffset, this.#grads.byteOffset, this.#dOut.byteOffset];
    if (s.cell === 'lstm') this.#k.lstmBackward(rows, s.steps, s.inputs, s.units, params, grads, a[0]!, a[1]!, a[2]!, a[3]!, dOut, d[0]!, d[1]!, d[2]!, d[3]!);
    else this.#k.gruBackward(rows, s.steps, s.inputs, s.units, params, grads, a[0]!, a[1]!, a[2]!, a[3]!, dOut, d[0]!, d[1]!, d[2]!, d[3]!, d[4]!);
  }

  #update(): void {
    optimizerStep(this.#k, this.#params, this.#grads, this.#optimizer, this.#moments);
  }
}

/** How many rows a prediction forwards at once. */
const PREDICT_CHUNK = 256;

/** Forecasts of a fitted network on the kernels' prediction instance (its arrays stay its own until another predictor lays out its own). */
export class SimdRecurrentPredictor {
  readonly #s: RecurrentShape;
  readonly #params: Float32Array;

  constructor(shape: RecurrentShape, weights: readonly Float32Array[]) {
    this.#s = shape;
    this.#params = packRecurrentWeights(shape, weights);
  }

  predict(data: { readonly rows: number; readonly x: Float32Array }): Float64Array {
    const s = this.#s;
    const out = new Float64Array(data.rows);
    const { kernels, arrays, fresh } = kernelsFor(this, [this.#params.length, ...forwardLengths(s, PREDICT_CHUNK)]);
    const params = arrays[0] as Float32Array;
    if (fresh) params.set(this.#params);
    const f = forwardOf(arrays.slice(1));
    const width = s.steps * s.inputs;
    for (let start = 0; start < data.rows; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, data.rows - start);
      gather({ ...data, y: new Float32Array(0) }, width, undefined, start, rows, f.x);
      runForward(kernels, s, rows, params, f);
      for (let r = 0; r < rows; r++) out[start + r] = f.out[r] as number;
    }
    return out;
  }
}
