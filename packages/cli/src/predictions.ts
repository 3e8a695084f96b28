import * as path from 'node:path';
import { UserError } from '@backtest/core';
import { formatCsv, writeFileAtomic } from '@backtest/core/internal';
import type { WalkForwardResult } from '@backtest/engine';

/**
 * `--predictions FILE.csv`: one row per forecast with the features the model saw, the forecast
 * (or, for target=direction, the probability of a rise) and actual next close, and the weight
 * taken, in the project's CSV dialect (`formatCsv`). Written by the one atomic writer (an exclusive,
 * unpredictable temporary name, renamed into place).
 */
export function writePredictions(file: string, walk: WalkForwardResult, closes: { labels: readonly string[]; close: Float64Array }): void {
  const forecasts = walk.output.forecasts ?? [];
  if (forecasts.length === 0) throw new UserError(`--predictions: the strategy made no forecasts (only forecast strategies do)`);
  const nextClose = new Map<string, number>();
  for (let i = 0; i + 1 < closes.labels.length; i++) nextClose.set(closes.labels[i]!, closes.close[i + 1]!);
  const weightAt = new Map(walk.decisionLabels.map((l, k) => [l, walk.weights[k]!]));
  // The decision at the last row: the position to hold next, whose next close is not known yet.
  if (walk.next && !walk.universe) weightAt.set(walk.next.label, walk.next.weight);
  const featureNames = Object.keys(forecasts[0]!.features ?? {});
  // A direction forecast (target=direction) is a probability of a rise, not a price.
  const direction = forecasts.some((f) => f.probability !== undefined);
  const text = formatCsv(
    ['month', ...featureNames.map((n) => `feature_${n}`), 'close', direction ? 'probability_up' : 'forecast', 'actual', 'weight'],
    forecasts.map((f) => [f.label, ...featureNames.map((n) => f.features?.[n]), f.close, direction ? f.probability : f.forecast, nextClose.get(f.label), weightAt.get(f.label)]),
  );
  const target = path.resolve(file);
  try {
    writeFileAtomic(target, text);
  } catch (e) {
    throw new UserError(`cannot write --predictions ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
