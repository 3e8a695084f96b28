import { type FaultDetails, faultDetails } from '@backtest/models/internal';
import type { ModelJob, ModelJobResult } from './model-job';

/** Main thread -> worker: a unit of jobs (one, or fits trained together), with their indices in the run. */
export type ToWorker = { readonly type: 'unit'; readonly indices: readonly number[]; readonly jobs: readonly ModelJob[] };

/**
 * Worker -> main thread. An error carries its name and exit code so a UserError stays a
 * UserError, and a fit fault (divergence, a network too big) its details, so that the main
 * thread rebuilds the very error the fit would have thrown there.
 */
export type FromWorker =
  | { readonly type: 'result'; readonly index: number; readonly result: ModelJobResult }
  | {
      readonly type: 'error';
      readonly index: number;
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly exitCode?: number;
      readonly fault?: FaultDetails;
    };

export function errorMessage(err: unknown, index: number): FromWorker {
  const e = err instanceof Error ? err : new Error(String(err));
  const exitCode = (e as { exitCode?: unknown }).exitCode;
  const fault = faultDetails(err);
  return {
    type: 'error',
    index,
    name: e.name,
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
    ...(typeof exitCode === 'number' ? { exitCode } : {}),
    ...(fault ? { fault } : {}),
  };
}
