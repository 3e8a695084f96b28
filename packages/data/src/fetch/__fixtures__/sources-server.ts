/**
 * A local HTTP server (127.0.0.1, a free port) standing in for Stooq, FRED and Yahoo in tests:
 * each test sets `answer` to what the "source" sends for a request. No test touches the network.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  readonly status?: number;
  readonly body?: string;
  readonly contentType?: string;
  /** Accept the request and never answer (for timeouts). */
  readonly hang?: boolean;
  /** Send the body in chunks of this many bytes, without a Content-Length (chunked transfer encoding); else at once, with one. */
  readonly chunked?: number;
}

export class SourcesServer {
  /** What to send for a request; undefined: 404 with an HTML page, as a web server would. */
  answer: (url: URL) => Answer | undefined = () => undefined;
  /** Every request's path and query, as received. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT`, for BACKTEST_*_URL. */
    readonly base: string,
  ) {}

  static async start(): Promise<SourcesServer> {
    let self: SourcesServer | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => self!.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new SourcesServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '');
    const answer = this.answer(new URL(req.url ?? '/', this.base)) ?? {
      status: 404,
      body: '<!DOCTYPE html><html><body>Not Found</body></html>',
      contentType: 'text/html',
    };
    if (answer.hang) return;
    const bytes = Buffer.from(answer.body ?? '');
    const length = answer.chunked === undefined ? { 'content-length': String(bytes.length) } : {};
    res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/csv', ...length });
    if (answer.chunked === undefined) {
      res.end(bytes);
      return;
    }
    // A client that stops reading closes the connection: what is still queued then goes nowhere.
    res.on('error', () => undefined);
    for (let at = 0; at < bytes.length; at += answer.chunked) res.write(bytes.subarray(at, at + answer.chunked));
    res.end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }
}

/**
 * The jest hooks of a test file that fetches from a SourcesServer: one server for the file,
 * handed to `started`, closed at the end, and reset (no answers, no requests) before each test.
 */
export function useSourcesServer(started: (server: SourcesServer) => void): void {
  let server: SourcesServer | undefined;
  beforeAll(async () => {
    server = await SourcesServer.start();
    started(server);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server!.answer = () => undefined;
    server!.requests.length = 0;
  });
}

/** A port nobody listens on: bound by a server of ours, noted, and closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A plain `date,open,close,volume` file (../shared/data's daily files) as Stooq writes it:
 * `Date,Open,High,Low,Close,Volume`, high and low the larger and smaller of open and close.
 */
export function asStooqCsv(plain: string): string {
  const lines = plain.trim().split(/\r?\n/);
  const out = ['Date,Open,High,Low,Close,Volume'];
  for (const line of lines.slice(1)) {
    const [date, open, close, volume] = line.split(',');
    const o = Number(open);
    const c = Number(close);
    const both = open !== '' && close !== '';
    out.push([date, open, both ? String(Math.max(o, c)) : '', both ? String(Math.min(o, c)) : '', close, volume].join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}

export interface ChartBar {
  /** Seconds since 1970, UTC. */
  readonly t: number;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly adjclose: number | null;
  readonly volume: number | null;
}

/** A Yahoo chart API answer (`/v8/finance/chart/SYMBOL`) holding these bars. */
export function yahooChart(symbol: string, bars: readonly ChartBar[], gmtoffset = -14400): string {
  return JSON.stringify({
    chart: {
      result: [
        {
          meta: { currency: 'USD', symbol, exchangeName: 'SNP', gmtoffset, timezone: 'EDT', exchangeTimezoneName: 'America/New_York', dataGranularity: '1d' },
          timestamp: bars.map((b) => b.t),
          events: { dividends: {} },
          indicators: {
            quote: [
              { open: bars.map((b) => b.open), high: bars.map((b) => b.high), low: bars.map((b) => b.low), close: bars.map((b) => b.close), volume: bars.map((b) => b.volume) },
            ],
            adjclose: [{ adjclose: bars.map((b) => b.adjclose) }],
          },
        },
      ],
      error: null,
    },
  });
}

/** Yahoo's answer for an unknown symbol (sent with HTTP 404). */
export const YAHOO_NOT_FOUND = JSON.stringify({
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
});

/** A FRED monthly series as fredgraph.csv sends it: dated the 1st, "." for a missing value. */
export const TB3MS_CSV =
  'observation_date,TB3MS\n2020-01-01,1.52\n2020-02-01,1.52\n2020-03-01,0.29\n2020-04-01,0.14\n2020-05-01,0.13\n' +
  '2020-06-01,.\n2020-07-01,0.13\n2020-08-01,0.10\n2020-09-01,0.11\n2020-10-01,0.10\n2020-11-01,0.09\n2020-12-01,0.09\n' +
  '2021-01-01,0.08\n2021-02-01,0.04\n2021-03-01,0.03\n2021-04-01,0.02\n2021-05-01,0.02\n2021-06-01,0.04\n' +
  '2021-07-01,0.05\n2021-08-01,0.05\n2021-09-01,0.04\n2021-10-01,0.05\n2021-11-01,0.05\n2021-12-01,0.06\n';
