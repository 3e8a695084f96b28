import type { SequenceArchitecture } from './architecture';

export interface SequenceWorkInput {
  readonly architecture: SequenceArchitecture | 'custom';
  /** LSTM/GRU units, Conv1D filters. */
  readonly units: number;
  readonly steps: number;
  readonly inputs: number;
  /** Samples per epoch (training and validation). */
  readonly rows: number;
  readonly epochs: number;
  /** Conv1D kernel size. @default 3 */
  readonly kernelSize?: number;
  /** A custom network's weight count (`SequenceNet.weights()` lengths summed); required for one. */
  readonly weights?: number;
}

/**
 * Multiply-adds of one fit, to decide whether fits are worth spreading over worker threads:
 * forward multiply-adds per sample, times 3 (the backward pass costs about twice the forward:
 * one product for the gradient of the inputs, one for the weights), times rows and epochs.
 * Per sample forward: LSTM steps * 4 units (inputs + units) + units; GRU the same with 3 gates;
 * Conv1D (steps - k + 1) * filters * k * inputs, plus the Dense head over the flattened
 * (steps - k + 1) * filters. A custom network counts each weight once per step, exact for a
 * recurrent layer, an overestimate for the layers after it. Elementwise work (activations,
 * gates) is left out: it is a few per cent of the products at any size worth threads.
 */
export function sequenceFitWork(w: SequenceWorkInput): number {
  const { units: u, steps, inputs } = w;
  let forward: number;
  if (typeof w.architecture === 'object' || w.architecture === 'custom') {
    if (w.weights === undefined) throw new RangeError('sequenceFitWork: a custom network needs its weight count');
    forward = w.weights * steps;
  } else if (w.architecture === 'lstm' || w.architecture === 'gru') {
    const gates = w.architecture === 'lstm' ? 4 : 3;
    forward = steps * gates * u * (inputs + u) + u;
  } else {
    const k = w.kernelSize ?? 3;
    const out = Math.max(0, steps - k + 1);
    forward = out * u * k * inputs + out * u;
  }
  return 3 * forward * w.rows * w.epochs;
}
