/**
 * Seeded uniform draws. Every random choice a network fit makes (initial weights, epoch order)
 * comes from here rather than Math.random or TensorFlow's global RNG, so one seed reproduces a
 * fit bit for bit. Separate streams per purpose mean that, say, changing the number of epochs
 * never changes the initial weights.
 */
import { mulberry32 } from '@backtest/metrics';

export type Uniform = () => number;

/** Streams a fit draws from; the value salts the seed. */
export const STREAM = { initialWeights: 1, shuffle: 2 } as const;

/** mulberry32: tiny, fast, and passes the statistical tests that matter for shuffling/initialising. */
export function uniform(seed: number, stream: number): Uniform {
  // Mix seed and stream with a multiplicative hash so nearby seeds give unrelated sequences.
  return mulberry32(streamState(seed, stream)).next;
}

/**
 * The state mulberry32 starts from for `uniform(seed, stream)`: what `shuffleOnKernels`
 * (simd/kernels.ts) takes to draw that stream's numbers in WebAssembly.
 */
export function streamState(seed: number, stream: number): number {
  return Math.imul((seed >>> 0) ^ Math.imul(stream, 0x9e3779b9), 0x85ebca6b) >>> 0;
}

/** In-place Fisher-Yates shuffle: every permutation equally likely given uniform draws. */
export function shuffleInPlace(values: Int32Array, u: Uniform): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = values[i] as number;
    values[i] = values[j] as number;
    values[j] = t;
  }
}

/**
 * Keras' glorot_uniform: U(-limit, limit) with limit = sqrt(6 / (fanIn + fanOut)), drawn in
 * row-major [fanIn, fanOut] order.
 */
export function glorotUniform(fanIn: number, fanOut: number, u: Uniform): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * u() - 1) * limit;
  return out;
}
