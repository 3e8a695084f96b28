import { chunkedLoss, type DenseData, gatherBatch } from '../dense-data';
import { bceOutputSlope, bceRow, type LossName } from '../loss';
import type { Activation, ResolvedNetwork, ResolvedOptimizer } from '../spec';
import type { EpochRunner } from '../train-loop';
import { ACTIVATION_CODE, type AdamMoments, adamCorrections, type DenseKernels, kernelsWithArrays, optimizerStep, PLAN_LAYER, planLength } from './kernels';

/**
 * Epochs on our WebAssembly SIMD kernels (assembly/dense-kernels.ts): for wide layers the
 * matrix products are the work, and these run them at ~30 GFLOP/s per core here (TensorFlow.js'
 * wasm backend: ~13 for the same 32x300 by 300x100 product) without its per-call costs: no
 * kernel dispatch, no tensor allocation, and no repacking of a weight matrix that changes after
 * every batch (~450 us of a ~1.3 ms batch of 2-300-100-1 on wasm). The weights, gradients and
 * activations live in the module's memory for the whole fit; a batch is a dozen calls, and for
 * small networks the saved call overhead is the gain.
 *
 * Same semantics as the tfjs runner and the float64 oracle (fused-runner.ts): MSE or binary
 * cross-entropy loss, Keras' SGD/Adam updates (tfjs' Adam formula), batches in the given order.
 * Arithmetic is float32 like TensorFlow.js', but sums run in a fixed order of their own, so
 * results match the tfjs runner to float32 rounding, not bit for bit; one seed gives
 * bit-identical results on every machine and thread. The loss and the output layer's delta (one
 * value a row) are computed here in JavaScript, the layers' work in the kernels.
 */
export class SimdRunner implements EpochRunner<Float32Array> {
  readonly #k: DenseKernels;
  readonly #dims: number[];
  readonly #acts: number[];
  /** kernel [fanIn x units] row-major, bias [units], per layer: views into the kernels' memory. */
  readonly weights: Float32Array[];
  readonly #params: Float32Array;
  readonly #grads: Float32Array;
  /** Per layer, offsets (in floats) of the kernel and bias inside params and grads. */
  readonly #offsets: { kernel: number; bias: number }[];
  readonly #moments: AdamMoments | undefined;
  readonly #layerOut: Float32Array[];
  readonly #layerDelta: Float32Array[];
  readonly #transposed: Float32Array;
  readonly #train: DenseData;
  readonly #validation: DenseData | undefined;
  readonly #batchSize: number;
  readonly #optimizer: ResolvedOptimizer;
  readonly #loss: LossName;
  #initialLoss: number | undefined;
  /**
   * The whole-epoch kernel's inputs (squared-error fits): the training rows and targets and the
   * epoch's order in the module's memory, the layer plan, Adam's per-batch bias corrections, and a
   * slot for the first batch's loss. Undefined: batch by batch from JavaScript (cross-entropy).
   */
  readonly #fused: { x: Float32Array; y: Float32Array; order: Int32Array; plan: Int32Array; c1: Float32Array; c2: Float32Array; first: Float64Array } | undefined;

  constructor(
    spec: ResolvedNetwork,
    initial: readonly Float32Array[],
    optimizer: ResolvedOptimizer,
    train: DenseData,
    validation: DenseData | undefined,
    batchSize: number,
    loss: LossName = 'mse',
    /** Run a squared-error epoch in one kernel call (`trainEpochMse`); false: batch by batch, as cross-entropy is (the tests compare the two). */
    fused = true,
  ) {
    this.#loss = loss;
    this.#dims = [spec.inputSize, ...spec.layers.map((l) => l.units)];
    this.#acts = spec.layers.map((l) => ACTIVATION_CODE[l.activation as Activation]);
    this.#train = train;
    this.#validation = validation;
    this.#batchSize = Math.min(batchSize, train.rows);
    this.#optimizer = optimizer;
    const total = initial.reduce((s, w) => s + w.length, 0);
    const rows = this.#batchSize;
    const L = spec.layers.length;
    let widestProduct = 0;
    for (let l = 1; l < L; l++) widestProduct = Math.max(widestProduct, (this.#dims[l] as number) * (this.#dims[l + 1] as number));
    const adam = optimizer.name === 'adam';
    const fuse = fused && loss === 'mse';
    const batches = Math.ceil(train.rows / rows);
    const { kernels, arrays } = kernelsWithArrays([
      total, // params
      total, // grads
      ...(adam ? [total, total] : []),
      widestProduct, // a kernel transposed, for the deltas of the layer below
      ...this.#dims.map((units) => rows * units), // layer outputs (0: the batch's inputs)
      ...this.#dims.map((units) => rows * units), // deltas (0 unused)
      // The whole-epoch kernel's: rows, targets, order, plan, Adam's c1 and c2 per batch, the first batch's loss (a float64).
      ...(fuse ? [train.rows * this.#dims[0]!, train.rows, train.rows, planLength(L), batches, batches, 2] : []),
    ]);
    this.#k = kernels;
    const next = (): Float32Array => arrays.shift() as Float32Array;
    this.#params = next();
    this.#grads = next();
    this.#moments = adam ? { m: next(), v: next(), step: 0 } : undefined;
    this.#transposed = next();
    this.#layerOut = this.#dims.map(next);
    this.#layerDelta = this.#dims.map(next);
    this.#offsets = [];
    this.weights = [];
    let at = 0;
    initial.forEach((w, i) => {
      this.#params.set(w, at);
      this.weights.push(this.#params.subarray(at, at + w.length));
      if (i % 2 === 0) this.#offsets.push({ kernel: at, bias: 0 });
      else (this.#offsets[this.#offsets.length - 1] as { bias: number }).bias = at;
      at += w.length;
    });
    if (!fuse) {
      this.#fused = undefined;
      return;
    }
    const [x, y, order, plan, c1, c2, first] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    x.set(train.x);
    y.set(train.y);
    const ints = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);
    const planInts = ints(plan);
    planInts.set([L, this.#dims[0]!]);
    this.#offsets.forEach(({ kernel, bias }, l) => {
      planInts.set([this.#dims[l]!, this.#dims[l + 1]!, this.#acts[l]!, 4 * kernel, 4 * bias], 2 + l * PLAN_LAYER);
    });
    planInts.set(
      this.#layerOut.map((a) => a.byteOffset),
      2 + L * PLAN_LAYER,
    );
    planInts.set(
      this.#layerDelta.map((a) => a.byteOffset),
      2 + L * PLAN_LAYER + L + 1,
    );
    this.#fused = { x, y, order: ints(order), plan: planInts, c1, c2, first: new Float64Array(first.buffer, first.byteOffset, 1) };
  }

  runEpoch(order: Int32Array): number {
    if (this.#fused) return this.#fusedEpoch(order);
    const { y, rows: n } = this.#train;
    const f = this.#dims[0] as number;
    const input = this.#layerOut[0] as Float32Array;
    const L = this.#acts.length;
    const out = this.#layerOut[L] as Float32Array;
    const delta = this.#layerDelta[L] as Float32Array;
    const outAct = this.#acts[L - 1] as number;
    const mse = this.#loss === 'mse';
    let sum = 0;
    for (let start = 0; start < n; start += this.#batchSize) {
      const rows = Math.min(this.#batchSize, n - start);
      gatherBatch(this.#train, f, order, start, rows, input);
      this.#forward(rows);
      if (mse) {
        // Output delta: d(SSE/rows)/d(output) = 2 (output - y) / rows, then the activation's slope.
        for (let r = 0; r < rows; r++) {
          const diff = (out[r] as number) - (y[order[start + r] as number] as number);
          sum += diff * diff;
          delta[r] = (2 * diff) / rows;
        }
      } else {
        // Binary cross-entropy on a sigmoid output: the delta is already through the sigmoid (loss.ts).
        for (let r = 0; r < rows; r++) {
          const p = out[r] as number;
          const target = y[order[start + r] as number] as number;
          sum += bceRow(p, target);
          delta[r] = bceOutputSlope(p, target) / rows;
        }
      }
      if (start === 0 && this.#initialLoss === undefined) this.#initialLoss = sum / rows;
      if (mse) this.#k.slopeMul(outAct, delta.byteOffset, out.byteOffset, rows);
      this.#backward(rows);
      this.#update();
    }
    return sum;
  }

  /** runEpoch of a squared-error fit, in one call of the whole-epoch kernel: the same arithmetic, batch by batch. */
  #fusedEpoch(order: Int32Array): number {
    const fused = this.#fused!;
    fused.order.set(order);
    const opt = this.#optimizer;
    const moments = this.#moments;
    if (opt.name === 'adam' && moments) {
      // The bias corrections the batch-by-batch update computes (c1 holds one per batch).
      moments.step = adamCorrections(opt, moments.step, fused.c1, fused.c2);
    }
    const adam = opt.name === 'adam' ? opt : undefined;
    const sum = this.#k.trainEpochMse(
      fused.plan.byteOffset,
      this.#train.rows,
      this.#batchSize,
      fused.x.byteOffset,
      fused.y.byteOffset,
      fused.order.byteOffset,
      this.#params.byteOffset,
      this.#grads.byteOffset,
      this.#params.length,
      this.#transposed.byteOffset,
      adam ? 1 : 0,
      opt.learningRate,
      moments ? moments.m.byteOffset : 0,
      moments ? moments.v.byteOffset : 0,
      adam?.beta1 ?? 0,
      adam?.beta2 ?? 0,
      adam?.epsilon ?? 0,
      fused.c1.byteOffset,
      fused.c2.byteOffset,
      fused.first.byteOffset,
    );
    this.#initialLoss ??= fused.first[0]!;
    return sum;
  }

  validationLoss(): number {
    const v = this.#validation;
    if (!v) return Number.NaN;
    const out = this.#layerOut[this.#acts.length] as Float32Array;
    return chunkedLoss(v, this.#dims[0] as number, this.#batchSize, this.#layerOut[0] as Float32Array, out, (rows) => this.#forward(rows), this.#loss);
  }

  snapshot(): Float32Array {
    return this.#params.slice();
  }

  restore(snapshot: Float32Array): void {
    this.#params.set(snapshot);
  }

  release(): void {}

  initialLoss(): number {
    return this.#initialLoss ?? Number.NaN;
  }

  currentWeights(): Float32Array[] {
    return this.weights.map((w) => w.slice());
  }

  /** out[l + 1] = activation(out[l] W_l + b_l) for the first `rows` rows. */
  #forward(rows: number): void {
    const k = this.#k;
    const base = this.#params.byteOffset;
    for (let l = 0; l < this.#acts.length; l++) {
      const fanIn = this.#dims[l] as number;
      const units = this.#dims[l + 1] as number;
      const { kernel, bias } = this.#offsets[l] as { kernel: number; bias: number };
      const input = (this.#layerOut[l] as Float32Array).byteOffset;
      const output = (this.#layerOut[l + 1] as Float32Array).byteOffset;
      k.gemm(rows, units, fanIn, input, fanIn, 1, base + 4 * kernel, units, output, units, base + 4 * bias);
      k.activate(this.#acts[l] as number, output, rows * units);
    }
  }

  /** Gradients of every weight from the output delta (already through the output activation). */
  #backward(rows: number): void {
    const k = this.#k;
    const params = this.#params.byteOffset;
    const grads = this.#grads.byteOffset;
    for (let l = this.#acts.length - 1; l >= 0; l--) {
      const fanIn = this.#dims[l] as number;
      const units = this.#dims[l + 1] as number;
      const { kernel, bias } = this.#offsets[l] as { kernel: number; bias: number };
      const input = (this.#layerOut[l] as Float32Array).byteOffset;
      const delta = (this.#layerDelta[l + 1] as Float32Array).byteOffset;
      // dW = input^T delta: input read as its transpose through the strides.
      k.gemm(fanIn, units, rows, input, 1, fanIn, delta, units, grads + 4 * kernel, units, 0);
      k.columnSums(rows, units, delta, grads + 4 * bias);
      if (l === 0) break;
      // Delta of the layer below, with the weights before this batch's update: delta W^T, then
      // through that layer's activation.
      const transposed = this.#transposed.byteOffset;
      const below = (this.#layerDelta[l] as Float32Array).byteOffset;
      k.transpose(fanIn, units, params + 4 * kernel, transposed);
      k.gemm(rows, fanIn, units, delta, units, 1, transposed, fanIn, below, fanIn, 0);
      k.slopeMul(this.#acts[l - 1] as number, below, input, rows * fanIn);
    }
  }

  #update(): void {
    optimizerStep(this.#k, this.#params, this.#grads, this.#optimizer, this.#moments);
  }
}
