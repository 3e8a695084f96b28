import { initBackend } from '../backend';
import { SequenceNet } from './sequence-net';
import type { SequenceSamples } from './samples';

/**
 * One forward pass of tiny networks with fixed weights against the equations in plain float64
 * JavaScript: checks the layers we build compute what the docs say (gate order, GRU convention,
 * activations, Conv1D valid padding and Flatten order).
 */

beforeAll(async () => {
  await initBackend('cpu');
});

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Deterministic "random" weights in [-0.8, 0.8]. */
function fixed(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.8 * Math.sin(1.7 * i + salt * 2.3 + 0.4));
}

/** x [steps][inputs] . W [inputs, cols] (row-major) + h [units] . U [units, cols] + b. */
function gates(x: ArrayLike<number>, w: Float32Array, h: ArrayLike<number>, u: Float32Array, b: Float32Array, cols: number): number[] {
  const z = Array.from(b, Number);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < x.length; i++) z[c]! += (x[i] as number) * (w[i * cols + c] as number);
    for (let j = 0; j < h.length; j++) z[c]! += (h[j] as number) * (u[j * cols + c] as number);
  }
  return z;
}

const samples: SequenceSamples = {
  rows: 2,
  steps: 3,
  cols: 2,
  data: Float64Array.from([0.5, -1, 0.25, 0.75, -0.5, 1.5, /* sample 2 */ 1, 0.2, -0.3, -0.9, 0.6, 0.1]),
};
const step = (r: number, k: number): number[] => Array.from(samples.data.subarray((r * 3 + k) * 2, (r * 3 + k + 1) * 2));

test('LSTM (units 2, steps 3, inputs 2) -> Dense(1) matches the LSTM equations, gates i, f, c, o', () => {
  const units = 2;
  const net = new SequenceNet({ architecture: 'lstm', units, steps: 3, inputs: 2 });
  const [w, u, b, dw, db] = [fixed(2 * 4 * units, 1), fixed(units * 4 * units, 2), fixed(4 * units, 3), fixed(units, 4), fixed(1, 5)];
  net.setWeights([w, u, b, dw, db]);
  expect(net.weightNames()).toEqual(['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias']);
  const got = net.predict(samples);
  for (let r = 0; r < samples.rows; r++) {
    let h = [0, 0];
    let c = [0, 0];
    for (let k = 0; k < 3; k++) {
      const z = gates(step(r, k), w, h, u, b, 4 * units);
      const at = (g: number, j: number): number => z[g * units + j] as number;
      c = c.map((cj, j) => sigmoid(at(1, j)) * cj + sigmoid(at(0, j)) * Math.tanh(at(2, j)));
      h = c.map((cj, j) => sigmoid(at(3, j)) * Math.tanh(cj));
    }
    const expected = h.reduce((s, hj, j) => s + hj * (dw[j] as number), db[0] as number);
    expect(Math.abs((got[r] as number) - expected)).toBeLessThan(1e-5);
  }
  net.dispose();
});

test("GRU matches tfjs-layers' convention, reset_after = false: the reset gate scales h before its product", () => {
  const units = 2;
  const net = new SequenceNet({ architecture: 'gru', units, steps: 3, inputs: 2 });
  const [w, u, b, dw, db] = [fixed(2 * 3 * units, 6), fixed(units * 3 * units, 7), fixed(3 * units, 8), fixed(units, 9), fixed(1, 10)];
  net.setWeights([w, u, b, dw, db]);
  const got = net.predict(samples);
  const cols = 3 * units;
  for (let r = 0; r < samples.rows; r++) {
    let h = [0, 0];
    for (let k = 0; k < 3; k++) {
      const x = step(r, k);
      // Input part of every gate (z, r, h order) with the bias; recurrent part of z and r from h.
      const xz = gates(x, w, [], u, b, cols);
      const hz = gates([], w, h, u, new Float32Array(cols), cols);
      const z = [0, 1].map((j) => sigmoid((xz[j] as number) + (hz[j] as number)));
      const rr = [0, 1].map((j) => sigmoid((xz[units + j] as number) + (hz[units + j] as number)));
      const rh = h.map((hj, j) => hj * (rr[j] as number));
      const candidate = [0, 1].map((j) => {
        let s = xz[2 * units + j] as number;
        for (let i = 0; i < units; i++) s += (rh[i] as number) * (u[i * cols + 2 * units + j] as number);
        return Math.tanh(s);
      });
      h = h.map((hj, j) => (z[j] as number) * hj + (1 - (z[j] as number)) * (candidate[j] as number));
    }
    const expected = h.reduce((s, hj, j) => s + hj * (dw[j] as number), db[0] as number);
    expect(Math.abs((got[r] as number) - expected)).toBeLessThan(1e-5);
  }
  net.dispose();
});

test('Conv1D (valid padding, relu) -> Flatten (step-major) -> Dense(1), and a sigmoid output for direction', () => {
  const filters = 2;
  const kernelSize = 2;
  const net = new SequenceNet({ architecture: 'conv1d', units: filters, kernelSize, steps: 3, inputs: 2, target: 'direction' });
  const outSteps = 3 - kernelSize + 1;
  const [k, kb, dw, db] = [fixed(kernelSize * 2 * filters, 11), fixed(filters, 12), fixed(outSteps * filters, 13), fixed(1, 14)];
  net.setWeights([k, kb, dw, db]);
  expect(net.weightNames()).toEqual(['conv1d/kernel', 'conv1d/bias', 'dense/kernel', 'dense/bias']);
  const got = net.predict(samples);
  for (let r = 0; r < samples.rows; r++) {
    let out = db[0] as number;
    for (let t = 0; t < outSteps; t++) {
      for (let f = 0; f < filters; f++) {
        let s = kb[f] as number;
        for (let j = 0; j < kernelSize; j++) for (let c = 0; c < 2; c++) s += (step(r, t + j)[c] as number) * (k[(j * 2 + c) * filters + f] as number);
        out += Math.max(0, s) * (dw[t * filters + f] as number);
      }
    }
    expect(Math.abs((got[r] as number) - sigmoid(out))).toBeLessThan(1e-6);
  }
  expect(net.info().layers).toBe('conv1d(2x2)-flatten-1');
  net.dispose();
});
