/**
 * The LSTM(units) -> Dense(1) network on our WebAssembly SIMD kernels (assembly/dense-kernels.ts:
 * lstmForward, lstmBackward): forward and backward through time for a batch in two calls, the
 * weights, gradients, Adam's moments and every step's gates and states in the module's memory
 * for the whole fit, and no TensorFlow.js. The cell is Keras' and TensorFlow.js' (gates i, f, c,
 * o; tanh; recurrent sigmoid); the arithmetic is float32 in a fixed order (exp, sigmoid and tanh
 * by float32 polynomials, about 1 ulp), so a seed gives the same bits on every machine, and the
 * results agree with TensorFlow.js' layers to float32 rounding (sequence/simd-lstm.test.ts).
 * Squared error only: a direction (cross-entropy) fit stays on TensorFlow.js.
 */
import { kernelsFor, kernelsWithArrays, type DenseKernels } from '../nn/simd/kernels';
import type { EpochRunner } from '../nn/train-loop';

/** The network's shape: steps of `inputs` features, `units` cells. */
export interface LstmShape {
  readonly steps: number;
  readonly inputs: number;
  readonly units: number;
}

export type LstmOptimizer =
  | { readonly name: 'sgd'; readonly learningRate: number }
  | { readonly name: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number };

/** Samples [rows][steps][inputs] and targets, float32. */
export interface LstmData {
  readonly rows: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/** Values in the kernels' layout: K ([inputs + units] x 4 units: the kernel's rows, then the recurrent kernel's), bias, output kernel, output bias. */
function paramCount(s: LstmShape): number {
  const g = 4 * s.units;
  return (s.inputs + s.units) * g + g + s.units + 1;
}

/** The weights in TensorFlow.js' order (lstm/kernel, lstm/recurrent_kernel, lstm/bias, dense/kernel, dense/bias) as the kernels' one array: the two kernels stack as they are. */
export function packLstmWeights(s: LstmShape, weights: readonly Float32Array[], into: Float32Array = new Float32Array(paramCount(s))): Float32Array {
  const sizes = [s.inputs * 4 * s.units, s.units * 4 * s.units, 4 * s.units, s.units, 1];
  if (weights.length !== 5 || weights.some((w, i) => w.length !== sizes[i])) {
    throw new Error(`an LSTM(${s.units}) of ${s.inputs} inputs has weights of sizes ${sizes.join(', ')}, got ${weights.map((w) => w.length).join(', ')}`);
  }
  let at = 0;
  for (const w of weights) {
    into.set(w, at);
    at += w.length;
  }
  return into;
}

/** The kernels' array back in TensorFlow.js' order. */
function unpackLstmWeights(s: LstmShape, params: Float32Array): Float32Array[] {
  const sizes = [s.inputs * 4 * s.units, s.units * 4 * s.units, 4 * s.units, s.units, 1];
  let at = 0;
  return sizes.map((n) => {
    const w = params.slice(at, at + n);
    at += n;
    return w;
  });
}

/** The forward pass's scratch for `rows` rows: the batch, the steps' inputs, gates and cells, the last h, the outputs. */
function forwardLengths(s: LstmShape, rows: number): number[] {
  const { steps: T, inputs: F, units: U } = s;
  return [rows * T * F, T * rows * (F + U), T * rows * 4 * U, (T + 1) * rows * U, rows * U, rows];
}

interface Forward {
  readonly x: Float32Array;
  readonly xh: Float32Array;
  readonly gates: Float32Array;
  readonly c: Float32Array;
  readonly hT: Float32Array;
  readonly out: Float32Array;
}

function runForward(k: DenseKernels, s: LstmShape, rows: number, params: Float32Array, f: Forward): void {
  k.lstmForward(rows, s.steps, s.inputs, s.units, f.x.byteOffset, params.byteOffset, f.xh.byteOffset, f.gates.byteOffset, f.c.byteOffset, f.hT.byteOffset, f.out.byteOffset);
}

/** Copies samples order[start .. start + rows) (or start .. start + rows when order is undefined) into `x`. */
function gather(data: LstmData, width: number, order: Int32Array | undefined, start: number, rows: number, x: Float32Array): void {
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
export class SimdLstmRunner implements EpochRunner<Float32Array> {
  readonly #k: DenseKernels;
  readonly #s: LstmShape;
  readonly #params: Float32Array;
  readonly #grads: Float32Array;
  readonly #moments: { m: Float32Array; v: Float32Array; step: number } | undefined;
  readonly #f: Forward;
  readonly #dOut: Float32Array;
  readonly #dh: Float32Array;
  readonly #dc: Float32Array;
  readonly #dz: Float32Array;
  readonly #rT: Float32Array;
  readonly #train: LstmData;
  readonly #validation: LstmData | undefined;
  readonly #batchSize: number;
  readonly #optimizer: LstmOptimizer;
  #initialLoss: number | undefined;

  constructor(shape: LstmShape, initial: readonly Float32Array[], optimizer: LstmOptimizer, train: LstmData, validation: LstmData | undefined, batchSize: number) {
    this.#s = shape;
    this.#train = train;
    this.#validation = validation;
    this.#optimizer = optimizer;
    const rows = Math.min(batchSize, train.rows);
    this.#batchSize = rows;
    const n = paramCount(shape);
    const { steps: T, units: U } = shape;
    const adam = optimizer.name === 'adam';
    const { kernels, arrays } = kernelsWithArrays([
      n, // params
      n, // grads
      ...(adam ? [n, n] : []),
      ...forwardLengths(shape, rows),
      rows, // dOut
      rows * U, // dh
      rows * U, // dc
      T * rows * 4 * U, // dz
      4 * U * U, // the recurrent kernel transposed
    ]);
    this.#k = kernels;
    const next = (): Float32Array => arrays.shift() as Float32Array;
    this.#params = next();
    this.#grads = next();
    this.#moments = adam ? { m: next(), v: next(), step: 0 } : undefined;
    this.#f = { x: next(), xh: next(), gates: next(), c: next(), hT: next(), out: next() };
    this.#dOut = next();
    this.#dh = next();
    this.#dc = next();
    this.#dz = next();
    this.#rT = next();
    packLstmWeights(shape, initial, this.#params);
  }

  runEpoch(order: Int32Array): number {
    const { y, rows: n } = this.#train;
    const s = this.#s;
    const width = s.steps * s.inputs;
    const f = this.#f;
    let sum = 0;
    for (let start = 0; start < n; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, n - start);
      gather(this.#train, width, order, start, rows, f.x);
      runForward(this.#k, s, rows, this.#params, f);
      // The output is linear: d(SSE/rows)/d(output) = 2 (output - y) / rows.
      for (let r = 0; r < rows; r++) {
        const diff = (f.out[r] as number) - (y[order[start + r] as number] as number);
        sum += diff * diff;
        this.#dOut[r] = (2 * diff) / rows;
      }
      if (start === 0 && this.#initialLoss === undefined) this.#initialLoss = sum / rows;
      this.#k.lstmBackward(
        rows,
        s.steps,
        s.inputs,
        s.units,
        this.#params.byteOffset,
        this.#grads.byteOffset,
        f.xh.byteOffset,
        f.gates.byteOffset,
        f.c.byteOffset,
        f.hT.byteOffset,
        this.#dOut.byteOffset,
        this.#dh.byteOffset,
        this.#dc.byteOffset,
        this.#dz.byteOffset,
        this.#rT.byteOffset,
      );
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
    const k = this.#k;
    k.lstmBackward(
      rows.length,
      s.steps,
      s.inputs,
      s.units,
      this.#params.byteOffset,
      this.#grads.byteOffset,
      f.xh.byteOffset,
      f.gates.byteOffset,
      f.c.byteOffset,
      f.hT.byteOffset,
      this.#dOut.byteOffset,
      this.#dh.byteOffset,
      this.#dc.byteOffset,
      this.#dz.byteOffset,
      this.#rT.byteOffset,
    );
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
    return unpackLstmWeights(this.#s, this.#params);
  }

  #update(): void {
    const opt = this.#optimizer;
    const w = this.#params.byteOffset;
    const g = this.#grads.byteOffset;
    const n = this.#params.length;
    if (opt.name === 'sgd') {
      this.#k.sgd(w, g, n, opt.learningRate);
      return;
    }
    const moments = this.#moments as { m: Float32Array; v: Float32Array; step: number };
    moments.step += 1;
    const c1 = 1 - opt.beta1 ** moments.step;
    const c2 = 1 - opt.beta2 ** moments.step;
    this.#k.adam(w, g, moments.m.byteOffset, moments.v.byteOffset, n, opt.learningRate, opt.beta1, opt.beta2, opt.epsilon, c1, c2);
  }
}

/** How many rows a prediction forwards at once. */
const PREDICT_CHUNK = 256;

/** Forecasts of a fitted LSTM on the kernels' prediction instance (its arrays stay its own until another predictor lays out its own). */
export class SimdLstmPredictor {
  readonly #s: LstmShape;
  readonly #params: Float32Array;

  constructor(shape: LstmShape, weights: readonly Float32Array[]) {
    this.#s = shape;
    this.#params = packLstmWeights(shape, weights);
  }

  predict(data: { readonly rows: number; readonly x: Float32Array }): Float64Array {
    const s = this.#s;
    const out = new Float64Array(data.rows);
    const { kernels, arrays, fresh } = kernelsFor(this, [this.#params.length, ...forwardLengths(s, PREDICT_CHUNK)]);
    const [params, x, xh, gates, c, hT, o] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    if (fresh) params.set(this.#params);
    const f: Forward = { x, xh, gates, c, hT, out: o };
    const width = s.steps * s.inputs;
    for (let start = 0; start < data.rows; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, data.rows - start);
      gather({ ...data, y: new Float32Array(0) }, width, undefined, start, rows, x);
      runForward(kernels, s, rows, params, f);
      for (let r = 0; r < rows; r++) out[start + r] = o[r] as number;
    }
    return out;
  }
}
