import { UserError } from '@backtest/core';

/**
 * Sequence samples, row-major: sample r, step k, feature c is `data[(r * steps + k) * cols + c]`
 * (step 0 the oldest). What crosses a thread boundary without conversion.
 */
export interface SequenceSamples {
  readonly rows: number;
  readonly steps: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Checks shape and values; `what` names the data in the error ('training samples'). */
export function checkSamples(x: SequenceSamples, steps: number, inputs: number, what: string): void {
  if (!(Number.isInteger(x.rows) && x.rows >= 0)) throw new UserError(`${what}: rows must be a whole number, got ${x.rows}`);
  if (x.steps !== steps || x.cols !== inputs) {
    throw new UserError(`${what}: the network takes ${steps} steps of ${inputs} inputs but got ${x.steps} steps of ${x.cols}`);
  }
  if (x.data.length !== x.rows * steps * inputs) {
    throw new UserError(`${what}: ${x.rows} samples of ${steps} x ${inputs} need ${x.rows * steps * inputs} values, got ${x.data.length}`);
  }
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i] as number)) {
      const perRow = steps * inputs;
      const r = Math.floor(i / perRow);
      throw new UserError(`${what}: sample ${r}, step ${Math.floor((i % perRow) / inputs)}, feature ${i % inputs} is ${x.data[i]}`);
    }
  }
}

export function checkTargets(y: Float64Array, rows: number, target: 'price' | 'direction', what: string): void {
  if (y.length !== rows) throw new UserError(`${what}: ${rows} samples but ${y.length} targets`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) throw new UserError(`${what}: target ${i} is ${v}`);
    if (target === 'direction' && !(v >= 0 && v <= 1)) throw new UserError(`${what}: target ${i} is ${v}; a direction target is 0 (down) or 1 (up)`);
  }
}

/**
 * Keras' validation_split: training keeps the first floor(rows * (1 - fraction)) samples (the
 * oldest) and the rest, the latest, are held out, as Keras' `train_validation_split` does.
 * Returns that split point; both parts must be non-empty, as Keras requires.
 */
export function splitAt(rows: number, fraction: number): number {
  if (fraction === 0) return rows;
  const at = Math.floor(rows * (1 - fraction));
  if (at === 0 || at === rows) {
    throw new UserError(`validation ${fraction} of ${rows} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples; give more samples or another fraction`);
  }
  return at;
}

/** Samples [from, to) as float32 (what the tensors hold). */
export function sliceSamples(x: SequenceSamples, from: number, to: number): Float32Array {
  const perRow = x.steps * x.cols;
  return Float32Array.from(x.data.subarray(from * perRow, to * perRow));
}
