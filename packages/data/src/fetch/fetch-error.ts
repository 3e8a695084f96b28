import { UserError } from '@backtest/core';

/** What went wrong: no answer (connection, DNS, timeout), an HTTP error status, or a body that is not the series. */
export type FetchFailure = 'network' | 'http' | 'body';

/**
 * A download that did not give the series. A `UserError` (exit code 2: the source, the symbol or
 * the network is the user's to check); the message starts with the source and names the URL.
 */
export class FetchError extends UserError {
  readonly source: string;
  readonly url: string;
  readonly failure: FetchFailure;
  /** The HTTP status, for `http` failures. */
  readonly status: number | undefined;
  constructor(source: string, url: string, failure: FetchFailure, problem: string, status?: number) {
    super(`${source}: ${problem}`);
    this.name = 'FetchError';
    this.source = source;
    this.url = url;
    this.failure = failure;
    this.status = status;
  }
}
