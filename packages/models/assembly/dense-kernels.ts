// Dense-layer training kernels, AssemblyScript compiled to WebAssembly with 128-bit SIMD.
//
// Built by `npm run build:kernels -w @backtest/models` into src/nn/simd/dense-kernels.wasm.ts
// (base64, committed; a test recompiles this file and checks the bytes are the same).
//
// Every pointer is a byte offset into the module's memory, which the caller lays out; nothing
// here allocates. Matrices are row-major float32. Sums run over k = 0, 1, ... in float32, one
// multiply then one add (no fused multiply-add), so a result depends on the inputs alone: the
// same on every machine and thread.

// ---------------------------------------------------------------------------------------------
// C[M x N] = A(M x K) B[K x N] (+ bias[N] on every row when bias != 0).
// A's element (i, k) is at a + 4 (i sai + k sak): row-major A has (sai, sak) = (K, 1), and a
// transposed view of a row-major [K x M] matrix has (1, M). B and C are row-major with leading
// dimensions ldb and ldc. Register tiles of 4 rows x 8 columns, then 4 x 4, then 1 x 8, 1 x 4,
// then single cells for column counts that are not a multiple of 4.

export function gemm(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize): void {
  const M4 = M & ~3;
  const N8 = N & ~7;
  const N4 = N & ~3;
  for (let i = 0; i < M; i++) {
    const four = i < M4;
    let j = 0;
    for (; j < N8; j += 8) {
      if (four) {
        if (sai == 1) tile4x8(K, a, 1, sak, b, ldb, c, ldc, bias, i, j);
        else tile4x8(K, a, sai, sak, b, ldb, c, ldc, bias, i, j);
      } else tile1x8(K, a, sai, sak, b, ldb, c, ldc, bias, i, j);
    }
    for (; j < N4; j += 4) {
      if (four) tile4x4(K, a, sai, sak, b, ldb, c, ldc, bias, i, j);
      else tile1x4(K, a, sai, sak, b, ldb, c, ldc, bias, i, j);
    }
    for (; j < N; j++) {
      const rows = four ? 4 : 1;
      for (let r = 0; r < rows; r++) cell(K, a, sai, sak, b, ldb, c, ldc, bias, i + r, j);
    }
    if (four) i += 3;
  }
}

/** The starting sums of four columns from j: the bias, or zero. */
@inline function start(bias: usize, j: i32): v128 {
  return bias != 0 ? v128.load(bias + (<usize>j << 2)) : f32x4.splat(0);
}

@inline function mac(acc: v128, s: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(s, b));
}

@inline function tile4x8(K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i: i32, j: i32): void {
  let c00 = start(bias, j), c01 = start(bias, j + 4);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  const rowA = <usize>sai << 2;
  const stepA = <usize>sak << 2;
  const stepB = <usize>ldb << 2;
  let pa = a + (<usize>(i * sai) << 2);
  let pb = b + (<usize>j << 2);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s0: v128, s1: v128, s2: v128, s3: v128;
    if (sai == 1) {
      // The four rows' values are adjacent (A read transposed): one load, four lane broadcasts.
      const v = v128.load(pa);
      s0 = v128.shuffle<f32>(v, v, 0, 0, 0, 0);
      s1 = v128.shuffle<f32>(v, v, 1, 1, 1, 1);
      s2 = v128.shuffle<f32>(v, v, 2, 2, 2, 2);
      s3 = v128.shuffle<f32>(v, v, 3, 3, 3, 3);
    } else {
      s0 = v128.load32_splat(pa);
      s1 = v128.load32_splat(pa + rowA);
      s2 = v128.load32_splat(pa + 2 * rowA);
      s3 = v128.load32_splat(pa + 3 * rowA);
    }
    c00 = mac(c00, s0, b0); c01 = mac(c01, s0, b1);
    c10 = mac(c10, s1, b0); c11 = mac(c11, s1, b1);
    c20 = mac(c20, s2, b0); c21 = mac(c21, s2, b1);
    c30 = mac(c30, s3, b0); c31 = mac(c31, s3, b1);
    pa += stepA;
    pb += stepB;
  }
  const rowC = <usize>ldc << 2;
  const pc = c + (<usize>(i * ldc + j) << 2);
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + rowC, c10); v128.store(pc + rowC, c11, 16);
  v128.store(pc + 2 * rowC, c20); v128.store(pc + 2 * rowC, c21, 16);
  v128.store(pc + 3 * rowC, c30); v128.store(pc + 3 * rowC, c31, 16);
}

@inline function tile4x4(K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i: i32, j: i32): void {
  let c0 = start(bias, j);
  let c1 = c0, c2 = c0, c3 = c0;
  const rowA = <usize>sai << 2;
  const stepA = <usize>sak << 2;
  const stepB = <usize>ldb << 2;
  let pa = a + (<usize>(i * sai) << 2);
  let pb = b + (<usize>j << 2);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    c0 = mac(c0, v128.load32_splat(pa), b0);
    c1 = mac(c1, v128.load32_splat(pa + rowA), b0);
    c2 = mac(c2, v128.load32_splat(pa + 2 * rowA), b0);
    c3 = mac(c3, v128.load32_splat(pa + 3 * rowA), b0);
    pa += stepA;
    pb += stepB;
  }
  const rowC = <usize>ldc << 2;
  const pc = c + (<usize>(i * ldc + j) << 2);
  v128.store(pc, c0);
  v128.store(pc + rowC, c1);
  v128.store(pc + 2 * rowC, c2);
  v128.store(pc + 3 * rowC, c3);
}

@inline function tile1x8(K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i: i32, j: i32): void {
  let c0 = start(bias, j), c1 = start(bias, j + 4);
  const stepA = <usize>sak << 2;
  const stepB = <usize>ldb << 2;
  let pa = a + (<usize>(i * sai) << 2);
  let pb = b + (<usize>j << 2);
  for (let k = 0; k < K; k++) {
    const s = v128.load32_splat(pa);
    c0 = mac(c0, s, v128.load(pb));
    c1 = mac(c1, s, v128.load(pb, 16));
    pa += stepA;
    pb += stepB;
  }
  const pc = c + (<usize>(i * ldc + j) << 2);
  v128.store(pc, c0);
  v128.store(pc, c1, 16);
}

@inline function tile1x4(K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i: i32, j: i32): void {
  let c0 = start(bias, j);
  const stepA = <usize>sak << 2;
  const stepB = <usize>ldb << 2;
  let pa = a + (<usize>(i * sai) << 2);
  let pb = b + (<usize>j << 2);
  for (let k = 0; k < K; k++) {
    c0 = mac(c0, v128.load32_splat(pa), v128.load(pb));
    pa += stepA;
    pb += stepB;
  }
  v128.store(c + (<usize>(i * ldc + j) << 2), c0);
}

function cell(K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i: i32, j: i32): void {
  let s: f32 = bias != 0 ? load<f32>(bias + (<usize>j << 2)) : 0;
  let pa = a + (<usize>(i * sai) << 2);
  let pb = b + (<usize>j << 2);
  const stepA = <usize>sak << 2;
  const stepB = <usize>ldb << 2;
  for (let k = 0; k < K; k++) {
    s += load<f32>(pa) * load<f32>(pb);
    pa += stepA;
    pb += stepB;
  }
  store<f32>(c + (<usize>(i * ldc + j) << 2), s);
}

// ---------------------------------------------------------------------------------------------
// Elementwise helpers. Activation codes: 0 linear, 1 relu, 2 tanh, 3 sigmoid.

/** dst[cols x rows] = transpose of src[rows x cols]: 4 x 4 blocks by lane shuffles, then the edges. */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const R4 = rows & ~3;
  const C4 = cols & ~3;
  const srcRow = <usize>cols << 2;
  const dstRow = <usize>rows << 2;
  for (let r = 0; r < R4; r += 4) {
    for (let c = 0; c < C4; c += 4) {
      const from = src + (<usize>(r * cols + c) << 2);
      const r0 = v128.load(from), r1 = v128.load(from + srcRow), r2 = v128.load(from + 2 * srcRow), r3 = v128.load(from + 3 * srcRow);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const to = dst + (<usize>(c * rows + r) << 2);
      v128.store(to, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(to + dstRow, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(to + 2 * dstRow, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(to + 3 * dstRow, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
  }
  for (let r = 0; r < rows; r++) {
    const from = src + (<usize>(r * cols) << 2);
    for (let c = r < R4 ? C4 : 0; c < cols; c++) store<f32>(dst + (<usize>(c * rows + r) << 2), load<f32>(from + (<usize>c << 2)));
  }
}

/** p[0..n) = activation(p[0..n)) in place. ReLU maps NaN and negatives to 0 (x > 0 ? x : 0). */
export function activate(act: i32, p: usize, n: i32): void {
  if (act == 0) return;
  if (act == 1) {
    const zero = f32x4.splat(0);
    const n4 = n & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const at = p + (<usize>i << 2);
      const x = v128.load(at);
      v128.store(at, v128.bitselect(x, zero, f32x4.gt(x, zero)));
    }
    for (; i < n; i++) {
      const at = p + (<usize>i << 2);
      const x = load<f32>(at);
      store<f32>(at, x > 0 ? x : 0);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const at = p + (<usize>i << 2);
    const x = <f64>load<f32>(at);
    store<f32>(at, <f32>(act == 2 ? Math.tanh(x) : 1 / (1 + Math.exp(-x))));
  }
}

/** delta[0..n) *= the activation's slope written in terms of its output out[0..n). */
export function slopeMul(act: i32, delta: usize, out: usize, n: i32): void {
  if (act == 0) return;
  if (act == 1) {
    const zero = f32x4.splat(0);
    const n4 = n & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const at = delta + (<usize>i << 2);
      v128.store(at, v128.and(v128.load(at), f32x4.gt(v128.load(out + (<usize>i << 2)), zero)));
    }
    for (; i < n; i++) {
      const at = delta + (<usize>i << 2);
      if (!(load<f32>(out + (<usize>i << 2)) > 0)) store<f32>(at, 0);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const at = delta + (<usize>i << 2);
    const o = load<f32>(out + (<usize>i << 2));
    store<f32>(at, load<f32>(at) * (act == 2 ? 1 - o * o : o * (1 - o)));
  }
}

/** dst[j] = sum over r of src[r, j], for a row-major [rows x cols] src. */
export function columnSums(rows: i32, cols: i32, src: usize, dst: usize): void {
  const c4 = cols & ~3;
  let j = 0;
  for (; j < c4; j += 4) {
    let s = f32x4.splat(0);
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(src + (<usize>(r * cols + j) << 2)));
    v128.store(dst + (<usize>j << 2), s);
  }
  for (; j < cols; j++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(src + (<usize>(r * cols + j) << 2));
    store<f32>(dst + (<usize>j << 2), s);
  }
}

/** w -= lr g over n values. */
export function sgd(w: usize, g: usize, n: i32, lr: f32): void {
  const rate = f32x4.splat(lr);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(rate, v128.load(g + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(w + at, load<f32>(w + at) - lr * load<f32>(g + at));
  }
}

/**
 * TensorFlow.js' Adam over n values: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * w -= lr (m / c1) / (sqrt(v / c2) + eps), with c1 = 1 - b1^t and c2 = 1 - b2^t.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32): void {
  const B1 = f32x4.splat(b1), B2 = f32x4.splat(b2), A1 = f32x4.splat(1 - b1), A2 = f32x4.splat(1 - b2);
  const LR = f32x4.splat(lr), E = f32x4.splat(eps), C1 = f32x4.splat(c1), C2 = f32x4.splat(c2);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    const gi = v128.load(g + at);
    const mi = f32x4.add(f32x4.mul(B1, v128.load(m + at)), f32x4.mul(A1, gi));
    const vi = f32x4.add(f32x4.mul(B2, v128.load(v + at)), f32x4.mul(A2, f32x4.mul(gi, gi)));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    const step = f32x4.div(f32x4.mul(LR, f32x4.div(mi, C1)), f32x4.add(f32x4.sqrt(f32x4.div(vi, C2)), E));
    v128.store(w + at, f32x4.sub(v128.load(w + at), step));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const gi = load<f32>(g + at);
    const mi = b1 * load<f32>(m + at) + (1 - b1) * gi;
    const vi = b2 * load<f32>(v + at) + (1 - b2) * (gi * gi);
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, load<f32>(w + at) - (lr * (mi / c1)) / (Mathf.sqrt(vi / c2) + eps));
  }
}

// ---------------------------------------------------------------------------------------------
// One whole epoch of minibatch training on squared error, in one call: for each batch of the
// rows in `order`, gather its rows, forward, the output delta, backward and the update, exactly
// the calls and arithmetic the JavaScript driver (simd-runner.ts, runEpoch) makes batch by batch,
// in the same order, so the weights come out bit for bit the same; what it saves is the dozen
// calls into the module and the JavaScript loops of every batch, which are most of the time of a
// small network's fit.
//
// `plan` holds i32s: [L, features, then for each layer l < L: fanIn, units, activation, kernel
// (byte offset of its kernel in params and in grads), bias (likewise), then the L + 1 layer
// output pointers, then the L + 1 delta pointers]. x is the training rows (float32, row-major,
// `features` wide), y their targets, order the rows' i32 permutation. The loss is summed in
// float64 as the driver sums it, each delta 2 (out - y) / rows rounded to float32. opt 0 is SGD,
// 1 Adam, whose c1 = 1 - b1^t and c2 = 1 - b2^t of each batch are given (float32, in order) by the
// caller, so that no power is computed here. Returns the summed loss; the first batch's mean is
// stored (float64) at `first`.

const PLAN_LAYER = 5;

function layerInt(plan: usize, l: i32, k: i32): i32 {
  return load<i32>(plan + (<usize>(2 + l * PLAN_LAYER + k) << 2));
}

export function trainEpochMse(
  plan: usize,
  n: i32,
  batch: i32,
  x: usize,
  y: usize,
  order: usize,
  params: usize,
  grads: usize,
  total: i32,
  transposed: usize,
  opt: i32,
  lr: f32,
  m: usize,
  v: usize,
  b1: f32,
  b2: f32,
  eps: f32,
  c1s: usize,
  c2s: usize,
  first: usize,
): f64 {
  const L = load<i32>(plan);
  const f = load<i32>(plan + 4);
  const outs = plan + (<usize>(2 + L * PLAN_LAYER) << 2);
  const deltas = outs + (<usize>(L + 1) << 2);
  const input = <usize>load<i32>(outs);
  const out = <usize>load<i32>(outs + (<usize>L << 2));
  const delta = <usize>load<i32>(deltas + (<usize>L << 2));
  const outAct = layerInt(plan, L - 1, 2);
  let sum: f64 = 0;
  let step = 0;
  for (let start = 0; start < n; start += batch) {
    const rows = min(batch, n - start);
    for (let r = 0; r < rows; r++) {
      const src = x + (<usize>(load<i32>(order + (<usize>(start + r) << 2)) * f) << 2);
      const dst = input + (<usize>(r * f) << 2);
      for (let c = 0; c < f; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
    }
    for (let l = 0; l < L; l++) {
      const fanIn = layerInt(plan, l, 0);
      const units = layerInt(plan, l, 1);
      const output = <usize>load<i32>(outs + (<usize>(l + 1) << 2));
      gemm(rows, units, fanIn, <usize>load<i32>(outs + (<usize>l << 2)), fanIn, 1, params + <usize>layerInt(plan, l, 3), units, output, units, params + <usize>layerInt(plan, l, 4));
      activate(layerInt(plan, l, 2), output, rows * units);
    }
    for (let r = 0; r < rows; r++) {
      const target = load<f32>(y + (<usize>load<i32>(order + (<usize>(start + r) << 2)) << 2));
      const diff: f64 = <f64>load<f32>(out + (<usize>r << 2)) - <f64>target;
      sum += diff * diff;
      store<f32>(delta + (<usize>r << 2), <f32>((2 * diff) / <f64>rows));
    }
    if (start == 0) store<f64>(first, sum / <f64>rows);
    slopeMul(outAct, delta, out, rows);
    for (let l = L - 1; l >= 0; l--) {
      const fanIn = layerInt(plan, l, 0);
      const units = layerInt(plan, l, 1);
      const kernel = <usize>layerInt(plan, l, 3);
      const layerIn = <usize>load<i32>(outs + (<usize>l << 2));
      const d = <usize>load<i32>(deltas + (<usize>(l + 1) << 2));
      gemm(fanIn, units, rows, layerIn, 1, fanIn, d, units, grads + kernel, units, 0);
      columnSums(rows, units, d, grads + <usize>layerInt(plan, l, 4));
      if (l == 0) break;
      const below = <usize>load<i32>(deltas + (<usize>l << 2));
      transpose(fanIn, units, params + kernel, transposed);
      gemm(rows, fanIn, units, d, units, 1, transposed, fanIn, below, fanIn, 0);
      slopeMul(layerInt(plan, l - 1, 2), below, layerIn, rows * fanIn);
    }
    if (opt == 0) sgd(params, grads, total, lr);
    else adam(params, grads, m, v, total, lr, b1, b2, eps, load<f32>(c1s + (<usize>step << 2)), load<f32>(c2s + (<usize>step << 2)));
    step++;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// LSTM (Keras' and TensorFlow.js' cell: gates i, f, c, o; tanh; recurrent sigmoid) forward and
// backward through time for one batch, and float32 exp, sigmoid and tanh, vector and scalar
// alike (the scalar forms do the vector's operations lane by lane, so a tail gets the same bits).
//
// exp: Cephes' expf (range reduction by n ln 2 in two parts, a degree-5 polynomial, then 2^n by
// the exponent bits), about 1 ulp. tanh: Cephes' tanhf polynomial below 0.625, else
// 1 - 2 / (exp(2x) + 1). sigmoid: 1 / (1 + exp(-x)). Inputs are clamped to expf's finite range.

const EXP_HI: f32 = 88.3762626647949;
const EXP_LO: f32 = -87.3365478515625;
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

function expf4(v: v128): v128 {
  const x0 = f32x4.max(f32x4.min(v, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x0, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  const x = f32x4.sub(f32x4.sub(x0, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), x), f32x4.splat(1));
  // 2^n for n in [-127, 128]: split in two halves so neither leaves the normal exponents.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(ni, 1);
  const a = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const b = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, a), b);
}

function expf1(v: f32): f32 {
  const x0 = max(min(v, EXP_HI), EXP_LO);
  const n = Mathf.floor(x0 * LOG2E + <f32>0.5);
  const x = x0 - n * LN2_HI - n * LN2_LO;
  const z = x * x;
  let p: f32 = 1.9875691500e-4;
  p = p * x + <f32>1.3981999507e-3;
  p = p * x + <f32>8.3334519073e-3;
  p = p * x + <f32>4.1665795894e-2;
  p = p * x + <f32>1.6666665459e-1;
  p = p * x + <f32>5.0000001201e-1;
  const y = p * z + x + <f32>1;
  const ni = <i32>n;
  const half = ni >> 1;
  return y * reinterpret<f32>((half + 127) << 23) * reinterpret<f32>((ni - half + 127) << 23);
}

function sigmoid4(v: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expf4(f32x4.neg(v))));
}

function sigmoid1(v: f32): f32 {
  return <f32>1 / (<f32>1 + expf1(-v));
}

const TANH_SMALL: f32 = 0.625;

function tanh4(v: v128): v128 {
  const z = f32x4.mul(v, v);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), v), v);
  const one = f32x4.splat(1);
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expf4(f32x4.add(v, v)), one)));
  return v128.bitselect(small, large, f32x4.lt(f32x4.abs(v), f32x4.splat(TANH_SMALL)));
}

function tanh1(v: f32): f32 {
  if (Mathf.abs(v) < TANH_SMALL) {
    const z = v * v;
    let p: f32 = -5.70498872745e-3;
    p = p * z + <f32>2.06390887954e-2;
    p = p * z + <f32>-5.37397155531e-2;
    p = p * z + <f32>1.33314422036e-1;
    p = p * z + <f32>-3.33332819422e-1;
    return p * z * v + v;
  }
  return <f32>1 - <f32>2 / (expf1(v + v) + <f32>1);
}

/** out[0..n) = exp, sigmoid (1) or tanh (2) of in[0..n): the vector lanes, then the scalar tail. For the tests. */
export function mathf(op: i32, src: usize, dst: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const at = <usize>i << 2;
    const x = v128.load(src + at);
    v128.store(dst + at, op == 0 ? expf4(x) : op == 1 ? sigmoid4(x) : tanh4(x));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const x = load<f32>(src + at);
    store<f32>(dst + at, op == 0 ? expf1(x) : op == 1 ? sigmoid1(x) : tanh1(x));
  }
}

/**
 * The LSTM over one batch and its Dense(1) output. x: the batch, [B][T][F]. params: K, the
 * kernel and the recurrent kernel stacked ([F + U] x 4U: the input's rows, then h's), the bias
 * [4U], the output kernel [U], the output bias. Written: xh [T][B][F + U] (each step's input and
 * the previous h, h_0 = 0), gates [T][B][4U] (activated i, f, g, o), c [T + 1][B][U] (c_0 = 0),
 * hT [B][U] (the last h), out [B] (the linear output).
 */
export function lstmForward(B: i32, T: i32, F: i32, U: i32, x: usize, params: usize, xh: usize, gates: usize, c: usize, hT: usize, out: usize): void {
  const W = F + U;
  const G = 4 * U;
  const kernel = params;
  const bias = params + (<usize>(W * G) << 2);
  const outKernel = bias + (<usize>G << 2);
  const outBias = outKernel + (<usize>U << 2);
  memory.fill(c, 0, <usize>(B * U) << 2);
  for (let t = 0; t < T; t++) {
    const xht = xh + (<usize>(t * B * W) << 2);
    for (let r = 0; r < B; r++) {
      const src = x + (<usize>((r * T + t) * F) << 2);
      const dst = xht + (<usize>(r * W) << 2);
      for (let k = 0; k < F; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
      if (t == 0) memory.fill(dst + (<usize>F << 2), 0, <usize>U << 2);
    }
    const gt = gates + (<usize>(t * B * G) << 2);
    gemm(B, G, W, xht, W, 1, kernel, G, gt, G, bias);
    const cPrev = c + (<usize>(t * B * U) << 2);
    const cNext = cPrev + (<usize>(B * U) << 2);
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const hDst = t + 1 < T ? xh + (<usize>(((t + 1) * B + r) * W + F) << 2) : hT + (<usize>(r * U) << 2);
      const U4 = U & ~3;
      let j = 0;
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const i = sigmoid4(v128.load(row + o4));
        const f = sigmoid4(v128.load(row + (<usize>U << 2) + o4));
        const g = tanh4(v128.load(row + (<usize>(2 * U) << 2) + o4));
        const o = sigmoid4(v128.load(row + (<usize>(3 * U) << 2) + o4));
        v128.store(row + o4, i);
        v128.store(row + (<usize>U << 2) + o4, f);
        v128.store(row + (<usize>(2 * U) << 2) + o4, g);
        v128.store(row + (<usize>(3 * U) << 2) + o4, o);
        const at = <usize>(r * U + j) << 2;
        const cv = f32x4.add(f32x4.mul(f, v128.load(cPrev + at)), f32x4.mul(i, g));
        v128.store(cNext + at, cv);
        v128.store(hDst + o4, f32x4.mul(o, tanh4(cv)));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const i = sigmoid1(load<f32>(row + o1));
        const f = sigmoid1(load<f32>(row + (<usize>U << 2) + o1));
        const g = tanh1(load<f32>(row + (<usize>(2 * U) << 2) + o1));
        const o = sigmoid1(load<f32>(row + (<usize>(3 * U) << 2) + o1));
        store<f32>(row + o1, i);
        store<f32>(row + (<usize>U << 2) + o1, f);
        store<f32>(row + (<usize>(2 * U) << 2) + o1, g);
        store<f32>(row + (<usize>(3 * U) << 2) + o1, o);
        const at = <usize>(r * U + j) << 2;
        const cv = f * load<f32>(cPrev + at) + i * g;
        store<f32>(cNext + at, cv);
        store<f32>(hDst + o1, o * tanh1(cv));
      }
    }
  }
  gemm(B, 1, U, hT, U, 1, outKernel, 1, out, 1, outBias);
}

/**
 * Gradients of every parameter (grads, laid out as params) from dOut [B] (the loss's derivative
 * by the linear output), after lstmForward of the same batch: backpropagation through time.
 * Scratch: dh and dc [B][U], dz [T][B][4U] (the gates' pre-activation gradients), rT [4U][U].
 */
export function lstmBackward(B: i32, T: i32, F: i32, U: i32, params: usize, grads: usize, xh: usize, gates: usize, c: usize, hT: usize, dOut: usize, dh: usize, dc: usize, dz: usize, rT: usize): void {
  const W = F + U;
  const G = 4 * U;
  const gBias = grads + (<usize>(W * G) << 2);
  const outKernel = params + (<usize>(W * G + G) << 2);
  const gOutKernel = gBias + (<usize>G << 2);
  const gOutBias = gOutKernel + (<usize>U << 2);
  gemm(U, 1, B, hT, 1, U, dOut, 1, gOutKernel, 1, 0);
  columnSums(B, 1, dOut, gOutBias);
  // dh = dOut outKernel^T (a [B x 1] by [1 x U] product), dc = 0.
  gemm(B, U, 1, dOut, 1, 1, outKernel, U, dh, U, 0);
  memory.fill(dc, 0, <usize>(B * U) << 2);
  // The recurrent kernel (K's rows F.. F + U - 1) transposed, for dh of the step before.
  transpose(U, G, params + (<usize>(F * G) << 2), rT);
  for (let t = T - 1; t >= 0; t--) {
    const gt = gates + (<usize>(t * B * G) << 2);
    const dzt = dz + (<usize>(t * B * G) << 2);
    const cNext = c + (<usize>((t + 1) * B * U) << 2);
    const cPrev = c + (<usize>(t * B * U) << 2);
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const drow = dzt + (<usize>(r * G) << 2);
      const U4 = U & ~3;
      let j = 0;
      const one = f32x4.splat(1);
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const i = v128.load(row + o4);
        const f = v128.load(row + (<usize>U << 2) + o4);
        const g = v128.load(row + (<usize>(2 * U) << 2) + o4);
        const o = v128.load(row + (<usize>(3 * U) << 2) + o4);
        const tc = tanh4(v128.load(cNext + at));
        const dhv = v128.load(dh + at);
        const dcv = f32x4.add(v128.load(dc + at), f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        v128.store(drow + o4, f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(drow + (<usize>U << 2) + o4, f32x4.mul(f32x4.mul(dcv, v128.load(cPrev + at)), f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(drow + (<usize>(2 * U) << 2) + o4, f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(drow + (<usize>(3 * U) << 2) + o4, f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(o, f32x4.sub(one, o))));
        v128.store(dc + at, f32x4.mul(dcv, f));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const i = load<f32>(row + o1);
        const f = load<f32>(row + (<usize>U << 2) + o1);
        const g = load<f32>(row + (<usize>(2 * U) << 2) + o1);
        const o = load<f32>(row + (<usize>(3 * U) << 2) + o1);
        const tc = tanh1(load<f32>(cNext + at));
        const dhv = load<f32>(dh + at);
        const dcv = load<f32>(dc + at) + dhv * o * (<f32>1 - tc * tc);
        store<f32>(drow + o1, dcv * g * (i * (<f32>1 - i)));
        store<f32>(drow + (<usize>U << 2) + o1, dcv * load<f32>(cPrev + at) * (f * (<f32>1 - f)));
        store<f32>(drow + (<usize>(2 * U) << 2) + o1, dcv * i * (<f32>1 - g * g));
        store<f32>(drow + (<usize>(3 * U) << 2) + o1, dhv * tc * (o * (<f32>1 - o)));
        store<f32>(dc + at, dcv * f);
      }
    }
    // dh of the step before: dz_t R^T.
    if (t > 0) gemm(B, U, G, dzt, G, 1, rT, U, dh, U, 0);
  }
  // Over every step and row at once: dK = XH^T DZ, db = the column sums of DZ.
  gemm(W, G, T * B, xh, 1, W, dz, G, grads, G, 0);
  columnSums(T * B, G, dz, gBias);
}

// ---------------------------------------------------------------------------------------------
// GRU in TensorFlow.js' convention (reset_after = false; gates z, r, h): z = sigmoid(x Wz + h Uz
// + bz), r = sigmoid(x Wr + h Ur + br), hh = tanh(x Wh + (r h) Uh + bh), h' = z h + (1 - z) hh.
// params: Wx [F x 3U], Uh [U x 3U], bias [3U], the output kernel [U], the output bias.
// Written by the forward pass: xs [T][B][F] (each step's inputs), hs [T + 1][B][U] (h_0 = 0),
// gates [T][B][3U] (z, r, hh activated), rh [T][B][U] (r h), out [B]; scratch zr [B][2U].

export function gruForward(B: i32, T: i32, F: i32, U: i32, x: usize, params: usize, xs: usize, hs: usize, gates: usize, rh: usize, zr: usize, out: usize): void {
  const G = 3 * U;
  const wx = params;
  const uh = wx + (<usize>(F * G) << 2);
  const bias = uh + (<usize>(U * G) << 2);
  const outKernel = bias + (<usize>G << 2);
  const outBias = outKernel + (<usize>U << 2);
  memory.fill(hs, 0, <usize>(B * U) << 2);
  for (let t = 0; t < T; t++) {
    const xt = xs + (<usize>(t * B * F) << 2);
    for (let r = 0; r < B; r++) {
      const src = x + (<usize>((r * T + t) * F) << 2);
      const dst = xt + (<usize>(r * F) << 2);
      for (let k = 0; k < F; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
    }
    const gt = gates + (<usize>(t * B * G) << 2);
    const hPrev = hs + (<usize>(t * B * U) << 2);
    const hNext = hPrev + (<usize>(B * U) << 2);
    const rht = rh + (<usize>(t * B * U) << 2);
    // The inputs' part of every gate with the bias; h's part of z and r.
    gemm(B, G, F, xt, F, 1, wx, G, gt, G, bias);
    gemm(B, 2 * U, U, hPrev, U, 1, uh, G, zr, 2 * U, 0);
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const zrow = zr + (<usize>(r * 2 * U) << 2);
      const U4 = U & ~3;
      let j = 0;
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const z = sigmoid4(f32x4.add(v128.load(row + o4), v128.load(zrow + o4)));
        const rr = sigmoid4(f32x4.add(v128.load(row + (<usize>U << 2) + o4), v128.load(zrow + (<usize>U << 2) + o4)));
        v128.store(row + o4, z);
        v128.store(row + (<usize>U << 2) + o4, rr);
        v128.store(rht + at, f32x4.mul(rr, v128.load(hPrev + at)));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const z = sigmoid1(load<f32>(row + o1) + load<f32>(zrow + o1));
        const rr = sigmoid1(load<f32>(row + (<usize>U << 2) + o1) + load<f32>(zrow + (<usize>U << 2) + o1));
        store<f32>(row + o1, z);
        store<f32>(row + (<usize>U << 2) + o1, rr);
        store<f32>(rht + at, rr * load<f32>(hPrev + at));
      }
    }
    // The candidate: (r h) Uh, into zr's first U columns of each row.
    gemm(B, U, U, rht, U, 1, uh + (<usize>(2 * U) << 2), G, zr, 2 * U, 0);
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const crow = zr + (<usize>(r * 2 * U) << 2);
      const U4 = U & ~3;
      let j = 0;
      const one = f32x4.splat(1);
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const hh = tanh4(f32x4.add(v128.load(row + (<usize>(2 * U) << 2) + o4), v128.load(crow + o4)));
        v128.store(row + (<usize>(2 * U) << 2) + o4, hh);
        const z = v128.load(row + o4);
        v128.store(hNext + at, f32x4.add(f32x4.mul(z, v128.load(hPrev + at)), f32x4.mul(f32x4.sub(one, z), hh)));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const hh = tanh1(load<f32>(row + (<usize>(2 * U) << 2) + o1) + load<f32>(crow + o1));
        store<f32>(row + (<usize>(2 * U) << 2) + o1, hh);
        const z = load<f32>(row + o1);
        store<f32>(hNext + at, z * load<f32>(hPrev + at) + (<f32>1 - z) * hh);
      }
    }
  }
  gemm(B, 1, U, hs + (<usize>(T * B * U) << 2), U, 1, outKernel, 1, out, 1, outBias);
}

/**
 * Gradients of every parameter from dOut [B], after gruForward of the same batch. Scratch: dh,
 * drh, tmp [B][U], da [T][B][3U] (the gates' pre-activation gradients), uT [3U][U].
 */
export function gruBackward(B: i32, T: i32, F: i32, U: i32, params: usize, grads: usize, xs: usize, hs: usize, gates: usize, rh: usize, dOut: usize, dh: usize, drh: usize, tmp: usize, da: usize, uT: usize): void {
  const G = 3 * U;
  const uh = params + (<usize>(F * G) << 2);
  const outKernel = uh + (<usize>(U * G + G) << 2);
  const gUh = grads + (<usize>(F * G) << 2);
  const gBias = gUh + (<usize>(U * G) << 2);
  const gOutKernel = gBias + (<usize>G << 2);
  const gOutBias = gOutKernel + (<usize>U << 2);
  const hT = hs + (<usize>(T * B * U) << 2);
  gemm(U, 1, B, hT, 1, U, dOut, 1, gOutKernel, 1, 0);
  columnSums(B, 1, dOut, gOutBias);
  gemm(B, U, 1, dOut, 1, 1, outKernel, U, dh, U, 0);
  transpose(U, G, uh, uT);
  const one = f32x4.splat(1);
  for (let t = T - 1; t >= 0; t--) {
    const gt = gates + (<usize>(t * B * G) << 2);
    const dat = da + (<usize>(t * B * G) << 2);
    const hPrev = hs + (<usize>(t * B * U) << 2);
    // The candidate's pre-activation gradient, and dz; dh keeps the direct part z dh for now.
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const drow = dat + (<usize>(r * G) << 2);
      const U4 = U & ~3;
      let j = 0;
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const z = v128.load(row + o4);
        const hh = v128.load(row + (<usize>(2 * U) << 2) + o4);
        const d = v128.load(dh + at);
        const dz = f32x4.mul(d, f32x4.sub(v128.load(hPrev + at), hh));
        v128.store(drow + o4, f32x4.mul(dz, f32x4.mul(z, f32x4.sub(one, z))));
        v128.store(drow + (<usize>(2 * U) << 2) + o4, f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(hh, hh))));
        v128.store(dh + at, f32x4.mul(d, z));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const z = load<f32>(row + o1);
        const hh = load<f32>(row + (<usize>(2 * U) << 2) + o1);
        const d = load<f32>(dh + at);
        const dz = d * (load<f32>(hPrev + at) - hh);
        store<f32>(drow + o1, dz * (z * (<f32>1 - z)));
        store<f32>(drow + (<usize>(2 * U) << 2) + o1, d * (<f32>1 - z) * (<f32>1 - hh * hh));
        store<f32>(dh + at, d * z);
      }
    }
    // d(r h) = da_h Uh_h^T; then dr and the part of dh through r h.
    gemm(B, U, U, dat + (<usize>(2 * U) << 2), G, 1, uT + (<usize>(2 * U * U) << 2), U, drh, U, 0);
    for (let r = 0; r < B; r++) {
      const row = gt + (<usize>(r * G) << 2);
      const drow = dat + (<usize>(r * G) << 2);
      const U4 = U & ~3;
      let j = 0;
      for (; j < U4; j += 4) {
        const o4 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const rr = v128.load(row + (<usize>U << 2) + o4);
        const d = v128.load(drh + at);
        v128.store(drow + (<usize>U << 2) + o4, f32x4.mul(f32x4.mul(d, v128.load(hPrev + at)), f32x4.mul(rr, f32x4.sub(one, rr))));
        v128.store(dh + at, f32x4.add(v128.load(dh + at), f32x4.mul(d, rr)));
      }
      for (; j < U; j++) {
        const o1 = <usize>j << 2;
        const at = <usize>(r * U + j) << 2;
        const rr = load<f32>(row + (<usize>U << 2) + o1);
        const d = load<f32>(drh + at);
        store<f32>(drow + (<usize>U << 2) + o1, d * load<f32>(hPrev + at) * (rr * (<f32>1 - rr)));
        store<f32>(dh + at, load<f32>(dh + at) + d * rr);
      }
    }
    // The part of dh through z's and r's recurrent products: [da_z, da_r] [Uz, Ur]^T.
    if (t > 0) {
      gemm(B, U, 2 * U, dat, G, 1, uT, U, tmp, U, 0);
      const n = B * U;
      const n4 = n & ~3;
      let i = 0;
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(dh + at, f32x4.add(v128.load(dh + at), v128.load(tmp + at)));
      }
      for (; i < n; i++) {
        const at = <usize>i << 2;
        store<f32>(dh + at, load<f32>(dh + at) + load<f32>(tmp + at));
      }
    }
  }
  // Over every step and row at once: dWx = XS^T DA, dU_zr = H_prev^T DA_zr, dU_h = RH^T DA_h, db = column sums of DA.
  gemm(F, G, T * B, xs, 1, F, da, G, grads, G, 0);
  gemm(U, 2 * U, T * B, hs, 1, U, da, G, gUh, G, 0);
  gemm(U, U, T * B, rh, 1, U, da + (<usize>(2 * U) << 2), G, gUh + (<usize>(2 * U) << 2), G, 0);
  columnSums(T * B, G, da, gBias);
}

// ---------------------------------------------------------------------------------------------
// Lockstep: four independent fits of one network, one in each lane of every vector. Value p of
// lane j (a weight, a gradient, a moment, or element (r, u) of a layer's output or delta) is the
// float32 at 16 p + 4 j bytes of its array. Every value of a lane is computed with the float32
// operations, in the order, that trainEpochMse (and forwarding a batch) performs on that fit
// alone: a sum starts from the bias or +0 and adds one product after another over k = 0, 1, ...,
// activations and slopes are the same elementwise helpers, so each lane's weights come out bit
// for bit the weights of its fit trained alone. The fits may have different row counts, orders,
// epochs and Adam steps: a row beyond a lane's batch is masked out of every sum over rows (the
// sum keeps its value, not +0 added), and a lane without rows in a batch is not updated.
//
// `lanes` holds LANE_INTS i32s per lane: [rows, x, y, order, c1s, c2s, active, 0]; x, y and
// order are that fit's own arrays as trainEpochMse takes them, c1s and c2s its Adam corrections
// of this epoch's batches; active 0 leaves the lane untouched (a fit that has stopped, or no
// fit). `plan` is trainEpochMse's, its pointers to lane arrays (kernel and bias offsets in
// params and grads; layer outputs and deltas of `batch` rows). Each lane's summed loss and its
// first batch's mean go to the float64s sums[j] and firsts[j]; `masks` is scratch of `batch`
// vectors.

const LANE_INTS = 8;

@inline function laneInt(lanes: usize, j: i32, k: i32): i32 {
  return load<i32>(lanes + (<usize>(j * LANE_INTS + k) << 2));
}

/** x > 0 ? x : 0 per lane when `relu` (activate's ReLU: NaN and negatives to 0), else x. */
@inline function reluIf(relu: bool, x: v128): v128 {
  return relu ? v128.bitselect(x, f32x4.splat(0), f32x4.gt(x, f32x4.splat(0))) : x;
}

/** delta times ReLU's slope at out (slopeMul's: 0 where out is not > 0) when `relu`, else delta. */
@inline function reluSlopeIf(relu: bool, delta: v128, out: v128): v128 {
  return relu ? v128.and(delta, f32x4.gt(out, f32x4.splat(0))) : delta;
}

/** out[l + 1] = activation(out[l] W_l + b_l) for `rows` rows of four lanes: gemm's sums, lane by lane. */
function forwardLanes4(plan: usize, rows: i32, params: usize): void {
  const L = load<i32>(plan);
  const outs = plan + (<usize>(2 + L * PLAN_LAYER) << 2);
  for (let l = 0; l < L; l++) {
    const fanIn = layerInt(plan, l, 0);
    const units = layerInt(plan, l, 1);
    const kernel = params + <usize>layerInt(plan, l, 3);
    const bias = params + <usize>layerInt(plan, l, 4);
    const input = <usize>load<i32>(outs + (<usize>l << 2));
    const output = <usize>load<i32>(outs + (<usize>(l + 1) << 2));
    const rowW = <usize>units << 4;
    const act = layerInt(plan, l, 2);
    // ReLU as each sum is stored (activate's operation, one pass fewer); others after the layer.
    const relu = act == 1;
    const U4 = units & ~3;
    // Two rows at a time: each weight vector loaded once for both.
    let r2 = 0;
    for (; r2 + 2 <= rows; r2 += 2) {
      const pin = input + (<usize>(r2 * fanIn) << 4);
      const pin1 = pin + (<usize>fanIn << 4);
      const pout = output + (<usize>(r2 * units) << 4);
      const pout1 = pout + rowW;
      for (let u = 0; u < U4; u += 4) {
        const pb = bias + (<usize>u << 4);
        let a0 = v128.load(pb), a1 = v128.load(pb, 16), a2 = v128.load(pb, 32), a3 = v128.load(pb, 48);
        let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
        let pw = kernel + (<usize>u << 4);
        for (let k = 0; k < fanIn; k++) {
          const a = v128.load(pin + (<usize>k << 4));
          const b = v128.load(pin1 + (<usize>k << 4));
          const w0 = v128.load(pw), w1 = v128.load(pw, 16), w2 = v128.load(pw, 32), w3 = v128.load(pw, 48);
          a0 = mac(a0, a, w0); a1 = mac(a1, a, w1); a2 = mac(a2, a, w2); a3 = mac(a3, a, w3);
          b0 = mac(b0, b, w0); b1 = mac(b1, b, w1); b2 = mac(b2, b, w2); b3 = mac(b3, b, w3);
          pw += rowW;
        }
        const po = pout + (<usize>u << 4);
        v128.store(po, reluIf(relu, a0)); v128.store(po, reluIf(relu, a1), 16); v128.store(po, reluIf(relu, a2), 32); v128.store(po, reluIf(relu, a3), 48);
        const po1 = pout1 + (<usize>u << 4);
        v128.store(po1, reluIf(relu, b0)); v128.store(po1, reluIf(relu, b1), 16); v128.store(po1, reluIf(relu, b2), 32); v128.store(po1, reluIf(relu, b3), 48);
      }
    }
    for (let r = r2; r < rows; r++) {
      const pin = input + (<usize>(r * fanIn) << 4);
      const pout = output + (<usize>(r * units) << 4);
      for (let u = 0; u < U4; u += 4) {
        const pb = bias + (<usize>u << 4);
        let a0 = v128.load(pb), a1 = v128.load(pb, 16), a2 = v128.load(pb, 32), a3 = v128.load(pb, 48);
        let pw = kernel + (<usize>u << 4);
        for (let k = 0; k < fanIn; k++) {
          const a = v128.load(pin + (<usize>k << 4));
          a0 = mac(a0, a, v128.load(pw));
          a1 = mac(a1, a, v128.load(pw, 16));
          a2 = mac(a2, a, v128.load(pw, 32));
          a3 = mac(a3, a, v128.load(pw, 48));
          pw += rowW;
        }
        const po = pout + (<usize>u << 4);
        v128.store(po, reluIf(relu, a0)); v128.store(po, reluIf(relu, a1), 16); v128.store(po, reluIf(relu, a2), 32); v128.store(po, reluIf(relu, a3), 48);
      }
    }
    // The units past the last four (a one-unit output layer): four rows at a time, so that four
    // sums are under way at once.
    const rowIn = <usize>fanIn << 4;
    for (let u = U4; u < units; u++) {
      const b0 = v128.load(bias + (<usize>u << 4));
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        let a0 = b0, a1 = b0, a2 = b0, a3 = b0;
        let pin = input + (<usize>(r * fanIn) << 4);
        let pw = kernel + (<usize>u << 4);
        for (let k = 0; k < fanIn; k++) {
          const w = v128.load(pw);
          a0 = mac(a0, v128.load(pin), w);
          a1 = mac(a1, v128.load(pin + rowIn), w);
          a2 = mac(a2, v128.load(pin + 2 * rowIn), w);
          a3 = mac(a3, v128.load(pin + 3 * rowIn), w);
          pin += 16;
          pw += rowW;
        }
        const po = output + (<usize>(r * units + u) << 4);
        v128.store(po, reluIf(relu, a0));
        v128.store(po + rowW, reluIf(relu, a1));
        v128.store(po + 2 * rowW, reluIf(relu, a2));
        v128.store(po + 3 * rowW, reluIf(relu, a3));
      }
      for (; r < rows; r++) {
        let a0 = b0;
        let pin = input + (<usize>(r * fanIn) << 4);
        let pw = kernel + (<usize>u << 4);
        for (let k = 0; k < fanIn; k++) {
          a0 = mac(a0, v128.load(pin), v128.load(pw));
          pin += 16;
          pw += rowW;
        }
        v128.store(output + (<usize>(r * units + u) << 4), reluIf(relu, a0));
      }
    }
    if (!relu) activate(act, output, rows * units * 4);
  }
}

/** The network's outputs for `rows` rows of four lanes, already in the plan's input array (forward only, e.g. validation rows). */
export function forwardLanes(plan: usize, rows: i32, params: usize): void {
  forwardLanes4(plan, rows, params);
}

/**
 * acc + value where the lane's mask is set, else acc unchanged: acc + (+0) there, which is acc
 * exactly, as every such sum starts from +0 and so is never -0 (x + y is -0 only when both are).
 * The mask applies to the value, off the chain of additions.
 */
@inline function maskedAdd(acc: v128, value: v128, mask: v128): v128 {
  return f32x4.add(acc, v128.and(value, mask));
}

export function trainEpochMseLanes(
  plan: usize,
  batch: i32,
  lanes: usize,
  params: usize,
  grads: usize,
  total: i32,
  opt: i32,
  lr: f32,
  m: usize,
  v: usize,
  b1: f32,
  b2: f32,
  eps: f32,
  sums: usize,
  firsts: usize,
  masks: usize,
): void {
  const L = load<i32>(plan);
  const f = load<i32>(plan + 4);
  const outs = plan + (<usize>(2 + L * PLAN_LAYER) << 2);
  const deltas = outs + (<usize>(L + 1) << 2);
  const input = <usize>load<i32>(outs);
  const out = <usize>load<i32>(outs + (<usize>L << 2));
  const delta = <usize>load<i32>(deltas + (<usize>L << 2));
  const outAct = layerInt(plan, L - 1, 2);
  let longest = 0;
  for (let j = 0; j < 4; j++) {
    store<f64>(sums + (<usize>j << 3), 0);
    if (laneInt(lanes, j, 6) != 0) longest = max(longest, laneInt(lanes, j, 0));
  }
  const zero = f32x4.splat(0);
  let step = 0;
  for (let start = 0; start < longest; start += batch) {
    // Rows of each lane in this batch (0: the lane has no batch left, or is not active).
    let counts = i32x4.splat(0);
    let rowsMax = 0;
    for (let j = 0; j < 4; j++) {
      const n = laneInt(lanes, j, 6) != 0 ? laneInt(lanes, j, 0) : 0;
      const rows = max(0, min(batch, n - start));
      counts = i32x4.replace_lane(counts, 0, rows);
      counts = v128.shuffle<i32>(counts, counts, 1, 2, 3, 0);
      rowsMax = max(rowsMax, rows);
    }
    // Per row: the lanes' mask; every lane's row of the batch (zeros past a lane's rows) and its
    // target, gathered into vectors.
    const x0 = <usize>laneInt(lanes, 0, 1), x1 = <usize>laneInt(lanes, 1, 1), x2 = <usize>laneInt(lanes, 2, 1), x3 = <usize>laneInt(lanes, 3, 1);
    const y0 = <usize>laneInt(lanes, 0, 2), y1 = <usize>laneInt(lanes, 1, 2), y2 = <usize>laneInt(lanes, 2, 2), y3 = <usize>laneInt(lanes, 3, 2);
    const o0 = <usize>laneInt(lanes, 0, 3), o1 = <usize>laneInt(lanes, 1, 3), o2 = <usize>laneInt(lanes, 2, 3), o3 = <usize>laneInt(lanes, 3, 3);
    const n0 = i32x4.extract_lane(counts, 0), n1 = i32x4.extract_lane(counts, 1), n2 = i32x4.extract_lane(counts, 2), n3 = i32x4.extract_lane(counts, 3);
    const at = <usize>start << 2;
    for (let r = 0; r < rowsMax; r++) {
      v128.store(masks + (<usize>r << 4), i32x4.gt_s(counts, i32x4.splat(r)));
      const rr = <usize>r << 2;
      // A lane past its rows reads its row 0 (any valid row) and is zeroed below.
      const i0 = r < n0 ? load<i32>(o0 + at + rr) : 0, i1 = r < n1 ? load<i32>(o1 + at + rr) : 0;
      const i2 = r < n2 ? load<i32>(o2 + at + rr) : 0, i3 = r < n3 ? load<i32>(o3 + at + rr) : 0;
      const keep = v128.load(masks + (<usize>r << 4));
      const dst = input + (<usize>(r * f) << 4);
      for (let c = 0; c < f; c++) {
        let row = f32x4.splat(load<f32>(x0 + (<usize>(i0 * f + c) << 2)));
        row = f32x4.replace_lane(row, 1, load<f32>(x1 + (<usize>(i1 * f + c) << 2)));
        row = f32x4.replace_lane(row, 2, load<f32>(x2 + (<usize>(i2 * f + c) << 2)));
        row = f32x4.replace_lane(row, 3, load<f32>(x3 + (<usize>(i3 * f + c) << 2)));
        v128.store(dst + (<usize>c << 4), v128.and(row, keep));
      }
      let target = f32x4.splat(load<f32>(y0 + (<usize>i0 << 2)));
      target = f32x4.replace_lane(target, 1, load<f32>(y1 + (<usize>i1 << 2)));
      target = f32x4.replace_lane(target, 2, load<f32>(y2 + (<usize>i2 << 2)));
      target = f32x4.replace_lane(target, 3, load<f32>(y3 + (<usize>i3 << 2)));
      v128.store(delta + (<usize>r << 4), target);
    }
    forwardLanes4(plan, rowsMax, params);
    // The loss, summed in float64 row by row per lane, and the output delta 2 (out - y) / rows
    // in float64 rounded to float32: two lanes to a float64 vector. (delta held the targets.)
    let sumLo = v128.load(sums), sumHi = v128.load(sums, 16);
    const rowsLo = f64x2.convert_low_i32x4_s(counts);
    const rowsHi = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(counts, counts, 2, 3, 0, 1));
    const two = f64x2.splat(2);
    for (let r = 0; r < rowsMax; r++) {
      const keep = v128.load(masks + (<usize>r << 4));
      const o = v128.load(out + (<usize>r << 4));
      const t = v128.load(delta + (<usize>r << 4));
      const dLo = f64x2.sub(f64x2.promote_low_f32x4(o), f64x2.promote_low_f32x4(t));
      const dHi = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(o, o, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1)));
      // (The sums start at +0: adding +0 past a lane's rows leaves them as they are, as above.)
      sumLo = f64x2.add(sumLo, v128.and(f64x2.mul(dLo, dLo), i64x2.extend_low_i32x4_s(keep)));
      sumHi = f64x2.add(sumHi, v128.and(f64x2.mul(dHi, dHi), i64x2.extend_high_i32x4_s(keep)));
      const lo = f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(two, dLo), rowsLo));
      const hi = f32x4.demote_f64x2_zero(f64x2.div(f64x2.mul(two, dHi), rowsHi));
      v128.store(delta + (<usize>r << 4), v128.and(v128.shuffle<f32>(lo, hi, 0, 1, 4, 5), keep));
    }
    v128.store(sums, sumLo);
    v128.store(sums, sumHi, 16);
    if (start == 0) {
      for (let j = 0; j < 4; j++) {
        const rows = laneInt(lanes, j, 6) != 0 ? min(batch, laneInt(lanes, j, 0)) : 0;
        if (rows > 0) store<f64>(firsts + (<usize>j << 3), load<f64>(sums + (<usize>j << 3)) / <f64>rows);
      }
    }
    slopeMul(outAct, delta, out, rowsMax * 4);
    for (let l = L - 1; l >= 0; l--) {
      const fanIn = layerInt(plan, l, 0);
      const units = layerInt(plan, l, 1);
      const kernel = <usize>layerInt(plan, l, 3);
      const layerIn = <usize>load<i32>(outs + (<usize>l << 2));
      const d = <usize>load<i32>(deltas + (<usize>(l + 1) << 2));
      const rowIn = <usize>fanIn << 4;
      const rowD = <usize>units << 4;
      // dW[k, u] = sum over the lane's rows r of in[r, k] d[r, u]; db[u] = sum of d[r, u].
      // Two inputs k at a time: each delta vector loaded once for both.
      let k2 = 0;
      for (; k2 + 2 <= fanIn; k2 += 2) {
        for (let u = 0; u + 4 <= units; u += 4) {
          let g0 = zero, g1 = zero, g2 = zero, g3 = zero;
          let h0 = zero, h1 = zero, h2 = zero, h3 = zero;
          let pi = layerIn + (<usize>k2 << 4);
          let pd = d + (<usize>u << 4);
          for (let r = 0; r < rowsMax; r++) {
            const mask = v128.load(masks + (<usize>r << 4));
            const a = v128.load(pi);
            const b = v128.load(pi, 16);
            const d0 = v128.load(pd), d1 = v128.load(pd, 16), d2 = v128.load(pd, 32), d3 = v128.load(pd, 48);
            g0 = maskedAdd(g0, f32x4.mul(a, d0), mask); g1 = maskedAdd(g1, f32x4.mul(a, d1), mask);
            g2 = maskedAdd(g2, f32x4.mul(a, d2), mask); g3 = maskedAdd(g3, f32x4.mul(a, d3), mask);
            h0 = maskedAdd(h0, f32x4.mul(b, d0), mask); h1 = maskedAdd(h1, f32x4.mul(b, d1), mask);
            h2 = maskedAdd(h2, f32x4.mul(b, d2), mask); h3 = maskedAdd(h3, f32x4.mul(b, d3), mask);
            pi += rowIn;
            pd += rowD;
          }
          const pg = grads + kernel + (<usize>(k2 * units + u) << 4);
          v128.store(pg, g0); v128.store(pg, g1, 16); v128.store(pg, g2, 32); v128.store(pg, g3, 48);
          const ph = pg + rowD;
          v128.store(ph, h0); v128.store(ph, h1, 16); v128.store(ph, h2, 32); v128.store(ph, h3, 48);
        }
      }
      for (let k = k2; k < fanIn; k++) {
        let u = 0;
        for (; u + 4 <= units; u += 4) {
          let g0 = zero, g1 = zero, g2 = zero, g3 = zero;
          let pi = layerIn + (<usize>k << 4);
          let pd = d + (<usize>u << 4);
          for (let r = 0; r < rowsMax; r++) {
            const mask = v128.load(masks + (<usize>r << 4));
            const a = v128.load(pi);
            g0 = maskedAdd(g0, f32x4.mul(a, v128.load(pd)), mask);
            g1 = maskedAdd(g1, f32x4.mul(a, v128.load(pd, 16)), mask);
            g2 = maskedAdd(g2, f32x4.mul(a, v128.load(pd, 32)), mask);
            g3 = maskedAdd(g3, f32x4.mul(a, v128.load(pd, 48)), mask);
            pi += rowIn;
            pd += rowD;
          }
          const pg = grads + kernel + (<usize>(k * units + u) << 4);
          v128.store(pg, g0); v128.store(pg, g1, 16); v128.store(pg, g2, 32); v128.store(pg, g3, 48);
        }
      }
      // Units past the last four: four inputs k at a time.
      const U4 = units & ~3;
      for (let u = U4; u < units; u++) {
        let k = 0;
        for (; k + 4 <= fanIn; k += 4) {
          let g0 = zero, g1 = zero, g2 = zero, g3 = zero;
          let pi = layerIn + (<usize>k << 4);
          let pd = d + (<usize>u << 4);
          for (let r = 0; r < rowsMax; r++) {
            const mask = v128.load(masks + (<usize>r << 4));
            const dv = v128.load(pd);
            g0 = maskedAdd(g0, f32x4.mul(v128.load(pi), dv), mask);
            g1 = maskedAdd(g1, f32x4.mul(v128.load(pi, 16), dv), mask);
            g2 = maskedAdd(g2, f32x4.mul(v128.load(pi, 32), dv), mask);
            g3 = maskedAdd(g3, f32x4.mul(v128.load(pi, 48), dv), mask);
            pi += rowIn;
            pd += rowD;
          }
          const pg = grads + kernel + (<usize>(k * units + u) << 4);
          v128.store(pg, g0);
          v128.store(pg + rowD, g1);
          v128.store(pg + 2 * rowD, g2);
          v128.store(pg + 3 * rowD, g3);
        }
        for (; k < fanIn; k++) {
          let g0 = zero;
          let pi = layerIn + (<usize>k << 4);
          let pd = d + (<usize>u << 4);
          for (let r = 0; r < rowsMax; r++) {
            g0 = maskedAdd(g0, f32x4.mul(v128.load(pi), v128.load(pd)), v128.load(masks + (<usize>r << 4)));
            pi += rowIn;
            pd += rowD;
          }
          v128.store(grads + kernel + (<usize>(k * units + u) << 4), g0);
        }
      }
      const gb = grads + <usize>layerInt(plan, l, 4);
      let ub = 0;
      for (; ub + 4 <= units; ub += 4) {
        let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        let pd = d + (<usize>ub << 4);
        for (let r = 0; r < rowsMax; r++) {
          const mask = v128.load(masks + (<usize>r << 4));
          s0 = maskedAdd(s0, v128.load(pd), mask);
          s1 = maskedAdd(s1, v128.load(pd, 16), mask);
          s2 = maskedAdd(s2, v128.load(pd, 32), mask);
          s3 = maskedAdd(s3, v128.load(pd, 48), mask);
          pd += rowD;
        }
        const pg = gb + (<usize>ub << 4);
        v128.store(pg, s0); v128.store(pg, s1, 16); v128.store(pg, s2, 32); v128.store(pg, s3, 48);
      }
      for (; ub < units; ub++) {
        let s0 = zero;
        let pd = d + (<usize>ub << 4);
        for (let r = 0; r < rowsMax; r++) {
          s0 = maskedAdd(s0, v128.load(pd), v128.load(masks + (<usize>r << 4)));
          pd += rowD;
        }
        v128.store(gb + (<usize>ub << 4), s0);
      }
      if (l == 0) break;
      // The delta of the layer below, with the weights before this batch's update:
      // below[r, k] = sum over u of d[r, u] W[k, u], then through that layer's activation.
      const below = <usize>load<i32>(deltas + (<usize>l << 2));
      const w = params + kernel;
      const actBelow = layerInt(plan, l - 1, 2);
      const reluBelow = actBelow == 1;
      for (let r = 0; r < rowsMax; r++) {
        const pd = d + (<usize>(r * units) << 4);
        const pbl = below + (<usize>(r * fanIn) << 4);
        let k = 0;
        for (; k + 4 <= fanIn; k += 4) {
          let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
          let pw = w + (<usize>(k * units) << 4);
          for (let u = 0; u < units; u++) {
            const dv = v128.load(pd + (<usize>u << 4));
            s0 = mac(s0, dv, v128.load(pw));
            s1 = mac(s1, dv, v128.load(pw + rowD));
            s2 = mac(s2, dv, v128.load(pw + 2 * rowD));
            s3 = mac(s3, dv, v128.load(pw + 3 * rowD));
            pw += 16;
          }
          const pk = pbl + (<usize>k << 4);
          const pin = layerIn + (<usize>(r * fanIn + k) << 4);
          v128.store(pk, reluSlopeIf(reluBelow, s0, v128.load(pin)));
          v128.store(pk, reluSlopeIf(reluBelow, s1, v128.load(pin, 16)), 16);
          v128.store(pk, reluSlopeIf(reluBelow, s2, v128.load(pin, 32)), 32);
          v128.store(pk, reluSlopeIf(reluBelow, s3, v128.load(pin, 48)), 48);
        }
        for (; k < fanIn; k++) {
          let s0 = zero;
          const pw = w + (<usize>(k * units) << 4);
          for (let u = 0; u < units; u++) s0 = mac(s0, v128.load(pd + (<usize>u << 4)), v128.load(pw + (<usize>u << 4)));
          v128.store(pbl + (<usize>k << 4), reluSlopeIf(reluBelow, s0, v128.load(layerIn + (<usize>(r * fanIn + k) << 4))));
        }
      }
      if (!reluBelow) slopeMul(actBelow, below, layerIn, rowsMax * fanIn * 4);
    }
    // The update of the lanes that had rows in this batch.
    const moving = i32x4.gt_s(counts, i32x4.splat(0));
    if (opt == 0) {
      const rate = f32x4.splat(lr);
      for (let p = 0; p < total; p++) {
        const at = <usize>p << 4;
        const wp = v128.load(params + at);
        v128.store(params + at, v128.bitselect(f32x4.sub(wp, f32x4.mul(rate, v128.load(grads + at))), wp, moving));
      }
    } else {
      // Each lane's bias corrections for its step in this epoch (1 where the lane does not move).
      let C1 = f32x4.splat(1), C2 = f32x4.splat(1);
      for (let j = 0; j < 4; j++) {
        const rows = i32x4.extract_lane(counts, 0);
        counts = v128.shuffle<i32>(counts, counts, 1, 2, 3, 0);
        const c1 = rows > 0 ? load<f32>(<usize>laneInt(lanes, j, 4) + (<usize>step << 2)) : <f32>1;
        const c2 = rows > 0 ? load<f32>(<usize>laneInt(lanes, j, 5) + (<usize>step << 2)) : <f32>1;
        C1 = v128.shuffle<f32>(f32x4.replace_lane(C1, 0, c1), C1, 1, 2, 3, 0);
        C2 = v128.shuffle<f32>(f32x4.replace_lane(C2, 0, c2), C2, 1, 2, 3, 0);
      }
      const B1 = f32x4.splat(b1), B2 = f32x4.splat(b2), A1 = f32x4.splat(1 - b1), A2 = f32x4.splat(1 - b2);
      const LR = f32x4.splat(lr), E = f32x4.splat(eps);
      for (let p = 0; p < total; p++) {
        const at = <usize>p << 4;
        const gi = v128.load(grads + at);
        const m0 = v128.load(m + at);
        const v0 = v128.load(v + at);
        const w0 = v128.load(params + at);
        const mi = f32x4.add(f32x4.mul(B1, m0), f32x4.mul(A1, gi));
        const vi = f32x4.add(f32x4.mul(B2, v0), f32x4.mul(A2, f32x4.mul(gi, gi)));
        const delta = f32x4.div(f32x4.mul(LR, f32x4.div(mi, C1)), f32x4.add(f32x4.sqrt(f32x4.div(vi, C2)), E));
        v128.store(m + at, v128.bitselect(mi, m0, moving));
        v128.store(v + at, v128.bitselect(vi, v0, moving));
        v128.store(params + at, v128.bitselect(f32x4.sub(w0, delta), w0, moving));
      }
    }
    step++;
  }
}

// ---------------------------------------------------------------------------------------------
// An epoch's shuffle: Fisher-Yates over order[0..n) in place, drawing from mulberry32 whose
// 32-bit state is given and returned (src/nn/seeded-random.ts: the same generator, the same
// draws j = floor(u (i + 1)) with u = uint32 / 2^32 in float64, so the same permutation).
// Draw k (k = 0..n-2, swapping row i = n-1-k) comes from the state state + (k+1)·0x6d2b79f5
// alone, so the draws are made first, four at a time, into order[n..2n-1) (the caller's
// scratch), and the swaps, which depend on each other, after.

const MULBERRY: u32 = 0x6d2b79f5;

@inline function mulberryU32(s: u32): u32 {
  let t: u32 = (s ^ (s >>> 15)) * (1 | s);
  t = (t + (t ^ (t >>> 7)) * (61 | t)) ^ t;
  return t ^ (t >>> 14);
}

export function shuffleMulberry(order: usize, n: i32, state: u32): u32 {
  const m = n > 1 ? n - 1 : 0;
  const draws = order + (<usize>n << 2);
  const twoPow32 = f64x2.splat(2.3283064365386963e-10); // 1 / 2^32, exactly
  let s = i32x4.add(i32x4.splat(<i32>state), i32x4(<i32>MULBERRY, <i32>(MULBERRY * 2), <i32>(MULBERRY * 3), <i32>(MULBERRY * 4)));
  const step = i32x4.splat(<i32>(MULBERRY * 4));
  // i + 1 = n - k for draw k: lanes (n-k, n-k-1) and (n-k-2, n-k-3), exact in float64.
  let rowsLo = f64x2(<f64>n, <f64>(n - 1));
  let rowsHi = f64x2(<f64>(n - 2), <f64>(n - 3));
  const four = f64x2.splat(4);
  let k = 0;
  for (; k + 4 <= m; k += 4) {
    let t = i32x4.mul(v128.xor(s, i32x4.shr_u(s, 15)), v128.or(s, i32x4.splat(1)));
    t = v128.xor(i32x4.add(t, i32x4.mul(v128.xor(t, i32x4.shr_u(t, 7)), v128.or(t, i32x4.splat(61)))), t);
    const w = v128.xor(t, i32x4.shr_u(t, 14));
    const lo = f64x2.floor(f64x2.mul(f64x2.mul(f64x2.convert_low_i32x4_u(w), twoPow32), rowsLo));
    const hi = f64x2.floor(f64x2.mul(f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(w, w, 2, 3, 0, 1)), twoPow32), rowsHi));
    v128.store(draws + (<usize>k << 2), v128.shuffle<i32>(i32x4.trunc_sat_f64x2_u_zero(lo), i32x4.trunc_sat_f64x2_u_zero(hi), 0, 1, 4, 5));
    s = i32x4.add(s, step);
    rowsLo = f64x2.sub(rowsLo, four);
    rowsHi = f64x2.sub(rowsHi, four);
  }
  for (; k < m; k++) {
    const u = <f64>mulberryU32(state + <u32>(k + 1) * MULBERRY) * 2.3283064365386963e-10;
    store<i32>(draws + (<usize>k << 2), <i32>Math.floor(u * <f64>(n - k)));
  }
  for (k = 0; k < m; k++) {
    const pi = order + (<usize>(n - 1 - k) << 2);
    const pj = order + (<usize>load<i32>(draws + (<usize>k << 2)) << 2);
    const v = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, v);
  }
  return state + <u32>m * MULBERRY;
}
