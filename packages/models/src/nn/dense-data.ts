import { bceRow, type LossName } from './loss';

/** Rows of float32 features (row-major) and targets: what the JavaScript-driven runners train on. */
export interface DenseData {
  readonly rows: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/** Copies rows order[start .. start + rows) of `data.x` into `input`, one after another. */
export function gatherBatch(data: DenseData, features: number, order: Int32Array, start: number, rows: number, input: Float32Array): void {
  const { x } = data;
  for (let r = 0; r < rows; r++) {
    const src = (order[start + r] as number) * features;
    for (let c = 0; c < features; c++) input[r * features + c] = x[src + c] as number;
  }
}

/**
 * Mean `loss` (squared error, or binary cross-entropy) of a one-output network over `data`,
 * forwarded in chunks of `batchSize` rows: each chunk is copied into `input`, `forward(rows)`
 * fills `output`. Sums in float64.
 */
export function chunkedLoss(
  data: DenseData,
  features: number,
  batchSize: number,
  input: Float32Array,
  output: Float32Array,
  forward: (rows: number) => void,
  loss: LossName = 'mse',
): number {
  let sum = 0;
  for (let start = 0; start < data.rows; start += batchSize) {
    const rows = Math.min(batchSize, data.rows - start);
    input.set(data.x.subarray(start * features, (start + rows) * features));
    forward(rows);
    if (loss === 'mse') for (let r = 0; r < rows; r++) sum += ((output[r] as number) - (data.y[start + r] as number)) ** 2;
    else for (let r = 0; r < rows; r++) sum += bceRow(output[r] as number, data.y[start + r] as number);
  }
  return sum / data.rows;
}
