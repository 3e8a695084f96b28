import type { ResolvedOptimizer } from '../spec';
import { DENSE_KERNELS_WASM } from './dense-kernels.wasm';

/** Activation codes the kernels take. */
export const ACTIVATION_CODE = { linear: 0, relu: 1, tanh: 2, sigmoid: 3 } as const;

/** The exports of assembly/dense-kernels.ts; pointers are byte offsets into `memory`. */
export interface DenseKernels {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  gemm(M: number, N: number, K: number, a: number, sai: number, sak: number, b: number, ldb: number, c: number, ldc: number, bias: number): void;
  transpose(rows: number, cols: number, src: number, dst: number): void;
  activate(act: number, p: number, n: number): void;
  slopeMul(act: number, delta: number, out: number, n: number): void;
  columnSums(rows: number, cols: number, src: number, dst: number): void;
  sgd(w: number, g: number, n: number, lr: number): void;
  adam(w: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  trainEpochMse(
    plan: number,
    n: number,
    batch: number,
    x: number,
    y: number,
    order: number,
    params: number,
    grads: number,
    total: number,
    transposed: number,
    opt: number,
    lr: number,
    m: number,
    v: number,
    b1: number,
    b2: number,
    eps: number,
    c1s: number,
    c2s: number,
    first: number,
  ): number;
  trainEpochMseLanes(
    plan: number,
    batch: number,
    lanes: number,
    params: number,
    grads: number,
    total: number,
    opt: number,
    lr: number,
    m: number,
    v: number,
    b1: number,
    b2: number,
    eps: number,
    sums: number,
    firsts: number,
    masks: number,
  ): void;
  forwardLanes(plan: number, rows: number, params: number): void;
  shuffleMulberry(order: number, n: number, state: number): number;
  mathf(op: number, src: number, dst: number, n: number): void;
  gruForward(B: number, T: number, F: number, U: number, x: number, params: number, xs: number, hs: number, gates: number, rh: number, zr: number, out: number): void;
  gruBackward(
    B: number,
    T: number,
    F: number,
    U: number,
    params: number,
    grads: number,
    xs: number,
    hs: number,
    gates: number,
    rh: number,
    dOut: number,
    dh: number,
    drh: number,
    tmp: number,
    da: number,
    uT: number,
  ): void;
  lstmForward(B: number, T: number, F: number, U: number, x: number, params: number, xh: number, gates: number, c: number, hT: number, out: number): void;
  lstmBackward(
    B: number,
    T: number,
    F: number,
    U: number,
    params: number,
    grads: number,
    xh: number,
    gates: number,
    c: number,
    hT: number,
    dOut: number,
    dh: number,
    dc: number,
    dz: number,
    rT: number,
  ): void;
}

// The few WebAssembly calls used here: Node has them, but its type definitions (@types/node 20)
// do not declare them without the DOM library.
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
let compiled: object | undefined;

function compiledKernels(): object {
  compiled ??= new wasm.Module(Buffer.from(DENSE_KERNELS_WASM, 'base64'));
  return compiled;
}

/** Whether this runtime compiles the kernels (WebAssembly with 128-bit SIMD: Node 16.4 and later). */
export function simdAvailable(): boolean {
  try {
    compiledKernels();
    return true;
  } catch {
    return false;
  }
}

interface Slot {
  readonly kernels: DenseKernels;
  /** Bytes the module reserved for itself at the start of its memory; arrays go after. */
  readonly base: number;
  /** Who laid out the arrays last (`kernelsFor`), and what they were. */
  owner?: object;
  arrays?: Float32Array[];
}

/**
 * Two instances a thread: one trains, one predicts. A prediction made while a fit is running
 * (a callback predicting with a fitted model) then cannot overwrite the training's arrays.
 */
const slots: { train?: Slot; predict?: Slot; shuffle?: Slot } = {};

function slot(which: 'train' | 'predict' | 'shuffle'): Slot {
  let s = slots[which];
  if (!s) {
    const kernels = new wasm.Instance(compiledKernels(), {}).exports as unknown as DenseKernels;
    s = { kernels, base: kernels.memory.buffer.byteLength }; // what the module reserved stays its own
    slots[which] = s;
  }
  return s;
}

/** Grows the slot's wasm memory (by whole 64 KiB pages) to hold `end` bytes. */
function ensureMemory(s: Slot, end: number): void {
  const have = s.kernels.memory.buffer.byteLength;
  if (end > have) s.kernels.memory.grow(Math.ceil((end - have) / 65536));
}

function layOut(s: Slot, lengths: readonly number[]): Float32Array[] {
  const { kernels, base } = s;
  const offsets: number[] = [];
  let end = base;
  for (const n of lengths) {
    offsets.push(end);
    end += Math.ceil((n * 4) / 16) * 16;
  }
  ensureMemory(s, end);
  const buffer = kernels.memory.buffer;
  new Uint8Array(buffer, base, end - base).fill(0);
  s.owner = undefined;
  s.arrays = undefined;
  return lengths.map((n, i) => new Float32Array(buffer, offsets[i] as number, n));
}

/**
 * The thread's training instance of the kernels, holding float32 arrays of the given lengths
 * (each 16-byte aligned, zero-filled); an array's pointer is its `byteOffset`. One instance
 * serves every fit of the thread, because V8 speeds up the calls into an instance's functions
 * only after many of them (a fresh instance per fit kept every call on the slow generic path:
 * ~0.2 us a call, 15% of a small walk-forward). So the arrays are valid until the next call of
 * this function: it reuses (and, if it must grow, moves) the same memory. Fits within one thread
 * run one at a time, and a runner copies out what must outlive it.
 */
export function kernelsWithArrays(lengths: readonly number[]): { kernels: DenseKernels; arrays: Float32Array[] } {
  const s = slot('train');
  return { kernels: s.kernels, arrays: layOut(s, lengths) };
}

/**
 * The thread's prediction instance, with arrays of the given lengths laid out for `owner`.
 * `fresh` is false when the last layout of this instance was `owner`'s with these lengths: its
 * arrays, and what `owner` left in them (its weights), are still there, so a model that
 * predicts row by row copies its weights in once, not once a row. `fresh` arrays are zero-filled.
 */
export function kernelsFor(owner: object, lengths: readonly number[]): { kernels: DenseKernels; arrays: Float32Array[]; fresh: boolean } {
  const s = slot('predict');
  const same = s.owner === owner && s.arrays !== undefined && s.arrays.length === lengths.length && s.arrays.every((a, i) => a.length === lengths[i]);
  if (same) return { kernels: s.kernels, arrays: s.arrays as Float32Array[], fresh: false };
  const arrays = layOut(s, lengths);
  s.owner = owner;
  s.arrays = arrays;
  return { kernels: s.kernels, arrays, fresh: true };
}

/**
 * Shuffles `order` in place with mulberry32 from `state` (Fisher-Yates, as `shuffleInPlace` of
 * seeded-random.ts does with that generator) in the kernels, on an instance of its own (so it
 * never touches a fit's arrays); returns the generator's next state.
 */
export function shuffleOnKernels(order: Int32Array, state: number): number {
  const s = slot('shuffle');
  // The order, then as much again: the kernel's scratch for its draws.
  ensureMemory(s, s.base + order.length * 8);
  const scratch = new Int32Array(s.kernels.memory.buffer, s.base, order.length);
  scratch.set(order);
  const next = s.kernels.shuffleMulberry(s.base, order.length, state);
  order.set(scratch);
  return next;
}

/** i32s per layer in the whole-epoch kernels' plans (assembly/dense-kernels.ts): fanIn, units, activation, kernel and bias offsets. */
export const PLAN_LAYER = 5;

/** i32s of the plan of an L-layer network: L and the input width, each layer's, then the offsets of the L + 1 layer outputs and of the L + 1 deltas. */
export function planLength(layers: number): number {
  return 2 + layers * PLAN_LAYER + 2 * (layers + 1);
}

/**
 * Adam's bias corrections 1 - beta^step of the `c1.length` batches after `stepsTaken` steps,
 * in float64 rounded to float32 (as the batch-by-batch update's call rounds them); the steps
 * taken after them.
 */
export function adamCorrections(opt: { readonly beta1: number; readonly beta2: number }, stepsTaken: number, c1: Float32Array, c2: Float32Array): number {
  for (let b = 0; b < c1.length; b++) {
    const step = stepsTaken + 1 + b;
    c1[b] = 1 - opt.beta1 ** step;
    c2[b] = 1 - opt.beta2 ** step;
  }
  return stepsTaken + c1.length;
}

/** Adam's moments of a fit in the kernels' memory, and the steps taken. */
export interface AdamMoments {
  readonly m: Float32Array;
  readonly v: Float32Array;
  step: number;
}

/**
 * One optimizer step over every parameter, from its gradient: SGD, or TensorFlow.js' Adam with
 * the bias corrections c1 = 1 - b1^t and c2 = 1 - b2^t of step t computed here in float64.
 */
export function optimizerStep(k: DenseKernels, params: Float32Array, grads: Float32Array, opt: ResolvedOptimizer, moments: AdamMoments | undefined): void {
  if (opt.name === 'sgd') {
    k.sgd(params.byteOffset, grads.byteOffset, params.length, opt.learningRate);
    return;
  }
  const m = moments as AdamMoments;
  m.step += 1;
  const c1 = 1 - opt.beta1 ** m.step;
  const c2 = 1 - opt.beta2 ** m.step;
  k.adam(params.byteOffset, grads.byteOffset, m.m.byteOffset, m.v.byteOffset, params.length, opt.learningRate, opt.beta1, opt.beta2, opt.epsilon, c1, c2);
}
