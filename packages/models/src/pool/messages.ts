import type { BackendRequest } from '../backend';
import type { FitJob, FitJobResult } from './fit-job';

/** Main thread -> worker. */
export type ToWorker = { readonly type: 'init'; readonly backend: BackendRequest } | { readonly type: 'job'; readonly index: number; readonly job: FitJob };

/** Worker -> main thread. An error carries its name so a UserError stays a UserError. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'result'; readonly index: number; readonly result: FitJobResult }
  | { readonly type: 'error'; readonly index?: number; readonly name: string; readonly message: string; readonly stack?: string };

export function errorMessage(err: unknown, index?: number): FromWorker {
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', ...(index === undefined ? {} : { index }), name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}
