/**
 * Input checks shared by every metric. Callers (engine, reports, compare) must never pass NaN:
 * a NaN return usually means a data or alignment bug upstream, and silently skipping it would
 * shift every period after it. So we fail loudly with a RangeError that names the series and
 * the offending index instead of producing a plausible-looking but wrong number.
 */

/** A numeric series: `Float64Array` in the engine, plain arrays in tests and scripts. */
export type Series = ArrayLike<number>;

/** Throws a RangeError if any element of `values` is NaN or infinite. */
export function assertFinite(name: string, values: Series): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new RangeError(`${name}[${i}] is ${String(v)}; metrics need finite numbers (no NaN or Infinity)`);
    }
  }
}

/** Throws a RangeError unless `values` has exactly `length` elements. */
export function assertLength(name: string, values: Series, length: number, against = 'returns'): void {
  if (values.length !== length) {
    throw new RangeError(`${name} has ${values.length} elements but ${against} has ${length}; they must cover the same periods`);
  }
}

/** Throws a RangeError unless `value` is a finite number > 0 (e.g. periods per year). */
export function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

/**
 * Expands a cash (risk-free) return given as a constant or a per-period series into a
 * per-period accessor, validating it against the series length `n`.
 */
export function cashAccessor(cash: Series | number | undefined, n: number): (i: number) => number {
  if (cash === undefined) return () => 0;
  if (typeof cash === 'number') {
    if (!Number.isFinite(cash)) throw new RangeError(`cash must be finite, got ${String(cash)}`);
    return () => cash;
  }
  assertLength('cash', cash, n);
  assertFinite('cash', cash);
  return (i) => cash[i] as number;
}
