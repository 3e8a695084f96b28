/**
 * `backtest data fetch` through the real command, against a local server standing in for Stooq,
 * FRED and Yahoo (the base URLs come from BACKTEST_*_URL): a fetched series is a dataset the
 * next run uses, and every failure exits 2 naming the source and URL and leaves the data
 * directory as it was. The command runs asynchronously here: the server answers from this
 * process, whose event loop a synchronous child would block.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { asStooqCsv, closedPort, type SourcesServer, useSourcesServer, TB3MS_CSV, yahooChart } from '../packages/data/src/fetch/__fixtures__/sources-server';
import { backtest, bin, type CliResult, describeWithRealData, itWithRealData, root, runsDir, sharedDataFile } from './helpers';

let server: SourcesServer;
useSourcesServer((s) => (server = s));

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bt-fetch-e2e-'));

/** The built command in a child process, without blocking this process (the server's). */
function fetchCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const sources = { BACKTEST_STOOQ_URL: server.base, BACKTEST_FRED_URL: server.base, BACKTEST_YAHOO_URL: server.base };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'data', 'fetch', ...args],
      { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runsDir, ...sources, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The exit code 2, one message on stderr, nothing on stdout, and nothing left in `dir`. */
function expectFailure(r: CliResult, dir: string, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(2);
  expect(readdirSync(dir)).toEqual([]);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Serves the daily file of ../shared/data as Stooq's answer.
describeWithRealData('backtest data fetch --source stooq: the S&P 500', () => {
  let daily: string;
  let sharedDir: string;
  let rows: number;
  beforeAll(() => {
    daily = readFileSync(sharedDataFile('gspc-daily.csv'), 'utf8');
    sharedDir = path.dirname(sharedDataFile('gspc-daily.csv'));
    rows = daily.trim().split('\n').length - 1;
  });
  const stooqUrl = () => `${server.base}/q/d/l/?s=%5Espx&i=d`;
  beforeEach(() => {
    const body = asStooqCsv(daily);
    server.answer = (url) => (url.pathname === '/q/d/l/' && url.searchParams.get('s') === '^spx' ? { body } : undefined);
  });

  /** sma's numbers on a dataset: the results and the period, which must not depend on where the file came from. */
  function smaRun(args: string[]): { results: unknown; period: unknown } {
    const r = backtest(['--strategy', 'sma', ...args, '--json', '--no-save']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    return { results: doc.results, period: doc.period };
  }
  const reference = () => smaRun(['--dataset', 'sp500', '--data-dir', sharedDir]);

  it('as a registered dataset (sp500-daily: gspc-daily.csv), which sp500 then uses with the same sma numbers', async () => {
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--name', 'sp500-daily', '--data-dir', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const file = path.join(dir, 'gspc-daily.csv');
    expect(doc).toMatchObject({ source: 'stooq', symbol: '^spx', url: stooqUrl(), rows, first: '1970-01-02', layout: 'plain', path: file });
    expect(doc.downloadedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(readdirSync(dir).sort()).toEqual(['gspc-daily.csv', 'gspc-daily.provenance.json']);
    const { path: _path, warnings: _warnings, ...provenance } = doc;
    expect(JSON.parse(readFileSync(path.join(dir, 'gspc-daily.provenance.json'), 'utf8'))).toEqual(provenance);
    expect(readFileSync(file, 'utf8').split('\r\n', 1)[0]).toBe('Date,Open,High,Low,Close,Volume');

    // The run reads the fetched file, and gets the numbers the shared file gives.
    expect(JSON.parse(backtest(['data', 'sp500', '--data-dir', dir, '--json']).stdout).path).toBe(file);
    const fetched = smaRun(['--dataset', 'sp500', '--data-dir', dir]);
    expect(fetched).toEqual(reference());
    expect((fetched.results as { sma: { sharpe: number } }).sma.sharpe).toEqual(expect.any(Number));
  });

  it('under a name of its own, which --dataset NAME loads from the data directory', async () => {
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--name', 'spx-stooq', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const last = JSON.parse(readFileSync(path.join(dir, 'spx-stooq.provenance.json'), 'utf8')).last;
    expect(r.stdout).toBe(`fetched spx-stooq from stooq: ${rows.toLocaleString('en-US')} daily rows 1970-01-02 .. ${last} -> ${path.join(dir, 'spx-stooq.csv')}\n`);
    expect(smaRun(['--dataset', 'spx-stooq', '--data-dir', dir])).toEqual(reference());
  });
});

describe('backtest data fetch --source fred and yahoo', () => {
  it('FRED: a TB3MS-like series with "." for missing values', async () => {
    server.answer = (url) => (url.pathname === '/graph/fredgraph.csv' && url.searchParams.get('id') === 'TB3MS' ? { body: TB3MS_CSV } : undefined);
    const dir = tempDir();
    const r = await fetchCli(['TB3MS', '--source', 'fred', '--data-dir', dir, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ source: 'fred', symbol: 'TB3MS', rows: 23, first: '2020-01-01', last: '2021-12-01', layout: 'fred', path: path.join(dir, 'tb3ms.csv') });
    expect(doc.warnings).toEqual([
      'tb3ms.csv: dropped 1 row with an empty field (line 7)',
      'tb3ms: no rows for 1 calendar month (2020-06); the return across such a gap spans more than a month',
    ]);
    expect(readFileSync(path.join(dir, 'tb3ms.csv'), 'utf8')).toBe(TB3MS_CSV);
    // The file is the dataset tb3ms.
    const data = backtest(['data', 'tb3ms', '--data-dir', dir, '--json']);
    expect(data.code).toBe(0);
    expect(JSON.parse(data.stdout)).toMatchObject({ dataset: 'tb3ms', layout: 'fred', frequency: 'monthly', rows: 23, droppedRows: 1 });
  });

  it('--values rate: a yield of 0 or below is fetched (as a price it is refused)', async () => {
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2020-03-09,-0.6,-0.5,-0.9,-0.85,0\n2020-03-10,-0.85,-0.7,-0.9,-0.8,0\n' });
    const dir = tempDir();
    const refused = await fetchCli(['10dey.b', '--source', 'stooq', '--data-dir', dir]);
    expectFailure(refused, dir, /, line 2, column "Close": price must be positive, found -0\.85\n$/);
    const r = await fetchCli(['10dey.b', '--source', 'stooq', '--values', 'rate', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`fetched 10dey.b from stooq: 2 daily rows 2020-03-09 .. 2020-03-10 -> ${path.join(dir, '10dey.b.csv')}\n`);
  });

  it('Yahoo: the chart API converted to the yahoo layout', async () => {
    const t = (iso: string) => Date.parse(`${iso}T13:30:00Z`) / 1000;
    const bars = [
      { t: t('2024-04-01'), open: 5257.97, high: 5263.95, low: 5229.2, close: 5243.77, adjclose: 5243.77, volume: 3325930000 },
      { t: t('2024-04-02'), open: 5204.29, high: 5208.34, low: 5184.05, close: 5205.81, adjclose: 5205.81, volume: 3886590000 },
    ];
    server.answer = (url) => (url.pathname === '/v8/finance/chart/%5EGSPC' ? { body: yahooChart('^GSPC', bars), contentType: 'application/json' } : undefined);
    const dir = tempDir();
    const r = await fetchCli(['^GSPC', '--source', 'yahoo', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`fetched gspc from yahoo: 2 daily rows 2024-04-01 .. 2024-04-02 -> ${path.join(dir, 'gspc.csv')}\n`);
    expect(readFileSync(path.join(dir, 'gspc.csv'), 'utf8')).toBe(
      'Date,Open,High,Low,Close,Adj Close,Volume\n2024-04-01,5257.97,5263.95,5229.2,5243.77,5243.77,3325930000\n2024-04-02,5204.29,5208.34,5184.05,5205.81,5205.81,3886590000\n',
    );
    expect(server.requests[0]).toMatch(/^\/v8\/finance\/chart\/%5EGSPC\?period1=0&period2=\d+&interval=1d&events=div$/);
  });
});

describe('backtest data fetch: failures exit 2, name the source and URL, and leave nothing behind', () => {
  const url = (base: string) => `${base}/q/d/l/?s=%5Espx&i=d`;

  it('Stooq\'s "No data" for an unknown symbol', async () => {
    server.answer = () => ({ body: 'No data', contentType: 'text/plain' });
    const dir = tempDir();
    const r = await fetchCli(['^nope', '--source', 'stooq', '--data-dir', dir]);
    expectFailure(
      r,
      dir,
      new RegExp(`^backtest: stooq: ${escapeRegExp(`${server.base}/q/d/l/?s=%5Enope&i=d`)} did not give \\^nope's series: the answer starts "No data", not CSV`),
    );
  });

  it.each([404, 500])('HTTP %i', async (status) => {
    server.answer = () => ({ status, body: 'error page', contentType: 'text/html' });
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--data-dir', dir]);
    expectFailure(r, dir, new RegExp(`^backtest: stooq: ${escapeRegExp(url(server.base))} answered HTTP ${status} `));
  });

  it("FRED's 404 for an unknown series", async () => {
    const dir = tempDir();
    const r = await fetchCli(['NOPE', '--source', 'fred', '--data-dir', dir]);
    expectFailure(r, dir, new RegExp(`^backtest: fred: ${escapeRegExp(`${server.base}/graph/fredgraph.csv?id=NOPE`)} answered HTTP 404 Not Found\\n$`));
  });

  it('a source nobody answers at (connection refused)', async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--data-dir', dir], { BACKTEST_STOOQ_URL: base });
    expectFailure(r, dir, new RegExp(`^backtest: stooq: cannot download ${escapeRegExp(url(base))}: connection refused \\(ECONNREFUSED\\)\\n$`));
  });

  it('malformed CSV: the message names the line and column', async () => {
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n2024-01-03,1,1,1\n' });
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--data-dir', dir]);
    expectFailure(r, dir, new RegExp(`^backtest: stooq response from ${escapeRegExp(url(server.base))}, line 3, column "Close": expected 6 fields as in the header, found 4\\n$`));
  });

  it('--name ../x is refused before anything is downloaded', async () => {
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n' });
    const dir = tempDir();
    const r = await fetchCli(['^spx', '--source', 'stooq', '--name', '../x', '--data-dir', dir]);
    expectFailure(r, dir, /^backtest: --name "\.\.\/x" is not a dataset name: use letters, digits/);
    expect(server.requests).toEqual([]);
    expect(readdirSync(path.dirname(dir)).filter((f) => f === 'x.csv')).toEqual([]);
  });

  it('--source is required and checked', async () => {
    const dir = tempDir();
    for (const [args, message] of [
      [[], 'Missing required argument: source'],
      [['--source', 'bloomberg'], 'Invalid values:'],
    ] as const) {
      const r = await fetchCli(['^spx', ...args, '--data-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`backtest: ${message}`);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(server.requests).toEqual([]);
  });
});

describe('backtest data without fetch is unchanged', () => {
  // sp500-daily is the daily file (no extract serves a dataset daily).
  itWithRealData('backtest data NAME', () => {
    const named = backtest(['data', 'sp500-daily', '--json']);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ dataset: 'sp500-daily', fileFrequency: 'daily' });
  });

  it('backtest data --json', () => {
    const configured = backtest(['data', '--json']);
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ dataset: 'sp500', frequency: 'monthly' });
  });
});
