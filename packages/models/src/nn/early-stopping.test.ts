import { EarlyStoppingRule } from './early-stopping';

/** Feeds losses epoch by epoch; returns the epoch it stopped after (or undefined) and the best epoch. */
function run(losses: number[], patience: number, minDelta = 0): { stoppedAfter: number | undefined; best: number; bestFlags: boolean[] } {
  const rule = new EarlyStoppingRule({ patience, minDelta, restoreBestWeights: true });
  const bestFlags: boolean[] = [];
  for (let i = 0; i < losses.length; i++) {
    const v = rule.observe(i + 1, losses[i]!);
    bestFlags.push(v.best);
    if (v.stop) return { stoppedAfter: i + 1, best: rule.bestEpoch, bestFlags };
  }
  return { stoppedAfter: undefined, best: rule.bestEpoch, bestFlags };
}

describe('early stopping (Keras rule)', () => {
  test('patience 2 stops two epochs after the best', () => {
    // Best at epoch 3 (0.7); epochs 4 and 5 do not beat it: wait reaches 2 after epoch 5.
    expect(run([1, 0.8, 0.7, 0.75, 0.71, 0.5], 2)).toEqual({ stoppedAfter: 5, best: 3, bestFlags: [true, true, true, false, false] });
  });

  test('an equal loss is not an improvement (strict less-than with min_delta 0)', () => {
    expect(run([1, 1, 1], 1).stoppedAfter).toBe(2);
  });

  test('min_delta demands improvement by more than the delta', () => {
    // 0.95 improves on 1 by 0.05, not by more than 0.1: no improvement, stop after epoch 2.
    expect(run([1, 0.95, 0.5], 1, 0.1)).toMatchObject({ stoppedAfter: 2, best: 1 });
  });

  test('patience 0 stops at the first non-improving epoch but never after epoch 1', () => {
    expect(run([Number.NaN, 2, 3], 0)).toMatchObject({ stoppedAfter: 3, best: 2 });
  });

  test('never stops while the loss keeps falling', () => {
    expect(run([5, 4, 3, 2, 1], 1)).toEqual({ stoppedAfter: undefined, best: 5, bestFlags: [true, true, true, true, true] });
  });
});
