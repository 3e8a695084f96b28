import type { Optimizer, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tf';
import type { BatchConstants, DenseNetwork } from './dense-network';
import { EarlyStoppingRule } from './early-stopping';
import { shuffleInPlace, STREAM, uniform } from './seeded-random';
import type { ResolvedOptimizer } from './spec';

export interface EpochLog {
  /** 1-based. */
  readonly epoch: number;
  /** Mean of the epoch's batch MSEs weighted by batch size (Keras' `loss`). */
  readonly loss: number;
  /** Full-pass MSE on the validation rows after the epoch (Keras' `val_loss`). */
  readonly valLoss?: number;
}

export interface LoopSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly earlyStopping?: { readonly rule: EarlyStoppingRule; readonly restoreBestWeights: boolean };
  /** Called when the monitored loss reaches a new minimum (strictly lower), before the next epoch. */
  readonly onNewBest?: (epoch: number, value: number) => void;
  readonly onEpochEnd?: (log: EpochLog) => void;
}

export interface LoopResult {
  readonly loss: number[];
  readonly valLoss: number[] | undefined;
  readonly epochsRun: number;
  /** Epoch (1-based) with the lowest monitored loss (early stopping's own notion when it is on). */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly restoredBestWeights: boolean;
}

/**
 * Keras-style minibatch training with everything kept on the device: the data are tensors, an
 * epoch's order is one gather, each batch is two slices plus the network's hand-written backward
 * pass and an optimizer update inside one tidy, and the epoch's loss is summed on the device and
 * read back once per epoch. No per-batch await or read-back: each of those would cost more than
 * the whole batch step for small networks.
 */
export function trainLoop(
  tf: Tf,
  net: DenseNetwork,
  optimizerSpec: ResolvedOptimizer,
  train: { readonly x: Tensor2D; readonly y: Tensor2D },
  validation: { readonly x: Tensor2D; readonly y: Tensor2D } | undefined,
  settings: LoopSettings,
): LoopResult {
  const [n, features] = train.x.shape;
  const batchSize = Math.min(settings.batchSize, n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const draw = uniform(settings.seed, STREAM.shuffle);
  // Plain SGD folds the learning rate into d(loss)/d(output) (2 lr / rows instead of 2 / rows),
  // so each weight update is a single subtraction; Adam needs the true gradient.
  const sgd = optimizerSpec.name === 'sgd';
  const constants = (rows: number): BatchConstants => ({
    outputScale: tf.scalar(sgd ? (2 * optimizerSpec.learningRate) / rows : 2 / rows),
    onesRow: tf.ones([1, rows]),
  });
  const perSize = new Map<number, BatchConstants>([[batchSize, constants(batchSize)]]);
  if (n % batchSize !== 0) perSize.set(n % batchSize, constants(n % batchSize));
  const optimizer = sgd ? undefined : makeOptimizer(tf, optimizerSpec);
  const variables = [...net.kernels, ...net.biases];
  const explicitTranspose = tf.getBackend() === 'wasm';
  const loss: number[] = [];
  const valLoss: number[] | undefined = validation ? [] : undefined;
  let best: Tensor[] | undefined;
  let bestValue = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let stoppedEarly = false;
  let epoch = 0;
  try {
    while (epoch < settings.epochs && !stoppedEarly) {
      epoch += 1;
      let xs = train.x;
      let ys = train.y;
      if (settings.shuffle) {
        shuffleInPlace(order, draw);
        [xs, ys] = tf.tidy(() => {
          const idx = tf.tensor1d(order, 'int32');
          return [tf.gather(train.x, idx), tf.gather(train.y, idx)];
        });
      }
      // Batch SSEs stay on the device; one addN and one read per epoch.
      const batchSse: Tensor2D[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const rows = Math.min(batchSize, n - start);
        batchSse.push(
          tf.tidy(() => {
            const xb = tf.slice(xs, [start, 0], [rows, features]);
            const yb = tf.slice(ys, [start, 0], [rows, 1]);
            const { grads, sse } = net.gradients(xb, yb, perSize.get(rows) as BatchConstants, explicitTranspose);
            if (optimizer) optimizer.applyGradients(grads);
            else for (const v of variables) v.assign(tf.sub(v, grads[v.name] as Tensor));
            return sse;
          }),
        );
      }
      const sum = tf.addN(batchSse);
      const epochLoss = (sum.dataSync()[0] as number) / n;
      tf.dispose([sum, ...batchSse]);
      if (xs !== train.x) tf.dispose([xs, ys]);
      loss.push(epochLoss);
      let epochValLoss: number | undefined;
      if (validation && valLoss) {
        epochValLoss = meanSquaredError(tf, net, validation.x, validation.y);
        valLoss.push(epochValLoss);
      }
      const monitored = epochValLoss ?? epochLoss;
      if (monitored < bestValue) {
        bestValue = monitored;
        bestEpoch = epoch;
        settings.onNewBest?.(epoch, monitored);
      }
      const es = settings.earlyStopping;
      if (es) {
        const verdict = es.rule.observe(epoch, monitored);
        if (verdict.best && es.restoreBestWeights) {
          if (best) tf.dispose(best);
          best = net.snapshot();
        }
        stoppedEarly = verdict.stop;
      }
      settings.onEpochEnd?.({ epoch, loss: epochLoss, ...(epochValLoss === undefined ? {} : { valLoss: epochValLoss }) });
    }
    // Keras 3 restores the best weights when training ends, whether or not it stopped early.
    const restore = settings.earlyStopping?.restoreBestWeights === true && best !== undefined;
    if (restore) net.restore(best as Tensor[]);
    return {
      loss,
      valLoss,
      epochsRun: epoch,
      bestEpoch: settings.earlyStopping ? settings.earlyStopping.rule.bestEpoch : bestEpoch,
      stoppedEarly,
      restoredBestWeights: restore,
    };
  } finally {
    if (best) tf.dispose(best);
    tf.dispose([...perSize.values()].flatMap((c) => [c.outputScale, c.onesRow]));
    optimizer?.dispose();
  }
}

/** Mean squared error of the network on (x, y), in one pass. */
export function meanSquaredError(tf: Tf, net: DenseNetwork, x: Tensor2D, y: Tensor2D): number {
  const sse = tf.tidy(() => {
    const diff = tf.sub(net.forward(x), y);
    return tf.matMul(diff, diff, true, false);
  });
  const value = (sse.dataSync()[0] as number) / x.shape[0];
  sse.dispose();
  return value;
}

function makeOptimizer(tf: Tf, spec: ResolvedOptimizer): Optimizer {
  return spec.name === 'sgd'
    ? tf.train.sgd(spec.learningRate)
    : tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
}
