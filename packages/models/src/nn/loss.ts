import { UserError } from '@backtest/core';
import type { ResolvedNetwork } from './spec';

/**
 * The losses a network trains on. 'mse': mean squared error (Keras' `mean_squared_error`), for
 * a numeric target. 'binaryCrossentropy': Keras' `binary_crossentropy` on probabilities, for a
 * 0/1 target (a direction) and a sigmoid output: the output p is clipped to
 * [BCE_EPSILON, 1 - BCE_EPSILON] and a row's loss is -(y log p + (1 - y) log(1 - p)).
 */
export type LossName = 'mse' | 'binaryCrossentropy';
const LOSSES: readonly LossName[] = ['mse', 'binaryCrossentropy'];

/** Keras' (and TensorFlow.js') fuzz factor `epsilon()`, 1e-7, as the float32 the kernels compare with. */
export const BCE_EPSILON = Math.fround(1e-7);
/** 1 - 1e-7 as a float32: the upper clip bound (the float32 nearest 1 - 1e-7). */
export const BCE_UPPER = Math.fround(1 - 1e-7);

/**
 * One row's binary cross-entropy for output `p` and target `y`, in float64. Clipping keeps the
 * loss finite (at most -log(1e-7), about 16.1, a row), as Keras does.
 */
export function bceRow(p: number, y: number): number {
  const c = Math.min(Math.max(p, BCE_EPSILON), BCE_UPPER);
  return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
}

/**
 * d(row loss)/d(pre-activation z) of a sigmoid output p = sigmoid(z) under binary
 * cross-entropy: d/dp = (p - y) / (p (1 - p)) times the sigmoid's slope p (1 - p) is p - y,
 * written without the division (which loses precision as p nears 0 or 1). Where p was clipped
 * the loss does not depend on p, so the gradient is 0, as the clip's gradient in TensorFlow and
 * TensorFlow.js is (it passes values inside the bounds, the bounds included). NaN stays NaN, so
 * a diverged network is still seen to diverge.
 */
export function bceOutputSlope(p: number, y: number): number {
  if (Number.isNaN(p)) return p;
  return p >= BCE_EPSILON && p <= BCE_UPPER ? p - y : 0;
}

/** Loss of forecasting probability 0.5 on every row, ln 2, whatever the targets: the untrained-scale of binary cross-entropy. */
export const BCE_COIN_FLIP = Math.LN2;

/** `loss` checked: a known name, and binary cross-entropy only on a sigmoid output. */
export function resolveLoss(loss: LossName | undefined, network: ResolvedNetwork): LossName {
  const name = loss ?? 'mse';
  if (!LOSSES.includes(name)) throw new UserError(`loss must be one of ${LOSSES.join(', ')}, got "${String(name)}"`);
  const last = network.layers[network.layers.length - 1];
  // With any other output, a row whose output leaves (0, 1) is clipped and stops learning
  // altogether: a fit that silently goes nowhere. A sigmoid output always lies in (0, 1).
  if (name === 'binaryCrossentropy' && last?.activation !== 'sigmoid') {
    throw new UserError(`loss binaryCrossentropy needs a sigmoid output layer (a probability), but the last layer's activation is ${last?.activation ?? 'missing'}`);
  }
  return name;
}

/** Binary cross-entropy trains on probabilities: every target must lie in [0, 1] (0/1 for a direction). */
export function checkTargets(loss: LossName, y: ArrayLike<number>, what: string): void {
  if (loss !== 'binaryCrossentropy') return;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!(v >= 0 && v <= 1)) throw new UserError(`${what}: binaryCrossentropy needs targets in [0, 1] (0 or 1 for a direction), but row ${i + 1} is ${v}`);
  }
}
