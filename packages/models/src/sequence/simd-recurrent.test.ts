import { testUniforms } from '../__fixtures__/test-data';
import { initBackend } from '../backend';
import { kernelsWithArrays } from '../nn/simd/kernels';
import { buildModel, weightsToInit } from './architecture';
import { recurrentWeightsToInit, SequenceNet } from './sequence-net';
import { packRecurrentWeights, type RecurrentShape, SimdRecurrentPredictor, SimdRecurrentRunner } from './simd-recurrent';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Weights in TensorFlow.js' order with values in [-scale, scale]. */
function weightsFor(cell: 'lstm' | 'gru', inputs: number, units: number, seed: number, scale = 0.5): Float32Array[] {
  const u = testUniforms(seed);
  const draw = (n: number) => Float32Array.from({ length: n }, () => (u() * 2 - 1) * scale);
  const g = (cell === 'lstm' ? 4 : 3) * units;
  return [draw(inputs * g), draw(units * g), draw(g), draw(units), draw(1)];
}

function samples(rows: number, steps: number, inputs: number, seed: number) {
  const u = testUniforms(seed);
  const x = Float32Array.from({ length: rows * steps * inputs }, () => u() * 2 - 1);
  const y = Float32Array.from({ length: rows }, (_, r) => 0.5 * (x[r * steps * inputs] as number) + 0.1 * (u() - 0.5));
  return { rows, x, y };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * The float64 oracle: the LSTM's forward pass and its gradients by backpropagation through time,
 * written plainly from the equations (gates i, f, c, o), for the mean squared error of a batch.
 */
function oracle(steps: number, inputs: number, units: number, w: readonly Float32Array[], x: Float32Array, y: Float32Array, rows: number) {
  const [W, R, b, wd, bd] = w.map((a) => Array.from(a, Number)) as number[][];
  const G = 4 * units;
  const grads = { W: new Float64Array(W!.length), R: new Float64Array(R!.length), b: new Float64Array(G), wd: new Float64Array(units), bd: new Float64Array(1) };
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const hs: number[][] = [new Array(units).fill(0)];
    const cs: number[][] = [new Array(units).fill(0)];
    const gs: number[][] = [];
    for (let t = 0; t < steps; t++) {
      const xt = Array.from({ length: inputs }, (_, k) => x[(r * steps + t) * inputs + k] as number);
      const z = Array.from({ length: G }, (_, j) => {
        let s = b![j]!;
        for (let k = 0; k < inputs; k++) s += xt[k]! * W![k * G + j]!;
        for (let k = 0; k < units; k++) s += hs[t]![k]! * R![k * G + j]!;
        return s;
      });
      const g = z.map((v, j) => (j >= 2 * units && j < 3 * units ? Math.tanh(v) : sigmoid(v)));
      gs.push(g);
      const c = Array.from({ length: units }, (_, j) => g[units + j]! * cs[t]![j]! + g[j]! * g[2 * units + j]!);
      cs.push(c);
      hs.push(c.map((cj, j) => g[3 * units + j]! * Math.tanh(cj)));
    }
    const h = hs[steps]!;
    const out = h.reduce((s, v, j) => s + v * wd![j]!, bd![0]!);
    const diff = out - (y[r] as number);
    loss += diff * diff;
    const dOut = (2 * diff) / rows;
    for (let j = 0; j < units; j++) grads.wd[j]! += h[j]! * dOut;
    grads.bd[0]! += dOut;
    let dh = wd!.map((v) => v * dOut);
    let dc = new Array(units).fill(0);
    for (let t = steps - 1; t >= 0; t--) {
      const g = gs[t]!;
      const dz = new Array(G).fill(0);
      for (let j = 0; j < units; j++) {
        const [i, f, gg, o] = [g[j]!, g[units + j]!, g[2 * units + j]!, g[3 * units + j]!];
        const tc = Math.tanh(cs[t + 1]![j]!);
        const dcj = dc[j]! + dh[j]! * o * (1 - tc * tc);
        dz[j] = dcj * gg * i * (1 - i);
        dz[units + j] = dcj * cs[t]![j]! * f * (1 - f);
        dz[2 * units + j] = dcj * i * (1 - gg * gg);
        dz[3 * units + j] = dh[j]! * tc * o * (1 - o);
        dc[j] = dcj * f;
      }
      const xt = Array.from({ length: inputs }, (_, k) => x[(r * steps + t) * inputs + k] as number);
      for (let j = 0; j < G; j++) {
        grads.b[j]! += dz[j]!;
        for (let k = 0; k < inputs; k++) grads.W[k * G + j]! += xt[k]! * dz[j]!;
        for (let k = 0; k < units; k++) grads.R[k * G + j]! += hs[t]![k]! * dz[j]!;
      }
      dh = Array.from({ length: units }, (_, k) => dz.reduce((s, v, j) => s + v * R![k * G + j]!, 0));
      dc = [...dc];
    }
  }
  return { loss: loss / rows, grads: [grads.W, grads.R, grads.b, grads.wd, grads.bd] };
}

/** The GRU's float64 oracle (TensorFlow.js' reset_after = false: gates z, r, h), likewise. */
function gruOracle(steps: number, inputs: number, units: number, w: readonly Float32Array[], x: Float32Array, y: Float32Array, rows: number) {
  const [W, R, b, wd, bd] = w.map((a) => Array.from(a, Number)) as number[][];
  const G = 3 * units;
  const grads = { W: new Float64Array(W!.length), R: new Float64Array(R!.length), b: new Float64Array(G), wd: new Float64Array(units), bd: new Float64Array(1) };
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const xs = Array.from({ length: steps }, (_, t) => Array.from({ length: inputs }, (_, k) => x[(r * steps + t) * inputs + k] as number));
    const hs: number[][] = [new Array(units).fill(0)];
    const zs: number[][] = [];
    const rs: number[][] = [];
    const hhs: number[][] = [];
    for (let t = 0; t < steps; t++) {
      const h = hs[t]!;
      const pre = (j: number, hv: number[]) => {
        let s2 = b![j]!;
        for (let k = 0; k < inputs; k++) s2 += xs[t]![k]! * W![k * G + j]!;
        for (let k = 0; k < units; k++) s2 += hv[k]! * R![k * G + j]!;
        return s2;
      };
      const z = Array.from({ length: units }, (_, j) => sigmoid(pre(j, h)));
      const rr = Array.from({ length: units }, (_, j) => sigmoid(pre(units + j, h)));
      const rh = h.map((v, k) => v * rr[k]!);
      const hh = Array.from({ length: units }, (_, j) => Math.tanh(pre(2 * units + j, rh)));
      zs.push(z);
      rs.push(rr);
      hhs.push(hh);
      hs.push(h.map((v, j) => z[j]! * v + (1 - z[j]!) * hh[j]!));
    }
    const hT = hs[steps]!;
    const out = hT.reduce((s2, v, j) => s2 + v * wd![j]!, bd![0]!);
    const diff = out - (y[r] as number);
    loss += diff * diff;
    const dOut = (2 * diff) / rows;
    for (let j = 0; j < units; j++) grads.wd[j]! += hT[j]! * dOut;
    grads.bd[0]! += dOut;
    let dh = wd!.map((v) => v * dOut);
    for (let t = steps - 1; t >= 0; t--) {
      const [h, z, rr, hh] = [hs[t]!, zs[t]!, rs[t]!, hhs[t]!];
      const da = new Array(G).fill(0);
      const dhPrev = new Array(units).fill(0);
      for (let j = 0; j < units; j++) {
        da[j] = dh[j]! * (h[j]! - hh[j]!) * z[j]! * (1 - z[j]!);
        da[2 * units + j] = dh[j]! * (1 - z[j]!) * (1 - hh[j]! * hh[j]!);
        dhPrev[j] += dh[j]! * z[j]!;
      }
      // Candidate: pre = x Wh + (r h) Uh, so d(r h)_k = sum_j da_h[j] Uh[k][j].
      for (let k = 0; k < units; k++) {
        let drh = 0;
        for (let j = 0; j < units; j++) drh += da[2 * units + j]! * R![k * G + 2 * units + j]!;
        da[units + k] = drh * h[k]! * rr[k]! * (1 - rr[k]!);
        dhPrev[k] += drh * rr[k]!;
      }
      for (let k = 0; k < units; k++) for (let j = 0; j < 2 * units; j++) dhPrev[k] += da[j]! * R![k * G + j]!;
      const rh = h.map((v, k) => v * rr[k]!);
      for (let j = 0; j < G; j++) {
        grads.b[j]! += da[j]!;
        for (let k = 0; k < inputs; k++) grads.W[k * G + j]! += xs[t]![k]! * da[j]!;
        for (let k = 0; k < units; k++) grads.R[k * G + j]! += (j < 2 * units ? h[k]! : rh[k]!) * da[j]!;
      }
      dh = dhPrev;
    }
  }
  return { loss: loss / rows, grads: [grads.W, grads.R, grads.b, grads.wd, grads.bd] };
}

describe('float32 exp, sigmoid and tanh of the kernels', () => {
  const xs = Float32Array.from({ length: 2003 }, (_, i) => -40 + (80 * i) / 2002);
  const { kernels, arrays } = kernelsWithArrays([xs.length, xs.length]);
  const [src, dst] = arrays as [Float32Array, Float32Array];
  src.set(xs);
  it.each([
    ['exp', 0, Math.exp, 'relative', 3e-7],
    ['sigmoid', 1, sigmoid, 'relative', 3e-7],
    ['tanh', 2, Math.tanh, 'absolute', 2e-7],
  ] as const)('%s is within a few float32 ulps of the float64 function, vector lanes and scalar tail alike', (_, op, exact, kind, bound) => {
    kernels.mathf(op, src.byteOffset, dst.byteOffset, xs.length);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const e = exact(xs[i] as number);
      const err = Math.abs((dst[i] as number) - e) / (kind === 'relative' ? Math.abs(e) : 1);
      worst = Math.max(worst, err);
    }
    expect(worst).toBeLessThan(bound);
    // The same input in a vector lane (i < 2000) and in the scalar tail (the last 3) gives the same bits.
    const tail = Float32Array.from(xs.subarray(0, 3));
    src.set(tail, xs.length - 3);
    kernels.mathf(op, src.byteOffset, dst.byteOffset, xs.length);
    for (let i = 0; i < 3; i++) expect(dst[xs.length - 3 + i]).toBe(dst[i]);
    src.set(xs);
  });
});

describe.each(['lstm', 'gru'] as const)('the SIMD %s', (cell) => {
  it.each([
    [5, 4, 3, 6],
    [7, 12, 2, 8],
    [3, 1, 1, 5],
  ])('%i rows of %i steps x %i inputs, %i units: the loss and every gradient equal the float64 oracle to float32 rounding', (rows, steps, inputs, units) => {
    const shape: RecurrentShape = { cell, steps, inputs, units };
    const w = weightsFor(cell, inputs, units, rows * 31 + units);
    const data = samples(rows, steps, inputs, 9 + units);
    const runner = new SimdRecurrentRunner(shape, w, { name: 'sgd', learningRate: 0.01 }, data, undefined, 32);
    const got = runner.gradients(Array.from({ length: rows }, (_, r) => r));
    const want = (cell === 'lstm' ? oracle : gruOracle)(steps, inputs, units, w, data.x, data.y, rows);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-5 * Math.max(1, want.loss));
    const flat = packRecurrentWeights(
      shape,
      want.grads.map((g) => Float32Array.from(g)),
    );
    const scale = Math.max(...Array.from(flat, Math.abs));
    got.grads.forEach((g: number, i: number) => expect(Math.abs(g - (flat[i] as number))).toBeLessThan(2e-5 * scale));
    expect(scale).toBeGreaterThan(1e-3);
  });

  it(`forecasts what TensorFlow.js' ${cell.toUpperCase()} layer does with the same weights, to float32 rounding`, () => {
    const [steps, inputs, units] = [12, 2, 32];
    const w = weightsFor(cell, inputs, units, 4, 0.3);
    const net = new SequenceNet({ architecture: cell, units, steps, inputs, trainer: 'tfjs' });
    net.setWeights(w);
    const data = samples(300, steps, inputs, 5);
    const want = net.predict({ rows: 300, steps, cols: inputs, data: Float64Array.from(data.x) });
    const got = new SimdRecurrentPredictor({ cell, steps, inputs, units }, w).predict(data);
    for (let r = 0; r < 300; r++) expect(Math.abs((got[r] as number) - (want[r] as number))).toBeLessThan(2e-6);
    net.dispose();
  });

  it('trains as TensorFlow.js does, epoch for epoch, to float32 rounding (Adam, the same seeded order and initial weights)', () => {
    const [steps, inputs, units] = [6, 2, 8];
    const data = samples(90, steps, inputs, 6);
    const y = Float64Array.from(data.y);
    const x = { rows: 90, steps, cols: inputs, data: Float64Array.from(data.x) };
    const options = { architecture: cell, units, steps, inputs, epochs: 4, optimizer: 'adam' as const, learningRate: 0.01, seed: 3 };
    const tfjs = new SequenceNet({ ...options, trainer: 'tfjs' });
    const simd = new SequenceNet({ ...options, trainer: 'simd' });
    const a = tfjs.fit(x, y);
    const b = simd.fit(x, y);
    expect(b.history.loss).toHaveLength(4);
    b.history.loss.forEach((l, e) => expect(Math.abs(l - a.history.loss[e]!)).toBeLessThan(1e-4 * a.history.loss[e]!));
    const pa = tfjs.predict(x);
    const pb = simd.predict(x);
    for (let r = 0; r < 90; r++) expect(Math.abs((pb[r] as number) - (pa[r] as number))).toBeLessThan(1e-4);
    expect(simd.info()).toMatchObject({ trainer: 'simd', backend: 'none', layers: `${cell}(8)-1` });
    // The fitted network's files are TensorFlow.js' layers format, with the weights SIMD trained.
    const files = simd.files();
    expect(JSON.parse(files['model.json'] as string).weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      `${cell}/kernel`,
      `${cell}/recurrent_kernel`,
      `${cell}/bias`,
      'dense/kernel',
      'dense/bias',
    ]);
    tfjs.dispose();
    simd.dispose();
  });

  it("initialises the weights TensorFlow.js' model would have: the same roles, shapes (and the LSTM's forget-gate bias)", () => {
    const model = buildModel({ architecture: cell, steps: 5, inputs: 2, units: 4, kernelSize: 3, target: 'price' });
    expect(recurrentWeightsToInit(cell, 2, 4)).toEqual(weightsToInit(model));
    model.dispose();
  });
});

describe('SequenceNet on the SIMD kernels', () => {
  const [steps, inputs, units] = [5, 2, 4];
  const data = samples(60, steps, inputs, 12);
  const x = { rows: 60, steps, cols: inputs, data: Float64Array.from(data.x) };
  const y = Float64Array.from(data.y);
  const net = (o: object = {}) => new SequenceNet({ architecture: 'lstm', units, steps, inputs, epochs: 3, optimizer: 'adam', seed: 5, ...o });

  it('gives the same bits for the same seed and other weights for another; chooses the kernels only for an LSTM or a GRU learning a price', () => {
    const [a, b, c] = [net(), net(), net({ seed: 6 })];
    const fa = a.fit(x, y);
    expect(b.fit(x, y).history).toEqual(fa.history);
    expect(b.weights()).toEqual(a.weights());
    expect(b.predict(x)).toEqual(a.predict(x));
    c.fit(x, y);
    expect(c.weights()).not.toEqual(a.weights());
    expect(fa.backend).toBe('none');
    expect(net({ target: 'direction' }).options.trainer).toBe('tfjs');
    expect(new SequenceNet({ architecture: 'gru', units, steps, inputs }).options.trainer).toBe('simd');
    expect(new SequenceNet({ architecture: 'conv1d', units, steps, inputs }).options.trainer).toBe('tfjs');
    expect(() => net({ target: 'direction', trainer: 'simd' })).toThrow(/trainer simd trains an LSTM or a GRU learning a price/);
    expect(() => net({ trainer: 'fast' })).toThrow(/trainer must be auto, simd or tfjs/);
  });

  it('holds out the latest samples for validation and stops early, restoring the best weights, as the TensorFlow.js loop does', () => {
    const simd = net({ validation: 0.25, patience: 1, epochs: 30, learningRate: 0.05 });
    const tfjs = net({ validation: 0.25, patience: 1, epochs: 30, learningRate: 0.05, trainer: 'tfjs' });
    const a = simd.fit(x, y);
    const b = tfjs.fit(x, y);
    expect(a.monitor).toBe('val_loss');
    expect(a.history.valLoss).toHaveLength(a.epochsRun);
    expect(a.epochsRun).toBe(b.epochsRun);
    expect(a.bestEpoch).toBe(b.bestEpoch);
    a.history.valLoss!.forEach((v, e) => expect(Math.abs(v - b.history.valLoss![e]!)).toBeLessThan(1e-4 * v));
    tfjs.dispose();
  });
});
