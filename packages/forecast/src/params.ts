import { defineParams, type ParamValues } from '@backtest/core';
import { parseTrainingWindow, type TrainingWindow } from './schedule';
import type { Sizing } from './sizing';

/** Parameters every forecast strategy shares: features, schedule and sizing. */
export const forecastParams = defineParams({
  window: { type: 'integer', default: 10, min: 2, max: 240, description: 'SMA and scaling length, in periods' },
  refit: { type: 'integer', default: 12, min: 1, description: 'refit the model every N decisions' },
  trainWindow: {
    type: 'string',
    default: 'expanding',
    pattern: /^(expanding|rolling:\d+)$/,
    hint: '"expanding" or "rolling:N"',
    description: 'training rows: all known so far, or the last N',
  },
  minTrain: { type: 'integer', default: 24, min: 4, description: 'fewest training rows a fit may use' },
  threshold: { type: 'number', default: 0, min: -1, max: 1, description: 'go long when the forecast return exceeds this' },
  sizing: { type: 'enum', values: ['binary', 'proportional'], default: 'binary', description: 'binary long/cash, or weight = forecast return / fullAt' },
  fullAt: { type: 'number', default: 0.02, min: 1e-6, description: 'proportional sizing: forecast return that is fully invested' },
  short: { type: 'boolean', default: false, description: 'allow short positions (-1) instead of cash' },
});

export type ForecastParamValues = ParamValues<typeof forecastParams>;

export function sizingFrom(p: ForecastParamValues): Sizing {
  return p.sizing === 'proportional' ? { kind: 'proportional', fullAt: p.fullAt, short: p.short } : { kind: 'binary', threshold: p.threshold, short: p.short };
}

export function trainingWindowFrom(p: ForecastParamValues): TrainingWindow {
  return parseTrainingWindow(p.trainWindow);
}
