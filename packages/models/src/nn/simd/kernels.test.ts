import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { testUniforms } from '../../__fixtures__/test-data';
import { ACTIVATION_CODE, kernelsFor, kernelsWithArrays, simdAvailable } from './kernels';

/**
 * The kernels against a float32 emulation in JavaScript: every wasm f32 operation is one
 * Math.fround of the float64 operation (exact for +, -, x, / and sqrt of float32 operands, as
 * float64 carries more than twice float32's precision). The kernels promise one fixed order of
 * sums, so most results must be equal bit for bit, whichever register tile or tail computed them.
 */
const f = Math.fround;

function filled(a: Float32Array, seed: number): Float32Array {
  const u = testUniforms(seed);
  for (let i = 0; i < a.length; i++) a[i] = 4 * u() - 2;
  return a;
}

/** Arrays in a fresh kernel instance, plus a guard array right after each to catch overruns. */
function setup(lengths: number[]) {
  const { kernels, arrays } = kernelsWithArrays(lengths.flatMap((n) => [n, 8]));
  const views = arrays.filter((_, i) => i % 2 === 0);
  const guards = arrays.filter((_, i) => i % 2 === 1);
  guards.forEach((g) => g.fill(1234.5));
  return { k: kernels, views, guardsIntact: () => guards.every((g) => g.every((v) => v === 1234.5)) };
}

describe('the SIMD dense kernels', () => {
  it('compile on this runtime', () => {
    expect(simdAvailable()).toBe(true);
  });

  describe('gemm equals float32 sums in order k = 0, 1, ... for every tile and tail', () => {
    const shapes: [number, number, number][] = [];
    for (const M of [1, 3, 4, 5, 9]) for (const N of [1, 3, 4, 7, 8, 12, 17]) for (const K of [1, 2, 5, 33]) shapes.push([M, N, K]);
    it.each([
      ['A row-major, no bias', false, false],
      ['A row-major, bias', false, true],
      ['A transposed, no bias', true, false],
      ['A transposed, bias', true, true],
    ] as const)('%s', (_, transposed, withBias) => {
      for (const [M, N, K] of shapes) {
        const { k, views, guardsIntact } = setup([M * K, K * N, M * N, N]);
        const [a, b, c, bias] = views as [Float32Array, Float32Array, Float32Array, Float32Array];
        filled(a, M * 1000 + N * 10 + K);
        filled(b, M + N * 100 + K * 7);
        filled(bias, N + 5);
        // Transposed: A is stored as [K x M] and read as its transpose.
        const [sai, sak] = transposed ? [1, M] : [K, 1];
        k.gemm(M, N, K, a.byteOffset, sai, sak, b.byteOffset, N, c.byteOffset, N, withBias ? bias.byteOffset : 0);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let s = withBias ? (bias[j] as number) : 0;
            for (let kk = 0; kk < K; kk++) s = f(s + f((a[i * sai + kk * sak] as number) * (b[kk * N + j] as number)));
            if (c[i * N + j] !== s) throw new Error(`M=${M} N=${N} K=${K}: c[${i}][${j}] = ${c[i * N + j]}, expected ${s}`);
          }
        }
        expect(guardsIntact()).toBe(true);
      }
    });

    it('the study-size product (32 x 300 times 300 x 100) too', () => {
      const { k, views } = setup([32 * 300, 300 * 100, 32 * 100]);
      const [a, b, c] = views as [Float32Array, Float32Array, Float32Array];
      filled(a, 1);
      filled(b, 2);
      k.gemm(32, 100, 300, a.byteOffset, 300, 1, b.byteOffset, 100, c.byteOffset, 100, 0);
      let worst = 0;
      for (let i = 0; i < 32; i++) {
        for (let j = 0; j < 100; j++) {
          let exact = 0; // float64, to show the float32 sums are also accurate
          for (let kk = 0; kk < 300; kk++) exact += (a[i * 300 + kk] as number) * (b[kk * 100 + j] as number);
          worst = Math.max(worst, Math.abs((c[i * 100 + j] as number) - exact));
        }
      }
      // Terms of size up to 4, sums of 300 of them: float32 rounding is ~1e-5 here.
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-4);
    });
  });

  it('transpose is exact for every shape, with 4 x 4 blocks and edges', () => {
    for (const [rows, cols] of [
      [1, 1],
      [1, 7],
      [3, 5],
      [4, 4],
      [5, 9],
      [8, 12],
      [300, 100],
      [13, 6],
    ] as const) {
      const { k, views, guardsIntact } = setup([rows * cols, rows * cols]);
      const [src, dst] = views as [Float32Array, Float32Array];
      filled(src, rows * 31 + cols);
      k.transpose(rows, cols, src.byteOffset, dst.byteOffset);
      const expected = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[c * rows + r] = src[r * cols + c] as number;
      expect(Buffer.from(dst.buffer, dst.byteOffset, dst.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(guardsIntact()).toBe(true);
    }
  });

  it('activations: ReLU maps NaN and negatives to 0; tanh and sigmoid within one float32 step', () => {
    const values = [-2, -0.5, -0, 0, 1e-30, 0.25, 3, Number.NaN, -1e-3];
    const { k, views } = setup([values.length, values.length, values.length]);
    const [relu, tanh, sigmoid] = views as [Float32Array, Float32Array, Float32Array];
    for (const a of views) a.set(values);
    k.activate(ACTIVATION_CODE.relu, relu.byteOffset, values.length);
    k.activate(ACTIVATION_CODE.tanh, tanh.byteOffset, values.length);
    k.activate(ACTIVATION_CODE.sigmoid, sigmoid.byteOffset, values.length);
    values.forEach((x, i) => {
      const x32 = f(x);
      // biome-ignore lint/complexity/useMathMinMax: the reference maps NaN to 0, which Math.max(x32, 0) would not
      expect(Object.is(relu[i], x32 > 0 ? x32 : 0)).toBe(true);
      if (Number.isNaN(x)) return;
      expect(Math.abs((tanh[i] as number) - f(Math.tanh(x32)))).toBeLessThanOrEqual(1.2e-7 * Math.max(1e-30, Math.abs(Math.tanh(x32))));
      expect(Math.abs((sigmoid[i] as number) - f(1 / (1 + Math.exp(-x32))))).toBeLessThanOrEqual(6e-8);
    });
    // Linear leaves values alone.
    const before = Float32Array.from(relu);
    k.activate(ACTIVATION_CODE.linear, relu.byteOffset, values.length);
    expect(Array.from(relu)).toEqual(Array.from(before));
  });

  it('slopeMul multiplies deltas by the slope written in terms of the output', () => {
    const n = 11; // two vectors and a tail of three
    const { k, views } = setup([n, n, n, n, n]);
    const [out, dRelu, dTanh, dSigmoid, dLinear] = views as Float32Array[];
    filled(out!, 3).forEach((v, i) => (out![i] = i % 3 === 0 ? 0 : v)); // some ReLU outputs exactly 0
    for (const d of [dRelu!, dTanh!, dSigmoid!, dLinear!]) filled(d, 4);
    const delta = Float32Array.from(dRelu!);
    k.slopeMul(ACTIVATION_CODE.relu, dRelu!.byteOffset, out!.byteOffset, n);
    k.slopeMul(ACTIVATION_CODE.tanh, dTanh!.byteOffset, out!.byteOffset, n);
    k.slopeMul(ACTIVATION_CODE.sigmoid, dSigmoid!.byteOffset, out!.byteOffset, n);
    k.slopeMul(ACTIVATION_CODE.linear, dLinear!.byteOffset, out!.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const o = out![i] as number;
      const d = delta[i] as number;
      expect(dRelu![i]).toBe(o > 0 ? d : 0);
      expect(dTanh![i]).toBe(f(d * f(1 - f(o * o))));
      expect(dSigmoid![i]).toBe(f(d * f(o * f(1 - o))));
      expect(dLinear![i]).toBe(d);
    }
  });

  it('columnSums adds rows in order', () => {
    for (const [rows, cols] of [
      [1, 1],
      [32, 100],
      [7, 10],
      [3, 3],
    ] as const) {
      const { k, views, guardsIntact } = setup([rows * cols, cols]);
      const [src, dst] = views as [Float32Array, Float32Array];
      filled(src, rows + cols);
      k.columnSums(rows, cols, src.byteOffset, dst.byteOffset);
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s = f(s + (src[r * cols + j] as number));
        expect(dst[j]).toBe(s);
      }
      expect(guardsIntact()).toBe(true);
    }
  });

  it('sgd and adam follow their formulas in float32, vector lanes and tail alike', () => {
    const n = 10;
    const { k, views } = setup([n, n, n, n, n, n]);
    const [wSgd, wAdam, g, m, v] = views as Float32Array[];
    filled(wSgd!, 5);
    wAdam!.set(wSgd!);
    filled(g!, 6);
    filled(m!, 7).forEach((x, i) => (m![i] = 0.1 * x));
    filled(v!, 8).forEach((x, i) => (v![i] = 0.01 * Math.abs(x)));
    const [w0, m0, v0] = [Float32Array.from(wSgd!), Float32Array.from(m!), Float32Array.from(v!)];
    const lr = f(0.01);
    k.sgd(wSgd!.byteOffset, g!.byteOffset, n, 0.01);
    const [b1, b2, eps, lrA] = [f(0.9), f(0.999), f(1e-7), f(0.001)];
    const [c1, c2] = [f(1 - 0.9 ** 3), f(1 - 0.999 ** 3)];
    k.adam(wAdam!.byteOffset, g!.byteOffset, m!.byteOffset, v!.byteOffset, n, 0.001, 0.9, 0.999, 1e-7, 1 - 0.9 ** 3, 1 - 0.999 ** 3);
    for (let i = 0; i < n; i++) {
      const gi = g![i] as number;
      expect(wSgd![i]).toBe(f((w0[i] as number) - f(lr * gi)));
      const mi = f(f(b1 * (m0[i] as number)) + f(f(1 - b1) * gi));
      const vi = f(f(b2 * (v0[i] as number)) + f(f(1 - b2) * f(gi * gi)));
      const step = f(f(lrA * f(mi / c1)) / f(f(Math.sqrt(f(vi / c2))) + eps));
      expect(m![i]).toBe(mi);
      expect(v![i]).toBe(vi);
      expect(wAdam![i]).toBe(f((w0[i] as number) - step));
    }
  });

  it('predictions have an instance of their own, whose arrays stay with their owner until another lays out its own', () => {
    const training = kernelsWithArrays([64]);
    const [train] = training.arrays as [Float32Array];
    filled(train, 9);
    const kept = Float32Array.from(train);
    const owner = {};
    const first = kernelsFor(owner, [16, 8]);
    expect(first.fresh).toBe(true);
    expect(first.kernels).not.toBe(training.kernels);
    first.arrays[0]!.fill(3);
    // The same owner and lengths: the same arrays, contents kept.
    const again = kernelsFor(owner, [16, 8]);
    expect(again.fresh).toBe(false);
    expect(again.arrays[0]).toBe(first.arrays[0]);
    expect(Array.from(again.arrays[0]!)).toEqual(Array.from({ length: 16 }, () => 3));
    // Another owner, or other lengths: laid out afresh (zero-filled).
    expect(kernelsFor({}, [16, 8]).fresh).toBe(true);
    const back = kernelsFor(owner, [16, 8]);
    expect(back.fresh).toBe(true);
    expect(back.arrays[0]!.every((v) => v === 0)).toBe(true);
    expect(kernelsFor(owner, [16, 9]).fresh).toBe(true);
    // None of it touched the training instance's arrays.
    expect(train).toEqual(kept);
  });

  it('the committed wasm is the build of assembly/dense-kernels.ts', () => {
    const root = join(__dirname, '..', '..', '..');
    const check = spawnSync(process.execPath, [join(root, 'scripts', 'build-kernels.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 60_000);
});
