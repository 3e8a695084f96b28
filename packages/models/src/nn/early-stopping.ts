import { UserError } from '@backtest/core';

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (Keras `patience`). */
  readonly patience: number;
  /** An epoch improves only if it beats the best by more than this. @default 0 */
  readonly minDelta?: number;
  /**
   * Put back the weights of the best epoch when training ends (Keras `restore_best_weights`).
   * Required rather than defaulted: Keras defaults to false, which surprises most users, and the
   * study needs true.
   */
  readonly restoreBestWeights: boolean;
}

export interface EarlyStoppingVerdict {
  /** This epoch is the new best: snapshot its weights. */
  readonly best: boolean;
  /** Stop after this epoch. */
  readonly stop: boolean;
}

/**
 * Keras 3's EarlyStopping decision rule for a loss to minimise, epochs numbered from 1:
 * an epoch improves if value < best - minDelta (so NaN never improves); `wait` counts epochs
 * since the last improvement; training stops once wait >= patience, never after the first epoch.
 * The first epoch is the best so far even if its loss is NaN, as Keras snapshots it regardless.
 */
export class EarlyStoppingRule {
  readonly patience: number;
  readonly minDelta: number;
  #best = Number.POSITIVE_INFINITY;
  #bestEpoch = 0;
  #wait = 0;

  constructor(options: EarlyStoppingOptions) {
    if (!(Number.isInteger(options.patience) && options.patience >= 0)) {
      throw new UserError(`earlyStopping.patience must be a whole number >= 0, got ${options.patience}`);
    }
    const minDelta = options.minDelta ?? 0;
    if (!(minDelta >= 0)) throw new UserError(`earlyStopping.minDelta must be >= 0, got ${minDelta}`);
    this.patience = options.patience;
    this.minDelta = minDelta;
  }

  /** The epoch (1-based) whose weights are the best so far; 0 before the first epoch. */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  observe(epoch: number, value: number): EarlyStoppingVerdict {
    const first = this.#bestEpoch === 0;
    this.#wait += 1;
    if (value < this.#best - this.minDelta) {
      this.#best = value;
      this.#bestEpoch = epoch;
      this.#wait = 0;
      return { best: true, stop: false };
    }
    if (first) this.#bestEpoch = epoch;
    return { best: first, stop: this.#wait >= this.patience && epoch > 1 };
  }
}
