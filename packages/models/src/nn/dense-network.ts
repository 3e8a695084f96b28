import type { NamedTensorMap, Scalar, Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Tf } from '../tf';
import { BCE_EPSILON, BCE_UPPER, type LossName } from './loss';
import type { Activation, ResolvedNetwork } from './spec';

let networksCreated = 0;

/** Weight-matrix size from which explicit transposes pay off on wasm (measured: 2-10-1 vs 2-300-100-1). */
const EXPLICIT_TRANSPOSE_MIN_WEIGHTS = 1024;

/**
 * A dense network's weights as TensorFlow variables, with a forward pass that issues the same
 * kernels as a tfjs-layers Dense stack (so predictions agree bit for bit with
 * `tf.loadLayersModel`) and a hand-written backward pass for mean squared error or binary
 * cross-entropy. It runs only for `trainer: 'tfjs'` (and predicts for the networks it trained);
 * the SIMD kernels train and predict otherwise, without TensorFlow.js.
 *
 * Why not autograd: recording a tape, and tfjs disabling its fused matmul+bias+activation
 * kernel whenever a gradient is being recorded, roughly doubles the kernel calls per batch. For
 * small nets each kernel call costs more than its arithmetic, so the call count is the speed.
 */
export class DenseNetwork {
  readonly spec: ResolvedNetwork;
  /** kernels[l] is [fanIn, units]; biases[l] is [units]. */
  readonly kernels: readonly Variable[];
  readonly biases: readonly Variable[];
  /** Engine-unique names, for optimizers: `applyGradients` finds variables by name. */
  readonly kernelNames: readonly string[];
  readonly biasNames: readonly string[];
  readonly #tf: Tf;

  /** `weights` alternate kernel, bias per layer, as `weightShapes` lists them. */
  constructor(tf: Tf, spec: ResolvedNetwork, weights: readonly Float32Array[]) {
    this.#tf = tf;
    this.spec = spec;
    const id = ++networksCreated;
    const shapes = weightShapes(spec);
    if (weights.length !== shapes.length) throw new Error(`expected ${shapes.length} weight arrays, got ${weights.length}`);
    const vars = shapes.map((shape, i) => {
      const w = weights[i] as Float32Array;
      if (w.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`weight ${i}: ${w.length} values for shape [${shape}]`);
      const initial = tf.tensor(w, shape, 'float32');
      const v = tf.variable(initial, true, `nn${id}/${weightName(i)}`);
      initial.dispose(); // the variable holds its own reference to the data
      return v;
    });
    this.kernels = vars.filter((_, i) => i % 2 === 0);
    this.biases = vars.filter((_, i) => i % 2 === 1);
    this.kernelNames = this.kernels.map((v) => v.name);
    this.biasNames = this.biases.map((v) => v.name);
  }

  /** Output [rows, 1]. Caller owns the result (and should call this inside tf.tidy). */
  forward(x: Tensor2D): Tensor2D {
    return this.activations(x)[this.spec.layers.length] as Tensor2D;
  }

  /**
   * One batch's gradients of MSE = SSE / rows, each multiplied by `outputScale / (2 / rows)`, and
   * the batch's SSE as a [1, 1] tensor (so an epoch's loss can be summed on the device and read
   * once). `outputScale` is d(loss)/d(output) per unit of error: 2 / rows gives the plain MSE
   * gradient; 2 * lr / rows gives the SGD step itself, saving a multiply per weight tensor.
   * With `loss` 'binaryCrossentropy' (a sigmoid output), the [1, 1] tensor is the batch's summed
   * cross-entropy and `outputScale` multiplies d(row loss)/d(pre-activation), which is p - y
   * where p lies within the clip bounds and 0 where it was clipped (loss.ts): 1 / rows gives
   * the mean's gradient, lr / rows the SGD step.
   * `explicitTranspose` uses only untransposed matmuls plus explicit transposes: the wasm backend
   * runs transposed matmuls in a slow generic loop but plain ones in XNNPACK, several times faster
   * even counting the transposes.
   * Call inside tf.tidy.
   */
  gradients(x: Tensor2D, y: Tensor2D, batch: BatchConstants, explicitTranspose = false, loss: LossName = 'mse'): { grads: NamedTensorMap; sse: Tensor2D } {
    const tf = this.#tf;
    const a = this.activations(x);
    const layers = this.spec.layers;
    const out = a[layers.length] as Tensor2D;
    let sse: Tensor2D;
    let d: Tensor2D;
    if (loss === 'mse') {
      const diff = tf.sub(out, y);
      // diff^T diff: the sum of squares in one matmul kernel instead of square + sum.
      sse = tf.matMul(diff, diff, true, false) as Tensor2D;
      d = tf.mul(diff, batch.outputScale);
    } else {
      sse = tf.matMul(batch.onesRow, binaryCrossentropyRows(tf, out, y)) as Tensor2D;
      const inside = tf.logicalAnd(tf.greaterEqual(out, BCE_EPSILON), tf.lessEqual(out, BCE_UPPER));
      d = tf.mul(tf.where(inside, tf.sub(out, y), tf.zerosLike(out)), batch.outputScale) as Tensor2D;
    }
    const grads: NamedTensorMap = {};
    for (let l = layers.length - 1; l >= 0; l--) {
      // Cross-entropy's delta is already through the sigmoid output.
      if (loss === 'mse' || l < layers.length - 1) d = activationBackward(tf, (layers[l] as { activation: Activation }).activation, d, a[l + 1] as Tensor2D);
      const input = a[l] as Tensor2D;
      const kernel = this.kernels[l] as Variable as Tensor2D;
      // Small products are cheaper in the slow loop than as extra transpose kernels.
      const explicit = explicitTranspose && kernel.size >= EXPLICIT_TRANSPOSE_MIN_WEIGHTS;
      grads[this.kernelNames[l] as string] = explicit ? tf.matMul(tf.transpose(input), d) : tf.matMul(input, d, true, false);
      // ones[1, rows] x d sums over rows in one plain matmul; sum(d, 0) transposes first.
      grads[this.biasNames[l] as string] = tf.reshape(tf.matMul(batch.onesRow, d), [d.shape[1]]);
      if (l > 0) {
        // d W^T as (W d^T)^T: transposes only [rows, units] blocks (rows = batch size, small),
        // never the [fanIn, units] weights, which cost more to transpose than to multiply.
        d = (explicit ? tf.transpose(tf.matMul(kernel, tf.transpose(d))) : tf.matMul(d, kernel, false, true)) as Tensor2D;
      }
    }
    return { grads, sse };
  }

  /** Copies of the current weights in `weightShapes` order (kernel, bias per layer). */
  readWeights(): Float32Array[] {
    const out: Float32Array[] = [];
    for (let l = 0; l < this.kernels.length; l++) {
      out.push(Float32Array.from((this.kernels[l] as Variable).dataSync() as Float32Array));
      out.push(Float32Array.from((this.biases[l] as Variable).dataSync() as Float32Array));
    }
    return out;
  }

  /** Device-side copies of the weights (cheap: no read back), for best-epoch snapshots. */
  snapshot(): Tensor[] {
    const tf = this.#tf;
    return this.kernels.flatMap((k, l) => [tf.clone(k), tf.clone(this.biases[l] as Variable)]);
  }

  /** Restores weights from a `snapshot` (which stays owned by the caller). */
  restore(snapshot: readonly Tensor[]): void {
    this.kernels.forEach((k, l) => {
      k.assign(snapshot[2 * l] as Tensor);
      (this.biases[l] as Variable).assign(snapshot[2 * l + 1] as Tensor);
    });
  }

  dispose(): void {
    for (const v of [...this.kernels, ...this.biases]) v.dispose();
  }

  /** a[0] = x, a[l + 1] = activation(a[l] W_l + b_l). */
  private activations(x: Tensor2D): Tensor2D[] {
    const tf = this.#tf;
    const a: Tensor2D[] = [x];
    this.spec.layers.forEach((layer, l) => {
      const input = a[l] as Tensor2D;
      const kernel = this.kernels[l] as Variable as Tensor2D;
      const bias = this.biases[l] as Variable;
      // Same split as tfjs-layers' Dense: relu and linear ride in the fused kernel, tanh and
      // sigmoid are applied after a separate bias add.
      if (layer.activation === 'relu' || layer.activation === 'linear') {
        a.push(tf.fused.matMul({ a: input, b: kernel, bias, activation: layer.activation }) as Tensor2D);
      } else {
        const z = tf.add(tf.fused.matMul({ a: input, b: kernel }), bias) as Tensor2D;
        a.push(layer.activation === 'tanh' ? tf.tanh(z) : tf.sigmoid(z));
      }
    });
    return a;
  }
}

/**
 * Each row's binary cross-entropy [rows, 1] of outputs `out` against targets `y`: the output
 * clipped to [1e-7, 1 - 1e-7], then -(y log p + (1 - y) log(1 - p)), as Keras writes it.
 */
export function binaryCrossentropyRows(tf: Tf, out: Tensor2D, y: Tensor2D): Tensor2D {
  const p = tf.clipByValue(out, BCE_EPSILON, BCE_UPPER);
  return tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))) as Tensor2D;
}

/** d(loss)/d(pre-activation) from d(loss)/d(output), written in terms of the output `out`. */
function activationBackward(tf: Tf, activation: Activation, d: Tensor2D, out: Tensor2D): Tensor2D {
  switch (activation) {
    case 'linear':
      return d;
    case 'relu':
      // out > 0 exactly where the pre-activation is > 0; tfjs' own relu gradient uses step too.
      return tf.mul(d, tf.step(out));
    case 'tanh':
      return tf.mul(d, tf.sub(1, tf.square(out)));
    case 'sigmoid':
      return tf.mul(d, tf.mul(out, tf.sub(1, out)));
  }
}

/** Per-batch-size constants of the backward pass, created once per fit. */
export interface BatchConstants {
  /** d(loss)/d(output) per unit of error, e.g. 2 / rows. */
  readonly outputScale: Scalar;
  /** ones [1, rows]: sums a [rows, units] tensor over rows in one matmul. */
  readonly onesRow: Tensor2D;
}

/** Shapes in save/parameter order: kernel [fanIn, units] then bias [units], layer by layer. */
export function weightShapes(spec: ResolvedNetwork): number[][] {
  let fanIn = spec.inputSize;
  return spec.layers.flatMap((layer) => {
    const shapes = [[fanIn, layer.units], [layer.units]];
    fanIn = layer.units;
    return shapes;
  });
}

/** Keras-style names, 1-based layers: dense_1/kernel, dense_1/bias, dense_2/kernel, ... */
export function weightName(index: number): string {
  return `dense_${Math.floor(index / 2) + 1}/${index % 2 === 0 ? 'kernel' : 'bias'}`;
}
