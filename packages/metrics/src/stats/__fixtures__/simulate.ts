/** Test-only simulation helpers (excluded from the build). */
import type { Rng } from '../random';

// Module-scope bindings: Math lookups inside Jest's vm context are slow in hot loops.
const { sqrt, log, cos, PI } = Math;

/** Standard normal draw by the Box-Muller transform. */
export function gaussian(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return sqrt(-2 * log(u)) * cos(2 * PI * rng.next());
}

/** AR(1) series x_t = phi x_{t-1} + e_t, e ~ N(0, 1), started from its stationary law. */
export function ar1(rng: Rng, n: number, phi: number): Float64Array {
  const x = new Float64Array(n);
  let prev = gaussian(rng) / Math.sqrt(1 - phi * phi);
  for (let t = 0; t < n; t++) {
    prev = phi * prev + gaussian(rng);
    x[t] = prev;
  }
  return x;
}
