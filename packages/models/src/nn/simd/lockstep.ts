import type { DenseData } from '../dense-data';
import type { Activation, ResolvedNetwork, ResolvedOptimizer } from '../spec';
import { type EpochRunner, type LoopResult, type LoopSettings, trainSteps } from '../train-loop';
import { ACTIVATION_CODE, adamCorrections, type DenseKernels, kernelsWithArrays, planLength } from './kernels';

/** Fits a lockstep group trains at once: the lanes of a 128-bit vector of float32s. */
export const LANES = 4;

/** i32s per lane in the lane table (assembly/dense-kernels.ts). */
const LANE_INTS = 8;

/** One fit of a group: its training rows, validation rows, and initial weights (kernel, bias per layer). */
export interface LaneFit {
  readonly train: DenseData;
  readonly validation?: DenseData;
  readonly initial: readonly Float32Array[];
}

/**
 * Up to four squared-error fits of one network, optimizer and batch size, trained together by
 * the lockstep kernel (`trainEpochMseLanes`): one call runs an epoch of every fit, each fit in
 * its own lane of every vector, with its own rows, order, epochs and Adam steps. Each lane
 * computes exactly what `SimdRunner`'s whole-epoch kernel computes for that fit alone, so its
 * weights, losses and forecasts are the same bits (simd/lockstep.test.ts); the gain is that a
 * small network's units fill the vectors four fits at a time rather than leaving lanes empty,
 * and one call replaces four.
 *
 * `lane(j)` is fit j's `EpochRunner`: the epoch driver treats it as a runner of its own fit.
 * `runEpochs` advances every fit given an order by one epoch in one call. The arrays live in
 * the thread's training instance of the kernels (like a SimdRunner's): one group at a time.
 */
export class LockstepGroup {
  readonly #k: DenseKernels;
  readonly #fits: readonly LaneFit[];
  readonly #dims: number[];
  readonly #total: number;
  readonly #batch: number;
  readonly #optimizer: ResolvedOptimizer;
  readonly #params: Float32Array;
  readonly #grads: Float32Array;
  readonly #m: Float32Array | undefined;
  readonly #v: Float32Array | undefined;
  readonly #outs: Float32Array[];
  readonly #plan: Int32Array;
  readonly #lanes: Int32Array;
  readonly #orders: Int32Array[];
  readonly #c1: Float32Array[];
  readonly #c2: Float32Array[];
  readonly #sums: Float64Array;
  readonly #firsts: Float64Array;
  readonly #masks: Float32Array;
  /** Adam steps each lane has taken, and its first batch's loss (NaN before its first epoch). */
  readonly #steps: number[];
  readonly #initial: number[];
  readonly #runners: LaneRunner[];

  constructor(spec: ResolvedNetwork, optimizer: ResolvedOptimizer, batchSize: number, fits: readonly LaneFit[]) {
    if (fits.length < 1 || fits.length > LANES) throw new Error(`a lockstep group trains 1 to ${LANES} fits, got ${fits.length}`);
    const f = spec.inputSize;
    for (const fit of fits) {
      if (fit.train.rows < 1 || fit.train.x.length !== fit.train.rows * f || fit.train.y.length !== fit.train.rows)
        throw new Error('lockstep: a fit needs rows of the network input width');
    }
    this.#fits = fits;
    this.#optimizer = optimizer;
    this.#dims = [f, ...spec.layers.map((l) => l.units)];
    const L = spec.layers.length;
    if (this.#dims[L] !== 1) throw new Error('lockstep: the network must have one output');
    const acts = spec.layers.map((l) => ACTIVATION_CODE[l.activation as Activation]);
    this.#total = fits[0]!.initial.reduce((s, w) => s + w.length, 0);
    // A fit's batch is at most its rows; one batch size serves every lane (a lane's batch ends at its rows).
    this.#batch = Math.min(batchSize, Math.max(...fits.map((x) => x.train.rows)));
    const B = this.#batch;
    const adam = optimizer.name === 'adam';
    const lanes4 = (n: number) => n * LANES;
    const { kernels, arrays } = kernelsWithArrays([
      lanes4(this.#total), // params
      lanes4(this.#total), // grads
      ...(adam ? [lanes4(this.#total), lanes4(this.#total)] : []),
      ...this.#dims.map((units) => lanes4(B * units)), // layer outputs (0: the batch's inputs)
      ...this.#dims.map((units) => lanes4(B * units)), // deltas (0 unused)
      planLength(L), // plan
      LANES * LANE_INTS, // lane table
      2 * LANES, // sums (float64)
      2 * LANES, // first batches' losses (float64)
      lanes4(B), // row masks
      ...fits.flatMap((fit) => {
        const batches = Math.ceil(fit.train.rows / Math.min(B, fit.train.rows));
        return [fit.train.rows * f, fit.train.rows, fit.train.rows, batches, batches];
      }),
    ]);
    this.#k = kernels;
    const next = (): Float32Array => arrays.shift() as Float32Array;
    const ints = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);
    const doubles = (a: Float32Array) => new Float64Array(a.buffer, a.byteOffset, a.length / 2);
    this.#params = next();
    this.#grads = next();
    this.#m = adam ? next() : undefined;
    this.#v = adam ? next() : undefined;
    this.#outs = this.#dims.map(next);
    const deltas = this.#dims.map(next);
    this.#plan = ints(next());
    this.#lanes = ints(next());
    this.#sums = doubles(next());
    this.#firsts = doubles(next());
    this.#masks = next();
    this.#orders = [];
    this.#c1 = [];
    this.#c2 = [];
    fits.forEach((fit, j) => {
      const x = next();
      x.set(fit.train.x);
      const y = next();
      y.set(fit.train.y);
      const order = ints(next());
      this.#orders.push(order);
      this.#c1.push(next());
      this.#c2.push(next());
      this.#lanes.set([fit.train.rows, x.byteOffset, y.byteOffset, order.byteOffset, this.#c1[j]!.byteOffset, this.#c2[j]!.byteOffset, 0, 0], j * LANE_INTS);
      this.setFlat(j, concat(fit.initial));
    });
    let at = 0;
    const planOffsets: number[] = [];
    for (let l = 0; l < L; l++) {
      const kernel = at;
      at += this.#dims[l]! * this.#dims[l + 1]!;
      const bias = at;
      at += this.#dims[l + 1]!;
      planOffsets.push(this.#dims[l]!, this.#dims[l + 1]!, acts[l]!, 16 * kernel, 16 * bias);
    }
    this.#plan.set([L, f, ...planOffsets, ...this.#outs.map((a) => a.byteOffset), ...deltas.map((a) => a.byteOffset)]);
    this.#steps = fits.map(() => 0);
    this.#initial = fits.map(() => Number.NaN);
    this.#runners = fits.map((_, j) => new LaneRunner(this, j));
  }

  /** Fit j's runner, for the epoch driver. */
  lane(j: number): LaneRunner {
    return this.#runners[j]!;
  }

  /**
   * One epoch of every fit whose order is given (undefined: that fit does not train now), in
   * one kernel call; returns each such fit's summed loss (as `EpochRunner.runEpoch`).
   */
  runEpochs(orders: readonly (Int32Array | undefined)[]): (number | undefined)[] {
    const opt = this.#optimizer;
    orders.forEach((order, j) => {
      this.#lanes[j * LANE_INTS + 6] = order ? 1 : 0;
      if (!order) return;
      const fit = this.#fits[j]!;
      if (order.length !== fit.train.rows) throw new Error(`lockstep: lane ${j} got an order of ${order.length} rows for ${fit.train.rows}`);
      this.#orders[j]!.set(order);
      if (opt.name !== 'adam') return;
      // The bias corrections of the lane's batches, as SimdRunner's.
      this.#steps[j] = adamCorrections(opt, this.#steps[j]!, this.#c1[j]!, this.#c2[j]!);
    });
    // Lanes without a fit stay inactive.
    for (let j = orders.length; j < LANES; j++) this.#lanes[j * LANE_INTS + 6] = 0;
    const adam = opt.name === 'adam' ? opt : undefined;
    this.#k.trainEpochMseLanes(
      this.#plan.byteOffset,
      this.#batch,
      this.#lanes.byteOffset,
      this.#params.byteOffset,
      this.#grads.byteOffset,
      this.#total,
      adam ? 1 : 0,
      opt.learningRate,
      this.#m?.byteOffset ?? 0,
      this.#v?.byteOffset ?? 0,
      adam?.beta1 ?? 0,
      adam?.beta2 ?? 0,
      adam?.epsilon ?? 0,
      this.#sums.byteOffset,
      this.#firsts.byteOffset,
      this.#masks.byteOffset,
    );
    return orders.map((order, j) => {
      if (!order) return undefined;
      if (Number.isNaN(this.#initial[j]!)) this.#initial[j] = this.#firsts[j]!;
      return this.#sums[j]!;
    });
  }

  /** Mean squared error of fit j's validation rows at its current weights (as SimdRunner.validationLoss computes it). */
  validationLoss(j: number): number {
    const v = this.#fits[j]!.validation;
    if (!v) return Number.NaN;
    const f = this.#dims[0]!;
    const input = this.#outs[0]!;
    const out = this.#outs[this.#dims.length - 1]!;
    let sum = 0;
    for (let start = 0; start < v.rows; start += this.#batch) {
      const rows = Math.min(this.#batch, v.rows - start);
      input.fill(0, 0, rows * f * LANES);
      for (let r = 0; r < rows; r++) for (let c = 0; c < f; c++) input[(r * f + c) * LANES + j] = v.x[(start + r) * f + c]!;
      this.#k.forwardLanes(this.#plan.byteOffset, rows, this.#params.byteOffset);
      for (let r = 0; r < rows; r++) sum += (out[r * LANES + j]! - v.y[start + r]!) ** 2;
    }
    return sum / v.rows;
  }

  /** Fit j's weights, one array of all of them. */
  flat(j: number): Float32Array {
    const w = new Float32Array(this.#total);
    for (let p = 0; p < this.#total; p++) w[p] = this.#params[p * LANES + j]!;
    return w;
  }

  setFlat(j: number, w: Float32Array): void {
    for (let p = 0; p < this.#total; p++) this.#params[p * LANES + j] = w[p]!;
  }

  /** Fit j's weights, kernel and bias per layer. */
  weights(j: number): Float32Array[] {
    const flat = this.flat(j);
    const out: Float32Array[] = [];
    let at = 0;
    for (let l = 0; l + 1 < this.#dims.length; l++) {
      for (const n of [this.#dims[l]! * this.#dims[l + 1]!, this.#dims[l + 1]!]) {
        out.push(flat.slice(at, at + n));
        at += n;
      }
    }
    return out;
  }

  initialLoss(j: number): number {
    return this.#initial[j]!;
  }
}

/** A fit's end in a lockstep group: its loop's result, or what it threw (a divergence, or a callback's error). */
export type LaneOutcome = { readonly result: LoopResult } | { readonly error: unknown };

/**
 * Trains the group's fits together, fit j by the epoch driver with `settings[j]` (its rows,
 * epochs, seeded shuffles, early stopping): every round, one `runEpochs` call advances each fit
 * still training by one epoch, then each fit's loop goes on alone (its loss, validation, early
 * stopping), exactly as `trainLoop` would run it. A fit that stops or fails leaves its lane idle;
 * the others go on.
 */
export function trainLockstep(group: LockstepGroup, settings: readonly LoopSettings[]): LaneOutcome[] {
  const loops = settings.map((s, j) => trainSteps(group.lane(j), s));
  const outcomes: LaneOutcome[] = new Array(settings.length);
  const advance = (j: number, sum?: number): Int32Array | undefined => {
    try {
      const step = sum === undefined ? loops[j]!.next() : loops[j]!.next(sum);
      if (!step.done) return step.value;
      outcomes[j] = { result: step.value };
    } catch (error) {
      outcomes[j] = { error };
    }
    return undefined;
  };
  let orders = settings.map((_, j) => advance(j));
  while (orders.some((o) => o !== undefined)) {
    const sums = group.runEpochs(orders);
    orders = orders.map((o, j) => (o === undefined ? undefined : advance(j, sums[j]!)));
  }
  return outcomes;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, w) => s + w.length, 0));
  let at = 0;
  for (const w of parts) {
    out.set(w, at);
    at += w.length;
  }
  return out;
}

/**
 * Fit j of a lockstep group as an `EpochRunner`: its epoch alone (`runEpoch`, the other lanes
 * idle) or, through `LockstepGroup.runEpochs`, beside the others; its validation loss,
 * snapshots and weights are its lane's.
 */
export class LaneRunner implements EpochRunner<Float32Array> {
  readonly #group: LockstepGroup;
  readonly #j: number;

  constructor(group: LockstepGroup, j: number) {
    this.#group = group;
    this.#j = j;
  }

  /** Copies of the lane's weights (kernel, bias per layer). */
  get weights(): Float32Array[] {
    return this.#group.weights(this.#j);
  }

  runEpoch(order: Int32Array): number {
    const orders: (Int32Array | undefined)[] = [];
    orders[this.#j] = order;
    return this.#group.runEpochs(Array.from({ length: this.#j + 1 }, (_, i) => orders[i]))[this.#j]!;
  }

  validationLoss(): number {
    return this.#group.validationLoss(this.#j);
  }

  snapshot(): Float32Array {
    return this.#group.flat(this.#j);
  }

  restore(snapshot: Float32Array): void {
    this.#group.setFlat(this.#j, snapshot);
  }

  release(): void {}

  currentWeights(): Float32Array[] {
    return this.#group.weights(this.#j);
  }

  initialLoss(): number {
    return this.#group.initialLoss(this.#j);
  }
}
