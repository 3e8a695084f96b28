import type { NetworkSpec } from '@backtest/models';

/** A network of the article, with the name its figures and tables use. */
export interface StudyNetwork {
  readonly id: 'small' | 'neuron' | 'deep';
  readonly title: string;
  readonly inputs: readonly string[];
  readonly spec: NetworkSpec;
  /** Which experiments train it. */
  readonly experiments: readonly number[];
}

const INPUTS = ['close (z)', 'SMA (z)'] as const;

export const SMALL_NETWORK: StudyNetwork = {
  id: 'small',
  title: '2 → 10 (ReLU) → 1 (linear)',
  inputs: INPUTS,
  spec: {
    inputSize: 2,
    layers: [
      { units: 10, activation: 'relu' },
      { units: 1, activation: 'linear' },
    ],
  },
  experiments: [1, 2, 3],
};

export const SINGLE_NEURON: StudyNetwork = {
  id: 'neuron',
  title: '2 → 1 (linear): a single neuron',
  inputs: INPUTS,
  spec: { inputSize: 2, layers: [{ units: 1, activation: 'linear' }] },
  experiments: [4],
};

/** The article says "ReLU" for the network; the output of a regression stays linear, as in Keras' Dense default. */
export const DEEP_NETWORK: StudyNetwork = {
  id: 'deep',
  title: '2 → 300 (ReLU) → 100 (ReLU) → 1 (linear)',
  inputs: INPUTS,
  spec: {
    inputSize: 2,
    layers: [
      { units: 300, activation: 'relu' },
      { units: 100, activation: 'relu' },
      { units: 1, activation: 'linear' },
    ],
  },
  experiments: [5],
};

export const STUDY_NETWORKS: readonly StudyNetwork[] = [SMALL_NETWORK, SINGLE_NEURON, DEEP_NETWORK];

/** Plain SGD at Keras' default rate, as the article trains every network. */
export const OPTIMIZER = { name: 'sgd', learningRate: 0.01 } as const;
export const BATCH_SIZE = 32;
