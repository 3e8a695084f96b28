import { UserError } from '@backtest/core';
import { groupDigits } from '@backtest/core/internal';
import { BCE_COIN_FLIP, type LossName } from './loss';
import type { NetworkSpec, ResolvedOptimizer } from './spec';

/**
 * The two ways a network fit fails on the user's settings rather than on a bug: a network too
 * big to hold in memory, and training that diverges (a learning rate too high for the data).
 * Both are `UserError`s (exit code 2) that say which setting to change, and both cross a worker
 * thread as their details (`faultDetails` / `faultFromDetails`), so a fit that fails on a worker
 * gives the same error as in this thread.
 */

/**
 * Training on mean squared error has diverged when an epoch's training loss is not finite, or
 * is more than this many times the loss before training (the larger of the untrained network's
 * loss on the first batch and the mean square of the targets, the loss of forecasting 0).
 * Healthy fits stay within a few times it; a learning rate too high runs to NaN or to 1e9
 * times it within an epoch or two.
 */
export const DIVERGENCE_FACTOR = 1e6;

/**
 * The same rule for binary cross-entropy, whose scale is another: its loss before training is
 * about ln 2 = 0.69 (a probability near 0.5 on every row), whatever the targets, and the clip
 * bounds it at -ln(1e-7) = 16.1 a row, so it can never grow a millionfold. A learning rate too
 * high drives the sigmoid into saturation instead: outputs of exactly 0 or 1, clipped, whose
 * gradient is 0, so those rows stop learning for good, each costing 16.1. An epoch loss over
 * this many times the larger of ln 2 and the untrained loss (2.8 or more: at least 17% of the
 * rows confidently wrong, far worse than forecasting 0.5 everywhere) is that. Fits that learn
 * stay below ln 2 after their first epochs; a rate high enough to make the loss jump yet still
 * recover stays well under 4 times it (nn-model.test.ts and fit-faults.test.ts hold both ends).
 */
export const CROSS_ENTROPY_DIVERGENCE_FACTOR = 4;

/**
 * The training loss above which an epoch counts as diverged, for `loss`, from the untrained
 * network's loss `before` (NaN when unknown) and the targets' mean square (used by 'mse' only).
 */
export function divergenceThreshold(loss: LossName, before: number, targetMeanSquare = 0): number {
  if (loss === 'binaryCrossentropy') return CROSS_ENTROPY_DIVERGENCE_FACTOR * Math.max(BCE_COIN_FLIP, Number.isNaN(before) ? 0 : before);
  return DIVERGENCE_FACTOR * Math.max(targetMeanSquare, before);
}

export interface DivergenceDetails {
  /** 1-based epoch whose loss gave it away. */
  readonly epoch: number;
  readonly monitor: 'training loss' | 'validation loss';
  /** NaN, Infinity, or a finite loss over `divergenceThreshold` (DIVERGENCE_FACTOR times `before` for MSE). */
  readonly value: number;
  /** The untrained network's loss (on its first batch), when known. */
  readonly before?: number;
  readonly optimizer: ResolvedOptimizer['name'];
  readonly learningRate: number;
  /** The learning rate is the optimizer's default (none was given). */
  readonly defaultLearningRate: boolean;
  /** Context added on the way out: the fit's index (0-based), its refit period, the strategy. */
  readonly fit?: number;
  readonly refit?: string;
  readonly strategy?: string;
}

const loss = (v: number): string => (Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e4 ? v.toPrecision(3) : String(Number(v.toPrecision(3))));

/**
 * `strategy "nn-sma": fit 3 (refit at 1994-01) diverged at epoch 2 (training loss NaN): lower
 * learningRate (now 1.5)`; without the context, `network training diverged at ...`.
 */
function divergenceMessage(d: DivergenceDetails): string {
  const who = d.fit === undefined ? 'network training' : `fit ${d.fit}${d.refit ? ` (refit at ${d.refit})` : ''}`;
  const up = Number.isFinite(d.value) && d.before !== undefined ? `, up from ${loss(d.before)} before training` : '';
  const rate = `${d.learningRate}${d.defaultLearningRate ? `, the ${d.optimizer} default` : ''}`;
  return `${d.strategy ? `strategy "${d.strategy}": ` : ''}${who} diverged at epoch ${d.epoch} (${d.monitor} ${loss(d.value)}${up}): lower learningRate (now ${rate})`;
}

/** A fit whose training diverged; `details` say where and at which learning rate. */
export class NetworkDivergedError extends UserError {
  readonly details: DivergenceDetails;
  constructor(details: DivergenceDetails) {
    super(divergenceMessage(details));
    this.name = 'NetworkDivergedError';
    this.details = details;
  }
  /** The same fault with more context (the fit's index, its refit period, the strategy). */
  withContext(context: Pick<DivergenceDetails, 'fit' | 'refit' | 'strategy'>): NetworkDivergedError {
    return new NetworkDivergedError({ ...this.details, ...context });
  }
}

/** The most memory one network fit may use, in bytes: 1 GB (about 35 million weights with SGD, 22 million with Adam). */
export const MAX_FIT_BYTES = 1e9;

export interface FitSize {
  /** Kernel and bias weights of the network. */
  readonly weights: number;
  /** Estimated peak bytes of one fit (see `fitSize`). */
  readonly bytes: number;
  /** The part of `bytes` that is a batch's activations and deltas. */
  readonly batchBytes: number;
  /** `2-300-100-1`. */
  readonly layers: string;
}

/**
 * The weights of a dense stack and the memory one fit of it needs at most, whichever trainer
 * runs it, estimated without allocating anything: per weight 4 bytes for the initial weights,
 * 4 for the trainer's copy, 8 for gradients (float64 in the tests' fused oracle), 4 for the SIMD
 * trainer's transposed kernel, 8 for the fitted network that predicts (its weights, and their
 * copy in the kernels' memory or a tensor), 16 more for Adam's two moments (float64 in the
 * oracle) and 4 for early stopping's best weights; plus a batch's activations and deltas (12
 * bytes per unit and row, input included).
 */
export function fitSize(network: NetworkSpec, options: { readonly optimizer: ResolvedOptimizer['name']; readonly batchRows: number; readonly earlyStopping?: boolean }): FitSize {
  let fanIn = network.inputSize;
  let weights = 0;
  let units = network.inputSize;
  for (const layer of network.layers) {
    weights += fanIn * layer.units + layer.units;
    units += layer.units;
    fanIn = layer.units;
  }
  const perWeight = 28 + (options.optimizer === 'adam' ? 16 : 0) + (options.earlyStopping ? 4 : 0);
  const batchBytes = 12 * Math.max(0, options.batchRows) * units;
  return { weights, bytes: weights * perWeight + batchBytes, batchBytes, layers: [network.inputSize, ...network.layers.map((l) => l.units)].join('-') };
}

const SIZE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
function formatBytes(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < SIZE_UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : Number(v.toPrecision(3))} ${SIZE_UNITS[u]}`;
}

/** A network (or batch) too big for one fit; `size` has the weights and the estimate. */
export class NetworkTooLargeError extends UserError {
  readonly size: FitSize;
  constructor(size: FitSize, advice = 'use fewer or smaller hidden layers') {
    super(
      `a ${size.layers} network has ${groupDigits(size.weights)} weights: a fit would need about ${formatBytes(size.bytes)} ` +
        `(weights, gradients, optimizer state and a batch's activations), more than the ${formatBytes(MAX_FIT_BYTES)} a fit may use; ${advice}`,
    );
    this.name = 'NetworkTooLargeError';
    this.size = size;
  }
}

/** Throws a NetworkTooLargeError when one fit of `network` would need more than MAX_FIT_BYTES. */
export function checkFitSize(network: NetworkSpec, options: Parameters<typeof fitSize>[1]): FitSize {
  const size = fitSize(network, options);
  if (!(size.bytes <= MAX_FIT_BYTES)) {
    const batch = size.batchBytes > MAX_FIT_BYTES / 2 ? 'use a smaller batchSize, or fewer or smaller hidden layers' : undefined;
    throw new NetworkTooLargeError(size, batch);
  }
  return size;
}

/** What crosses a thread boundary for one of these faults (structured-clonable). */
export type FaultDetails = { readonly fault: 'diverged'; readonly details: DivergenceDetails } | { readonly fault: 'too-large'; readonly size: FitSize; readonly message: string };

export function faultDetails(err: unknown): FaultDetails | undefined {
  if (err instanceof NetworkDivergedError) return { fault: 'diverged', details: err.details };
  if (err instanceof NetworkTooLargeError) return { fault: 'too-large', size: err.size, message: err.message };
  return undefined;
}

/** The error `faultDetails` described, rebuilt on this side of the thread boundary. */
export function faultFromDetails(f: FaultDetails): NetworkDivergedError | NetworkTooLargeError {
  if (f.fault === 'diverged') return new NetworkDivergedError(f.details);
  const e = new NetworkTooLargeError(f.size);
  e.message = f.message;
  return e;
}
