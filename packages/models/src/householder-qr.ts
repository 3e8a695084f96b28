/**
 * Least squares by Householder QR. Solving R b = Q^T y never forms X^T X, so the error grows
 * with the condition number of X rather than its square (what the normal equations cost): that
 * is what lets OLS agree with statsmodels to 1e-9 on correlated inputs such as close and its SMA.
 */

/** Column `column` (0-based) of the design matrix lies in the span of the columns before it. */
export class RankDeficiencyError extends Error {
  readonly column: number;
  constructor(column: number) {
    super(`design matrix column ${column + 1} is a linear combination of the columns before it`);
    this.name = 'RankDeficiencyError';
    this.column = column;
  }
}

export interface LeastSquaresSolution {
  /** The p coefficients minimising ||A b - y||. */
  readonly coefficients: Float64Array;
  /** R^{-1} (p x p, upper triangular, row-major): (A^T A)^{-1} = R^{-1} R^{-T}. */
  readonly rInverse: Float64Array;
}

/**
 * Solves min ||A b - y|| for A of n rows and p columns (row-major, n >= p, full column rank).
 * Column k is declared dependent when what is left of it after removing its components along
 * columns 0..k-1 is below `max(n, p) * 10 * eps` of its original length, a relative rule that
 * does not care how each column is scaled.
 */
export function solveLeastSquares(a: Float64Array, n: number, p: number, y: Float64Array): LeastSquaresSolution {
  if (n < p) throw new RangeError(`least squares needs at least as many rows (${n}) as columns (${p})`);
  // Column-major working copy: each Householder step walks down columns.
  const w = new Float64Array(n * p);
  const originalNorm = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) w[j * n + i] = a[i * p + j] as number;
    originalNorm[j] = norm(w, j * n, n);
  }
  const qty = Float64Array.from(y);
  const diag = new Float64Array(p);
  const tol = Math.max(n, p) * 10 * Number.EPSILON;

  for (let k = 0; k < p; k++) {
    const col = k * n;
    const remaining = norm(w, col + k, n - k);
    if (remaining === 0 || remaining <= tol * (originalNorm[k] as number)) throw new RankDeficiencyError(k);
    const head = w[col + k] as number;
    // Reflect onto -sign(head) * e_k so that head - alpha never cancels.
    const alpha = head > 0 ? -remaining : remaining;
    w[col + k] = head - alpha;
    let vtv = 0;
    for (let i = k; i < n; i++) vtv += (w[col + i] as number) ** 2;
    for (let j = k + 1; j < p; j++) reflect(w, col, k, n, vtv, w, j * n);
    reflect(w, col, k, n, vtv, qty, 0);
    diag[k] = alpha;
  }

  // R[i][j] = w[j * n + i] above the diagonal, diag[i] on it.
  const rAt = (i: number, j: number): number => (i === j ? (diag[i] as number) : (w[j * n + i] as number));
  const coefficients = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = qty[i] as number;
    for (let j = i + 1; j < p; j++) s -= rAt(i, j) * (coefficients[j] as number);
    coefficients[i] = s / rAt(i, i);
  }
  // Back substitution for each column of the identity gives R^{-1}, also upper triangular.
  const rInverse = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let i = c; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let j = i + 1; j <= c; j++) s -= rAt(i, j) * (rInverse[j * p + c] as number);
      rInverse[i * p + c] = s / rAt(i, i);
    }
  }
  return { coefficients, rInverse };
}

/** Applies H = I - 2 v v^T / (v^T v), v = w[col + k .. col + n), to target[off + k .. off + n). */
function reflect(w: Float64Array, col: number, k: number, n: number, vtv: number, target: Float64Array, off: number): void {
  let s = 0;
  for (let i = k; i < n; i++) s += (w[col + i] as number) * (target[off + i] as number);
  const f = (2 * s) / vtv;
  for (let i = k; i < n; i++) target[off + i] = (target[off + i] as number) - f * (w[col + i] as number);
}

/** Euclidean norm of `len` values from `start`, scaled by the largest so squares cannot overflow. */
function norm(v: Float64Array, start: number, len: number): number {
  let scale = 0;
  for (let i = start; i < start + len; i++) scale = Math.max(scale, Math.abs(v[i] as number));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = start; i < start + len; i++) s += ((v[i] as number) / scale) ** 2;
  return scale * Math.sqrt(s);
}
