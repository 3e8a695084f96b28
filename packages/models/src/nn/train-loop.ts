import type { EarlyStoppingRule } from './early-stopping';
import { divergenceThreshold } from './fit-faults';
import type { LossName } from './loss';
import { STREAM, shuffleInPlace, streamState, uniform } from './seeded-random';
import { shuffleOnKernels, simdAvailable } from './simd/kernels';

export interface EpochLog {
  /** 1-based. */
  readonly epoch: number;
  /** Mean of the epoch's batch losses (MSE, or cross-entropy) weighted by batch size (Keras' `loss`). */
  readonly loss: number;
  /** Full-pass loss on the validation rows after the epoch (Keras' `val_loss`). */
  readonly valLoss?: number;
}

/**
 * One way of running minibatch epochs (our SIMD kernels, TensorFlow.js kernels, the tests'
 * float64 oracle, or another model's own runner).
 * The driver below owns everything else, so every runner shares the Keras semantics exactly.
 */
export interface EpochRunner<Snapshot> {
  /**
   * Trains one epoch over the rows in `order`, batch by batch; returns the loss summed over the
   * rows (for MSE the SSE), each batch's taken before its update.
   */
  runEpoch(order: Int32Array): number;
  /** Full-pass mean loss (MSE, or the runner's loss) on the validation rows. */
  validationLoss(): number;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  release(snapshot: Snapshot): void;
  /** Current weights (kernel, bias per layer), for checkpoints. */
  currentWeights(): Float32Array[];
  /**
   * Mean loss of the first batch of the first epoch, before its update: the untrained network's
   * loss, the scale divergence is judged against. NaN before the first epoch.
   */
  initialLoss(): number;
}

/** Thrown by `trainLoop` when training diverges (see DIVERGENCE_FACTOR); the model adds its optimizer and says which setting to change. */
export class TrainingDiverged extends Error {
  constructor(
    readonly epoch: number,
    readonly monitor: 'training loss' | 'validation loss',
    readonly value: number,
    /** The untrained network's loss (its first batch's), NaN when unknown. */
    readonly before: number,
  ) {
    super(`training diverged at epoch ${epoch} (${monitor} ${value})`);
    this.name = 'TrainingDiverged';
  }
}

export interface LoopSettings {
  readonly rows: number;
  readonly epochs: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly hasValidation: boolean;
  /** Mean square of the training targets (the loss of forecasting 0), a floor of MSE's divergence scale. @default 0 */
  readonly targetMeanSquare?: number;
  /**
   * The loss the runner computes, which sets the divergence rule (`divergenceThreshold` in
   * fit-faults.ts): binary cross-entropy has a scale of its own. @default 'mse'
   */
  readonly loss?: LossName;
  readonly earlyStopping?: { readonly rule: EarlyStoppingRule; readonly restoreBestWeights: boolean };
  /** Called when the monitored loss reaches a new minimum (strictly lower), before the next epoch. */
  readonly onNewBest?: (epoch: number, value: number, weights: () => Float32Array[]) => void;
  readonly onEpochEnd?: (log: EpochLog) => void;
}

export interface LoopResult {
  readonly loss: number[];
  readonly valLoss: number[] | undefined;
  readonly epochsRun: number;
  /** Epoch (1-based) with the lowest monitored loss (early stopping's own notion when it is on). */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly restoredBestWeights: boolean;
}

/**
 * Keras-style epochs: reshuffle (seeded), train, evaluate, early-stop, checkpoint. The epoch loss
 * is the loss summed over the rows divided by the rows, which is Keras' batch-size-weighted mean
 * of batch losses. An epoch whose training loss is not finite or has grown past
 * `divergenceThreshold` (for MSE, DIVERGENCE_FACTOR times the loss before training), or whose
 * validation loss is not finite, throws
 * `TrainingDiverged`: the losses are computed anyway, so the check costs nothing, and it stops a
 * fit whose forecasts would be NaN or nonsense.
 */
export function trainLoop<S>(runner: EpochRunner<S>, settings: LoopSettings): LoopResult {
  const steps = trainSteps(runner, settings);
  let step = steps.next();
  while (!step.done) {
    let sum: number;
    try {
      sum = runner.runEpoch(step.value);
    } catch (e) {
      // Into the loop, so that it releases what it holds; it rethrows.
      steps.throw(e);
      throw e;
    }
    step = steps.next(sum);
  }
  return step.value;
}

/**
 * `trainLoop` as steps: the generator yields each epoch's order and takes the loss summed over
 * that epoch's rows, which the caller computed with the runner's weights (`runEpoch`, or a
 * lockstep group's epoch of several fits: nn/lockstep.ts); it returns the loop's result. The
 * same code runs a fit alone and in lockstep, so both follow Keras' rules identically.
 */
export function* trainSteps<S>(runner: EpochRunner<S>, settings: LoopSettings): Generator<Int32Array, LoopResult, number> {
  const order = Int32Array.from({ length: settings.rows }, (_, i) => i);
  // The epochs' orders: Fisher-Yates with the fit's shuffle stream, drawn in the kernels (the
  // same permutations as shuffleInPlace with uniform(seed, STREAM.shuffle), in a fifth of the
  // time), or in JavaScript where WebAssembly SIMD is missing.
  let shuffleState = streamState(settings.seed, STREAM.shuffle);
  const draw = simdAvailable() ? undefined : uniform(settings.seed, STREAM.shuffle);
  const loss: number[] = [];
  const valLoss: number[] | undefined = settings.hasValidation ? [] : undefined;
  let best: S | undefined;
  let bestValue = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let stoppedEarly = false;
  let epoch = 0;
  try {
    while (epoch < settings.epochs && !stoppedEarly) {
      epoch += 1;
      if (settings.shuffle) {
        if (draw) shuffleInPlace(order, draw);
        else shuffleState = shuffleOnKernels(order, shuffleState);
      }
      const epochLoss = (yield order) / settings.rows;
      const before = runner.initialLoss();
      const limit = divergenceThreshold(settings.loss ?? 'mse', before, settings.targetMeanSquare ?? 0);
      if (!Number.isFinite(epochLoss) || epochLoss > limit) throw new TrainingDiverged(epoch, 'training loss', epochLoss, before);
      loss.push(epochLoss);
      const epochValLoss = valLoss ? runner.validationLoss() : undefined;
      if (epochValLoss !== undefined && !Number.isFinite(epochValLoss)) throw new TrainingDiverged(epoch, 'validation loss', epochValLoss, before);
      if (epochValLoss !== undefined) valLoss?.push(epochValLoss);
      const monitored = epochValLoss ?? epochLoss;
      if (monitored < bestValue) {
        bestValue = monitored;
        bestEpoch = epoch;
        settings.onNewBest?.(epoch, monitored, () => runner.currentWeights());
      }
      const es = settings.earlyStopping;
      if (es) {
        const verdict = es.rule.observe(epoch, monitored);
        if (verdict.best && es.restoreBestWeights) {
          if (best !== undefined) runner.release(best);
          best = runner.snapshot();
        }
        stoppedEarly = verdict.stop;
      }
      settings.onEpochEnd?.({ epoch, loss: epochLoss, ...(epochValLoss === undefined ? {} : { valLoss: epochValLoss }) });
    }
    // Keras 3 restores the best weights when training ends, whether or not it stopped early.
    const restore = settings.earlyStopping?.restoreBestWeights === true && best !== undefined;
    if (restore) runner.restore(best as S);
    return {
      loss,
      valLoss,
      epochsRun: epoch,
      bestEpoch: settings.earlyStopping ? settings.earlyStopping.rule.bestEpoch : bestEpoch,
      stoppedEarly,
      restoredBestWeights: restore,
    };
  } finally {
    if (best !== undefined) runner.release(best);
  }
}
