import type { Optimizer, Scalar, Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from '../tf';
import type { EpochRunner } from '../nn/train-loop';

export type LossName = 'mse' | 'binary_crossentropy';

/** Keras' backend epsilon: binary cross-entropy clips probabilities to [eps, 1 - eps]. */
const KERAS_EPSILON = 1e-7;

/**
 * Epochs of a tfjs-layers model with our own loop instead of `model.fit`, whose shuffle and
 * initializers draw from TensorFlow.js' unseeded generator: the driver (nn/train-loop.ts) gives
 * the seeded order, this gathers the samples in that order once per epoch, and each minibatch
 * is one `optimizer.minimize` (autograd through the layers, synchronous) inside one tf.tidy.
 * Batch losses (each taken before its update, as Keras reports them) stay on the device, are
 * weighted by batch size and read back once per epoch: a read per batch would stall the
 * backend for no gain. Call `dispose` when done.
 */
export class SequenceRunner implements EpochRunner<Tensor[]> {
  readonly #tf: Tf;
  readonly #model: LayersModel;
  readonly #optimizer: Optimizer;
  readonly #loss: LossName;
  readonly #train: { readonly x: Tensor3D; readonly y: Tensor2D };
  readonly #validation: { readonly x: Tensor3D; readonly y: Tensor2D } | undefined;
  readonly #batchSize: number;
  readonly #variables: Variable[];
  #initialLoss: number | undefined;

  constructor(
    tf: Tf,
    model: LayersModel,
    optimizer: Optimizer,
    loss: LossName,
    train: { readonly x: Tensor3D; readonly y: Tensor2D },
    validation: { readonly x: Tensor3D; readonly y: Tensor2D } | undefined,
    batchSize: number,
  ) {
    this.#tf = tf;
    this.#model = model;
    this.#optimizer = optimizer;
    this.#loss = loss;
    this.#train = train;
    this.#validation = validation;
    this.#batchSize = Math.min(batchSize, train.x.shape[0]);
    // LayerVariable.read() is the tfjs-core Variable itself (no copy): what the optimizer updates.
    this.#variables = model.trainableWeights.map((w) => w.read() as Variable);
  }

  runEpoch(order: Int32Array): number {
    const tf = this.#tf;
    const [n, steps, cols] = this.#train.x.shape;
    const [xs, ys] = tf.tidy(() => {
      const idx = tf.tensor1d(order, 'int32');
      return [tf.gather(this.#train.x, idx), tf.gather(this.#train.y, idx)];
    });
    const weighted: Tensor[] = [];
    try {
      for (let start = 0; start < n; start += this.#batchSize) {
        const rows = Math.min(this.#batchSize, n - start);
        weighted.push(
          tf.tidy(() => {
            const xb = tf.slice(xs, [start, 0, 0], [rows, steps, cols]);
            const yb = tf.slice(ys, [start, 0], [rows, 1]);
            const cost = this.#optimizer.minimize(() => this.objective(xb, yb, true), true, this.#variables) as Scalar;
            return tf.mul(cost, rows);
          }),
        );
      }
      const sum = tf.addN(weighted);
      const total = sum.dataSync()[0] as number;
      sum.dispose();
      // The first batch's loss, read once per fit.
      if (this.#initialLoss === undefined && weighted.length > 0) this.#initialLoss = (weighted[0]!.dataSync()[0] as number) / this.#batchSize;
      return total;
    } finally {
      tf.dispose([...weighted, xs, ys]);
    }
  }

  validationLoss(): number {
    const v = this.#validation;
    return v ? this.lossOn(v.x, v.y) : Number.NaN;
  }

  /** The loss of the current weights on (x, y) in one pass, regularization penalties included. */
  lossOn(x: Tensor3D, y: Tensor2D): number {
    const loss = this.#tf.tidy(() => this.objective(x, y, false));
    const value = loss.dataSync()[0] as number;
    loss.dispose();
    return value;
  }

  snapshot(): Tensor[] {
    return this.#model.weights.map((w) => this.#tf.clone(w.read()));
  }

  /** All weights, non-trainable ones (BatchNormalization's moving statistics) too, as Keras restores them. */
  restore(snapshot: Tensor[]): void {
    this.#model.weights.forEach((w, i) => (w.read() as Variable).assign(snapshot[i] as Tensor));
  }

  release(snapshot: Tensor[]): void {
    this.#tf.dispose(snapshot);
  }

  currentWeights(): Float32Array[] {
    return this.#model.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  }

  initialLoss(): number {
    return this.#initialLoss ?? Number.NaN;
  }

  dispose(): void {
    this.#optimizer.dispose();
  }

  /**
   * Keras' compiled loss: the mean over the batch of MSE or binary cross-entropy (probabilities
   * clipped to [1e-7, 1 - 1e-7], as Keras does), plus the model's regularization penalties
   * (tfjs-layers `calculateLosses`, what `model.fit` adds). Call inside tf.tidy.
   */
  private objective(x: Tensor3D, y: Tensor2D, training: boolean): Scalar {
    const tf = this.#tf;
    const out = this.#model.apply(x, { training }) as Tensor2D;
    let loss: Scalar;
    if (this.#loss === 'mse') {
      loss = tf.mean(tf.squaredDifference(out, y));
    } else {
      const p = tf.clipByValue(out, KERAS_EPSILON, 1 - KERAS_EPSILON);
      loss = tf.neg(tf.mean<Scalar>(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
    }
    for (const penalty of this.#model.calculateLosses()) loss = tf.add(loss, penalty);
    return loss;
  }
}
