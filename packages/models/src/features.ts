import { UserError } from '@backtest/core';
import type { FeatureMatrix, Features, Target } from './model';

/**
 * Turns any accepted feature layout into one packed row-major matrix, rejecting ragged rows and
 * non-finite values here so that every model reports bad input the same way (row and column
 * numbers are 1-based, as a user would count them).
 */
export function toFeatureMatrix(x: Features, what = 'features'): FeatureMatrix {
  let m: FeatureMatrix;
  if (x instanceof Float64Array) {
    m = { rows: x.length, cols: 1, data: x };
  } else if (isFeatureMatrix(x)) {
    if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0 || x.data.length !== x.rows * x.cols) {
      throw new UserError(`${what}: a packed matrix of ${x.rows} x ${x.cols} needs ${x.rows * x.cols} values, got ${x.data.length}`);
    }
    m = x;
  } else {
    const rows = x.length;
    const cols = rows > 0 ? (x[0] as readonly number[]).length : 0;
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = x[r] as readonly number[];
      if (row.length !== cols) {
        throw new UserError(`${what}: row ${r + 1} has ${row.length} values but row 1 has ${cols}`);
      }
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c] as number;
    }
    m = { rows, cols, data };
  }
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i] as number;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / m.cols);
      throw new UserError(`${what}: row ${r + 1}, column ${i - r * m.cols + 1} is ${v}; drop rows with missing values before fitting`);
    }
  }
  return m;
}

/** Copies the target into a Float64Array after checking its length and that every value is finite. */
export function toTarget(y: Target, rows: number, what = 'target'): Float64Array {
  if (y.length !== rows) throw new UserError(`${what}: has ${y.length} values but the features have ${rows} rows`);
  const out = Float64Array.from(y);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i] as number)) {
      throw new UserError(`${what}: row ${i + 1} is ${out[i]}; drop rows with missing values before fitting`);
    }
  }
  return out;
}

function isFeatureMatrix(x: Features): x is FeatureMatrix {
  return !Array.isArray(x) && !(x instanceof Float64Array);
}
