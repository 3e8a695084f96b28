import { shuffleOnKernels } from './simd/kernels';
import { shuffleInPlace, STREAM, streamState, uniform } from './seeded-random';

describe('the epoch shuffle in the kernels (shuffleMulberry)', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 33, 600, 5000])("gives shuffleInPlace with uniform(seed, stream)'s permutations, epoch after epoch (%p rows)", (n) => {
    for (const seed of [0, 1, 42, 2 ** 31 - 1, 2 ** 32 - 1, 123_456_789]) {
      const draw = uniform(seed, STREAM.shuffle);
      let state = streamState(seed, STREAM.shuffle);
      const plain = Int32Array.from({ length: n }, (_, i) => i);
      const kernel = plain.slice();
      for (let epoch = 0; epoch < 4; epoch++) {
        shuffleInPlace(plain, draw);
        state = shuffleOnKernels(kernel, state);
        expect(Array.from(kernel)).toEqual(Array.from(plain));
      }
      // The state advanced as the plain generator did: the next draw agrees too (j = 0 below 1/2 swaps).
      const next = new Int32Array([0, 1]);
      shuffleOnKernels(next, state);
      expect(Array.from(next)).toEqual(draw() < 0.5 ? [1, 0] : [0, 1]);
    }
  });

  it('shuffles: a permutation of the rows, not the identity', () => {
    const order = Int32Array.from({ length: 100 }, (_, i) => i);
    shuffleOnKernels(order, streamState(7, STREAM.shuffle));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
