import { UserError } from '@backtest/core';
import { FetchError } from './fetch-error';

/** How long a download may take, connection to last byte, unless BACKTEST_FETCH_TIMEOUT_MS says otherwise. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const FETCH_TIMEOUT_ENV = 'BACKTEST_FETCH_TIMEOUT_MS';

/** The timeout from the environment (a positive whole number of milliseconds), or the default. */
export function fetchTimeout(env: NodeJS.ProcessEnv): number {
  const raw = env[FETCH_TIMEOUT_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_FETCH_TIMEOUT_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new UserError(`${FETCH_TIMEOUT_ENV} must be a positive whole number of milliseconds, not "${raw}"`);
  }
  return ms;
}

// Some hosts (Yahoo's among them) refuse clients that do not say who they are.
const HEADERS = { 'user-agent': 'Mozilla/5.0 (compatible; backtest data fetch)', accept: '*/*' };

/**
 * The body of a GET of `url` as text. Fails with a `FetchError` naming `source` and the URL when
 * there is no answer within `timeoutMs` (the whole body included), the connection or the name
 * lookup fails, or the status is not 2xx (`explain` may turn the error body into words).
 */
export async function download(
  source: string,
  url: string,
  timeoutMs: number,
  explain?: (body: string) => string | undefined,
): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { signal, headers: HEADERS, redirect: 'follow' });
    body = await response.text();
  } catch (err) {
    throw new FetchError(source, url, 'network', `cannot download ${url}: ${networkProblem(err, timeoutMs)}`);
  }
  if (!response.ok) {
    const said = explain?.(body);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new FetchError(source, url, 'http', `${url} answered HTTP ${status}${said ? ` (${said})` : ''}`, response.status);
  }
  return body;
}

const CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'name lookup failed (DNS)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** Words for why fetch threw: undici hides the system error in `cause` (an AggregateError for several addresses). */
function networkProblem(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: unknown };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no complete answer within ${timeoutMs} ms (${FETCH_TIMEOUT_ENV} sets the limit)`;
  }
  const cause = e?.cause as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  const code = cause?.code ?? cause?.errors?.find((x) => x?.code)?.code;
  if (code !== undefined) return `${CODES[code] ?? cause?.message ?? 'network error'} (${code})`;
  return cause?.message ?? e?.message ?? String(err);
}
