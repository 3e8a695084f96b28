import type { Optimizer, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tf';
import { type BatchConstants, binaryCrossentropyRows, type DenseNetwork } from './dense-network';
import type { LossName } from './loss';
import type { ResolvedOptimizer } from './spec';
import type { EpochRunner } from './train-loop';

/**
 * Epochs as TensorFlow.js kernels with everything kept on the device: the data are tensors, an
 * epoch's order is one gather, each batch is two slices plus the network's hand-written backward
 * pass and a weight update inside one tidy, and the epoch's loss is summed on the device and read
 * back once per epoch. No per-batch await or read-back: each would cost more than a small
 * network's whole batch step. Call `dispose` when done.
 */
export class TfjsRunner implements EpochRunner<Tensor[]> {
  readonly #tf: Tf;
  readonly #net: DenseNetwork;
  readonly #train: { readonly x: Tensor2D; readonly y: Tensor2D };
  readonly #validation: { readonly x: Tensor2D; readonly y: Tensor2D } | undefined;
  readonly #batchSize: number;
  readonly #perSize: Map<number, BatchConstants>;
  readonly #optimizer: Optimizer | undefined;
  readonly #explicitTranspose: boolean;
  readonly #loss: LossName;
  #initialLoss: number | undefined;

  constructor(
    tf: Tf,
    net: DenseNetwork,
    optimizer: ResolvedOptimizer,
    train: { readonly x: Tensor2D; readonly y: Tensor2D },
    validation: { readonly x: Tensor2D; readonly y: Tensor2D } | undefined,
    batchSize: number,
    loss: LossName = 'mse',
  ) {
    this.#tf = tf;
    this.#loss = loss;
    this.#net = net;
    this.#train = train;
    this.#validation = validation;
    const n = train.x.shape[0];
    this.#batchSize = Math.min(batchSize, n);
    // Plain SGD folds the learning rate into d(loss)/d(output) (2 lr / rows instead of 2 / rows),
    // so each weight update is a single subtraction; Adam needs the true gradient. (For
    // cross-entropy the factor is 1, not MSE's 2: see DenseNetwork.gradients.)
    const sgd = optimizer.name === 'sgd';
    const factor = loss === 'mse' ? 2 : 1;
    const constants = (rows: number): BatchConstants => ({
      outputScale: tf.scalar(sgd ? (factor * optimizer.learningRate) / rows : factor / rows),
      onesRow: tf.ones([1, rows]),
    });
    this.#perSize = new Map([[this.#batchSize, constants(this.#batchSize)]]);
    if (n % this.#batchSize !== 0) this.#perSize.set(n % this.#batchSize, constants(n % this.#batchSize));
    this.#optimizer = optimizer.name === 'sgd' ? undefined : tf.train.adam(optimizer.learningRate, optimizer.beta1, optimizer.beta2, optimizer.epsilon);
    this.#explicitTranspose = tf.getBackend() === 'wasm';
  }

  runEpoch(order: Int32Array): number {
    const tf = this.#tf;
    const [n, features] = this.#train.x.shape;
    const [xs, ys] = tf.tidy(() => {
      const idx = tf.tensor1d(order, 'int32');
      return [tf.gather(this.#train.x, idx), tf.gather(this.#train.y, idx)];
    });
    const variables = [...this.#net.kernels, ...this.#net.biases];
    // Batch losses (summed over rows) stay on the device; one addN and one read per epoch.
    const batchSse: Tensor2D[] = [];
    for (let start = 0; start < n; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, n - start);
      batchSse.push(
        tf.tidy(() => {
          const xb = tf.slice(xs, [start, 0], [rows, features]);
          const yb = tf.slice(ys, [start, 0], [rows, 1]);
          const { grads, sse } = this.#net.gradients(xb, yb, this.#perSize.get(rows) as BatchConstants, this.#explicitTranspose, this.#loss);
          if (this.#optimizer) this.#optimizer.applyGradients(grads);
          else for (const v of variables) v.assign(tf.sub(v, grads[v.name] as Tensor));
          return sse;
        }),
      );
    }
    const sum = tf.addN(batchSse);
    const sse = sum.dataSync()[0] as number;
    // The first batch's loss, read once per fit (the sum above has computed it already).
    if (this.#initialLoss === undefined && batchSse.length > 0) this.#initialLoss = (batchSse[0]!.dataSync()[0] as number) / Math.min(this.#batchSize, n);
    tf.dispose([sum, ...batchSse, xs, ys]);
    return sse;
  }

  validationLoss(): number {
    const v = this.#validation;
    return v ? networkLoss(this.#tf, this.#net, v.x, v.y, this.#loss) : Number.NaN;
  }

  snapshot(): Tensor[] {
    return this.#net.snapshot();
  }

  restore(snapshot: Tensor[]): void {
    this.#net.restore(snapshot);
  }

  initialLoss(): number {
    return this.#initialLoss ?? Number.NaN;
  }

  release(snapshot: Tensor[]): void {
    this.#tf.dispose(snapshot);
  }

  currentWeights(): Float32Array[] {
    return this.#net.readWeights();
  }

  dispose(): void {
    this.#tf.dispose([...this.#perSize.values()].flatMap((c) => [c.outputScale, c.onesRow]));
    this.#optimizer?.dispose();
  }
}

/** Mean squared error of the network on (x, y), in one pass. */
export function meanSquaredError(tf: Tf, net: DenseNetwork, x: Tensor2D, y: Tensor2D): number {
  return networkLoss(tf, net, x, y, 'mse');
}

/** Mean `loss` of the network on (x, y), in one pass. */
export function networkLoss(tf: Tf, net: DenseNetwork, x: Tensor2D, y: Tensor2D, loss: LossName): number {
  const sum = tf.tidy(() => {
    const out = net.forward(x);
    if (loss === 'binaryCrossentropy') return tf.sum(binaryCrossentropyRows(tf, out, y));
    const diff = tf.sub(out, y);
    return tf.matMul(diff, diff, true, false);
  });
  const value = (sum.dataSync()[0] as number) / x.shape[0];
  sum.dispose();
  return value;
}
