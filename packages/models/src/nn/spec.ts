import { UserError } from '@backtest/core';

export type Activation = 'relu' | 'linear' | 'tanh' | 'sigmoid';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'linear', 'tanh', 'sigmoid'];

interface DenseLayerSpec {
  readonly units: number;
  /** @default 'linear' (Keras' Dense default) */
  readonly activation?: Activation;
}

/** A stack of dense layers; the last must have one unit (the model forecasts one value). */
export interface NetworkSpec {
  readonly inputSize: number;
  readonly layers: readonly DenseLayerSpec[];
}

/** Keras' defaults: SGD lr 0.01 (no momentum); Adam lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
export type OptimizerSpec =
  | { readonly name: 'sgd'; readonly learningRate?: number }
  | {
      readonly name: 'adam';
      readonly learningRate?: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
    };

export type ResolvedOptimizer =
  | { readonly name: 'sgd'; readonly learningRate: number }
  | { readonly name: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number };

interface ResolvedLayer {
  readonly units: number;
  readonly activation: Activation;
}

export interface ResolvedNetwork {
  readonly inputSize: number;
  readonly layers: readonly ResolvedLayer[];
}

export function resolveNetwork(spec: NetworkSpec): ResolvedNetwork {
  if (!isPositiveInteger(spec.inputSize)) throw new UserError(`network: inputSize must be a positive integer, got ${spec.inputSize}`);
  if (spec.layers.length === 0) throw new UserError('network: needs at least one layer');
  const layers = spec.layers.map((layer, i) => {
    if (!isPositiveInteger(layer.units)) {
      throw new UserError(`network: layer ${i + 1} units must be a positive integer, got ${layer.units}`);
    }
    const activation = layer.activation ?? 'linear';
    if (!ACTIVATIONS.includes(activation)) {
      throw new UserError(`network: layer ${i + 1} activation "${activation}" is not one of ${ACTIVATIONS.join(', ')}`);
    }
    return { units: layer.units, activation };
  });
  const last = layers[layers.length - 1] as ResolvedLayer;
  if (last.units !== 1) throw new UserError(`network: the last layer must have 1 unit (one forecast per row), got ${last.units}`);
  return { inputSize: spec.inputSize, layers };
}

export function resolveOptimizer(spec: OptimizerSpec | 'sgd' | 'adam' = 'sgd'): ResolvedOptimizer {
  const s: OptimizerSpec = typeof spec === 'string' ? { name: spec } : spec;
  const positive = (what: string, v: number): number => {
    if (!(Number.isFinite(v) && v > 0)) throw new UserError(`optimizer ${s.name}: ${what} must be a positive number, got ${v}`);
    return v;
  };
  const fraction = (what: string, v: number): number => {
    if (!(v >= 0 && v < 1)) throw new UserError(`optimizer ${s.name}: ${what} must be in [0, 1), got ${v}`);
    return v;
  };
  if (s.name === 'sgd') return { name: 'sgd', learningRate: positive('learningRate', s.learningRate ?? 0.01) };
  if (s.name === 'adam') {
    return {
      name: 'adam',
      learningRate: positive('learningRate', s.learningRate ?? 0.001),
      beta1: fraction('beta1', s.beta1 ?? 0.9),
      beta2: fraction('beta2', s.beta2 ?? 0.999),
      epsilon: positive('epsilon', s.epsilon ?? 1e-7),
    };
  }
  throw new UserError(`unknown optimizer "${(s as { name: string }).name}": choose sgd or adam`);
}

export function isPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v > 0;
}
