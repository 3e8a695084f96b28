import { UserError } from '@backtest/core';
import { megabytes } from '@backtest/core/internal';
import { FetchError } from './fetch-error';

/** How long a download may take, connection to last byte, unless BACKTEST_FETCH_TIMEOUT_MS says otherwise. */
const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
const FETCH_TIMEOUT_ENV = 'BACKTEST_FETCH_TIMEOUT_MS';

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

/** How much of an HTTP error's body is read for `explain` (the rest is not downloaded). */
const ERROR_BODY_BYTES = 64 * 1024;

export interface DownloadOptions {
  /** No complete answer (the whole body included) within this many milliseconds is a `network` failure. */
  readonly timeoutMs: number;
  /**
   * The largest body accepted, in bytes (@backtest/core's `maxFileBytes`: the cap on a data
   * file, which the download becomes). A longer one is not read to its end: a `body` failure.
   */
  readonly maxBytes: number;
  /** What an HTTP error body says, when the source explains its errors. */
  readonly explain?: (body: string) => string | undefined;
}

/** The body is longer than the cap (thrown inside `readBody`, reported as a FetchError by `download`). */
class TooLarge extends Error {
  /** The Content-Length, when that is what said so (before any of the body was read). */
  constructor(readonly declared?: number) {
    super('body too large');
  }
}

/**
 * The body of a GET of `url` as text (UTF-8, a BOM dropped, as `Response.text()` decodes it).
 * Fails with a `FetchError` naming `source` and the URL when there is no answer within the
 * timeout (the whole body included), the connection or the name lookup fails, the status is not
 * 2xx (`explain` may turn the first 64 KB of the error body into words), or the body is longer
 * than `maxBytes`: it is streamed, and the download stops as soon as it passes the cap (at once
 * when the Content-Length says so), so a body of any size never fills the memory.
 */
export async function download(source: string, url: string, options: DownloadOptions): Promise<string> {
  const { timeoutMs, maxBytes } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { signal, headers: HEADERS, redirect: 'follow' });
    if (response.ok) {
      body = await readBody(response, maxBytes, 'refuse');
    } else {
      body = await readBody(response, Math.min(maxBytes, ERROR_BODY_BYTES), 'truncate');
    }
  } catch (err) {
    if (err instanceof TooLarge) {
      const sent = err.declared === undefined ? 'more than' : `a Content-Length of ${megabytes(err.declared)}, more than`;
      throw new FetchError(
        source,
        url,
        'body',
        `${url} sent ${sent} the ${megabytes(maxBytes)} a data file may have, and the download was stopped; set BACKTEST_MAX_FILE_MB to raise the limit`,
      );
    }
    throw new FetchError(source, url, 'network', `cannot download ${url}: ${networkProblem(err, timeoutMs)}`);
  }
  if (!response.ok) {
    const said = options.explain?.(body);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new FetchError(source, url, 'http', `${url} answered HTTP ${status}${said ? ` (${said})` : ''}`, response.status);
  }
  return body;
}

/**
 * The response's body, read chunk by chunk up to `maxBytes`. Past the cap the rest is cancelled
 * (not downloaded): `refuse` throws `TooLarge`, `truncate` keeps the first `maxBytes`. A
 * Content-Length above the cap (of a body sent as it is, not compressed) refuses it before any of it is read.
 */
async function readBody(response: Response, maxBytes: number, over: 'refuse' | 'truncate'): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (over === 'refuse' && !response.headers.has('content-encoding') && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new TooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.byteLength > maxBytes) {
        await reader.cancel().catch(() => undefined);
        if (over === 'refuse') throw new TooLarge();
        chunks.push(value.subarray(0, maxBytes - total));
        total = maxBytes;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  }
  // Response.text()'s decoding: UTF-8, a leading BOM dropped, malformed bytes as U+FFFD.
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks, total));
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
