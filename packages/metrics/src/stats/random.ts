/**
 * A small seeded pseudo-random generator, so that bootstrap results are reproducible from a
 * seed on every platform and independent of Math.random.
 *
 * mulberry32 (Tommy Ettinger, 2017; public domain): a 32-bit state advanced by a Weyl sequence
 * (+0x6D2B79F5) and scrambled by two multiply-xorshift rounds. Period 2^32, passes
 * gjrand/PractRand to a few GB, which is ample for bootstrap resampling (a 10,000-sample
 * bootstrap of 600 months draws ~6 million numbers).
 */

// Bound once at module scope: inside a vm context (Jest) every `Math.x` lookup in the hot loop
// goes through the global object's interceptor and makes the generator ~50x slower.
const imul = Math.imul;
const floor = Math.floor;

export interface Rng {
  /** Uniform on [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n) (bias below n / 2^32, negligible for series lengths). */
  nextInt(n: number): number;
}

/** Creates a mulberry32 generator; any finite number is accepted as seed (taken mod 2^32). */
export function mulberry32(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = imul(state ^ (state >>> 15), 1 | state);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / 4294967296,
    nextInt: (n: number) => floor((nextUint32() / 4294967296) * n),
  };
}
