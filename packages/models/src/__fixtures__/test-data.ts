/**
 * Shared deterministic data for the network tests (a fixture: excluded from the build). It has
 * its own generator so expected values never depend on the PRNG under test.
 */
export function testUniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows of two features uniform on [-1, 1]. */
export function featureRows(n: number, seed: number): number[][] {
  const u = testUniforms(seed);
  return Array.from({ length: n }, () => [2 * u() - 1, 2 * u() - 1]);
}

/** The known linear function the tests ask networks to learn. */
export const linearTarget = ([x1, x2]: readonly number[]): number => 0.5 * (x1 as number) - 0.3 * (x2 as number) + 0.1;
