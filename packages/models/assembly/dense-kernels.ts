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
