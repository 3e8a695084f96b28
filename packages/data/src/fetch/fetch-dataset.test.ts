import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, UserError } from '@backtest/core';
import { rejectionOf } from '@backtest/core/testing';
import { findProjectRoot } from '../data-directories';
import { loadCsvFile } from '../load';
import { closedPort, type SourcesServer, TB3MS_CSV, useSourcesServer, YAHOO_NOT_FOUND, yahooChart } from './__fixtures__/sources-server';
import { FetchError } from './fetch-error';
import { type FetchOptions, fetchDataset } from './fetch-dataset';

const projectRoot = findProjectRoot(__dirname);
const now = new Date('2026-04-11T08:30:00.000Z');
const STOOQ = 'Date,Open,High,Low,Close,Volume\n2024-01-02,100,101,99,100.5,1000\n2024-01-03,100.5,102,100,101.5,1100\n2024-01-04,101.5,103,101,102,900\n';

let server: SourcesServer;
useSourcesServer((s) => (server = s));

const env = () => ({ BACKTEST_STOOQ_URL: server.base, BACKTEST_FRED_URL: `${server.base}/`, BACKTEST_YAHOO_URL: server.base });
const tempDir = () => mkdtempSync(join(tmpdir(), 'bt-fetch-'));
const fetchInto = (dir: string, options: Omit<FetchOptions, 'dataDirs' | 'projectRoot'>) =>
  fetchDataset({ env: env(), now, dataDirs: [dir, join(projectRoot, 'data')], projectRoot, ...options });

/** The error `promise` rejects with. */
const failure = (promise: Promise<unknown>): Promise<Error> => rejectionOf(promise);

describe('fetchDataset: Stooq', () => {
  it("writes the CSV and its provenance; a registered name writes the entry's file", async () => {
    server.answer = (url) => (url.pathname === '/q/d/l/' && url.searchParams.get('s') === '^spx' && url.searchParams.get('i') === 'd' ? { body: STOOQ } : undefined);
    const dir = tempDir();
    const r = await fetchInto(dir, { source: 'stooq', symbol: '^SPX', name: 'sp500-daily' });
    expect(server.requests).toEqual(['/q/d/l/?s=%5Espx&i=d']);
    expect(r.name).toBe('sp500-daily');
    expect(r.entry?.file).toBe('gspc-daily.csv');
    expect(r.path).toBe(join(dir, 'gspc-daily.csv'));
    expect(r.provenancePath).toBe(join(dir, 'gspc-daily.provenance.json'));
    expect(readdirSync(dir).sort()).toEqual(['gspc-daily.csv', 'gspc-daily.provenance.json']);
    const bytes = readFileSync(r.path);
    expect(bytes.toString()).toBe(STOOQ);
    const provenance = JSON.parse(readFileSync(r.provenancePath, 'utf8'));
    expect(provenance).toEqual({
      source: 'stooq',
      symbol: '^spx',
      url: `${server.base}/q/d/l/?s=%5Espx&i=d`,
      downloadedAt: '2026-04-11T08:30:00.000Z',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: 3,
      first: '2024-01-02',
      last: '2024-01-04',
      layout: 'plain',
    });
    expect(r.provenance).toEqual(provenance);
    expect(r.fileFrequency).toBe('daily');
    // It loads as the dataset does: the plain layout, open/high/low/volume kept.
    const loaded = loadCsvFile(r.path, { layout: 'plain', frequency: 'daily' });
    expect(loaded.sha256).toBe(provenance.sha256);
    expect([...loaded.series.close]).toEqual([100.5, 101.5, 102]);
    expect(Object.keys(loaded.series.columns)).toEqual(['open', 'high', 'low', 'volume']);
  });

  it('names the file after the symbol by default', async () => {
    server.answer = () => ({ body: STOOQ });
    const dir = tempDir();
    const r = await fetchInto(dir, { source: 'stooq', symbol: '^ndx' });
    expect(r.name).toBe('ndx');
    expect(r.entry?.name).toBe('ndx'); // a registered dataset: its file
    expect(readdirSync(dir).sort()).toEqual(['ndx-daily.csv', 'ndx-daily.provenance.json']);
    const other = await fetchInto(dir, { source: 'stooq', symbol: 'AAPL.US' });
    expect(other.entry).toBeUndefined();
    expect(other.path).toBe(join(dir, 'aapl.us.csv'));
    expect(other.warnings).toEqual([]);
  });

  it('an unregistered name is NAME.csv; an unsafe name is refused before any request', async () => {
    server.answer = () => ({ body: STOOQ });
    const dir = tempDir();
    expect((await fetchInto(dir, { source: 'stooq', symbol: '^spx', name: 'spx_stooq-1.x' })).path).toBe(join(dir, 'spx_stooq-1.x.csv'));
    for (const name of ['../x', '.hidden', 'a/b', '', 'a b', '..']) {
      const e = await failure(fetchInto(dir, { source: 'stooq', symbol: '^spx', name }));
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).toContain('is not a dataset name');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('"No data" (HTTP 200, an unknown symbol) is an error naming the source and URL, and writes nothing', async () => {
    server.answer = () => ({ body: 'No data', contentType: 'text/plain' });
    const dir = tempDir();
    const e = await failure(fetchInto(dir, { source: 'stooq', symbol: '^nope' }));
    expect(e).toBeInstanceOf(FetchError);
    expect(e.message).toBe(
      `stooq: ${server.base}/q/d/l/?s=%5Enope&i=d did not give ^nope's series: the answer starts "No data", not CSV with the header Date,Open,High,Low,Close,Volume`,
    );
    expect((e as FetchError).failure).toBe('body');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an empty answer is not CSV either', async () => {
    server.answer = () => ({ body: '' });
    expect((await failure(fetchInto(tempDir(), { source: 'stooq', symbol: '^spx' }))).message).toContain('the answer is empty');
  });

  it.each([404, 500, 503])('HTTP %i is an error naming the source, URL and status', async (status) => {
    server.answer = () => ({ status, body: 'oops' });
    const dir = tempDir();
    const e = (await failure(fetchInto(dir, { source: 'stooq', symbol: '^spx' }))) as FetchError;
    expect(e).toBeInstanceOf(FetchError);
    expect(e.exitCode).toBe(2);
    expect(e.failure).toBe('http');
    expect(e.status).toBe(status);
    expect(e.message).toMatch(new RegExp(`^stooq: ${escapeRegExp(server.base)}/q/d/l/\\?s=%5Espx&i=d answered HTTP ${status} \\w`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('no server at the address: connection refused', async () => {
    const port = await closedPort();
    const dir = tempDir();
    const e = (await failure(
      fetchDataset({ source: 'stooq', symbol: '^spx', env: { BACKTEST_STOOQ_URL: `http://127.0.0.1:${port}` }, dataDirs: [dir], projectRoot }),
    )) as FetchError;
    expect(e).toBeInstanceOf(FetchError);
    expect(e.failure).toBe('network');
    expect(e.message).toBe(`stooq: cannot download http://127.0.0.1:${port}/q/d/l/?s=%5Espx&i=d: connection refused (ECONNREFUSED)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a source that never answers runs into the timeout', async () => {
    server.answer = () => ({ hang: true });
    const dir = tempDir();
    const e = (await failure(fetchDataset({ source: 'stooq', symbol: '^spx', env: { ...env(), BACKTEST_FETCH_TIMEOUT_MS: '200' }, dataDirs: [dir], projectRoot }))) as FetchError;
    expect(e.failure).toBe('network');
    expect(e.message).toBe(`stooq: cannot download ${server.base}/q/d/l/?s=%5Espx&i=d: no complete answer within 200 ms (BACKTEST_FETCH_TIMEOUT_MS sets the limit)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("malformed CSV is an InputError at the source's URL, with line and column", async () => {
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n2024-01-03,1,1,1,abc,1\n' });
    const dir = tempDir();
    const e = (await failure(fetchInto(dir, { source: 'stooq', symbol: '^spx' }))) as InputError;
    expect(e).toBeInstanceOf(InputError);
    const where = `stooq response from ${server.base}/q/d/l/?s=%5Espx&i=d`;
    expect(e.location).toEqual({ file: where, line: 3, column: 'Close' });
    expect(e.message).toBe(`${where}, line 3, column "Close": "abc" is not a number`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an existing file is replaced only by one that loads', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spx.csv'), 'old');
    writeFileSync(join(dir, 'spx.provenance.json'), '{"old": true}');
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,0,1\n' });
    const e = await failure(fetchInto(dir, { source: 'stooq', symbol: '^spx' }));
    expect(e.message).toContain('line 2, column "Close": price must be positive, found 0');
    expect(readdirSync(dir).sort()).toEqual(['spx.csv', 'spx.provenance.json']);
    expect(readFileSync(join(dir, 'spx.csv'), 'utf8')).toBe('old');
    server.answer = () => ({ body: STOOQ });
    await fetchInto(dir, { source: 'stooq', symbol: '^spx' });
    expect(readdirSync(dir).sort()).toEqual(['spx.csv', 'spx.provenance.json']);
    expect(readFileSync(join(dir, 'spx.csv'), 'utf8')).toBe(STOOQ);
    expect(JSON.parse(readFileSync(join(dir, 'spx.provenance.json'), 'utf8')).rows).toBe(3);
  });

  it('values: "rate" checks the closes as rates (a yield of 0 or below), not prices', async () => {
    server.answer = () => ({ body: 'Date,Open,High,Low,Close,Volume\n2020-03-09,0.1,0.1,-0.2,-0.1,0\n2020-03-10,-0.1,0.0,-0.1,0,0\n' });
    const r = await fetchInto(tempDir(), { source: 'stooq', symbol: '10dey.b', values: 'rate' });
    expect(r.provenance).toMatchObject({ rows: 2, first: '2020-03-09', last: '2020-03-10', layout: 'plain' });
    expect([...loadCsvFile(r.path, { values: 'rate', frequency: 'daily' }).series.close]).toEqual([-0.1, 0]);
  });

  it('creates the data directory when it does not exist yet', async () => {
    server.answer = () => ({ body: STOOQ });
    const dir = join(tempDir(), 'data', 'new');
    const r = await fetchInto(dir, { source: 'stooq', symbol: '^spx' });
    expect(r.path).toBe(join(dir, 'spx.csv'));
  });

  it('a registered dataset fetched from another symbol than its registry entry says gets a warning', async () => {
    server.answer = () => ({ body: STOOQ });
    const r = await fetchInto(tempDir(), { source: 'stooq', symbol: '^ndx', name: 'sp500' });
    expect(r.warnings).toContain('dataset "sp500" is registered as stooq ^spx; gspc-daily.csv now holds stooq ^ndx');
  });
});

describe('fetchDataset: FRED', () => {
  it('downloads fredgraph.csv in the fred layout; "." is a dropped row', async () => {
    server.answer = (url) => (url.pathname === '/graph/fredgraph.csv' && url.searchParams.get('id') === 'TB3MS' ? { body: TB3MS_CSV } : undefined);
    const dir = tempDir();
    const r = await fetchInto(dir, { source: 'fred', symbol: 'tb3ms' });
    expect(server.requests).toEqual(['/graph/fredgraph.csv?id=TB3MS']);
    expect(r.path).toBe(join(dir, 'tb3ms.csv'));
    expect(r.provenance).toMatchObject({ source: 'fred', symbol: 'TB3MS', rows: 23, first: '2020-01-01', last: '2021-12-01', layout: 'fred' });
    expect(r.fileFrequency).toBe('monthly');
    // Read monthly, as it is: the dropped "." leaves a month without a row, which the loader says.
    expect(r.warnings).toEqual([
      'tb3ms.csv: dropped 1 row with an empty field (line 7)',
      'tb3ms: no rows for 1 calendar month (2020-06); the return across such a gap spans more than a month',
    ]);
    const rates = loadCsvFile(r.path, { values: 'rate' });
    expect(rates.layout).toBe('fred');
    expect(rates.series.close[0]).toBe(1.52);
  });

  it("the older DATE header is FRED's too; a rate of 0.00 is fetched, and loads as a rate", async () => {
    server.answer = () => ({ body: 'DATE,DTB3\n2021-01-04,0.09\n2021-01-05,0.00\n2021-01-06,-0.01\n' });
    const r = await fetchInto(tempDir(), { source: 'fred', symbol: 'DTB3' });
    expect(r.provenance.layout).toBe('fred');
    expect([...loadCsvFile(r.path, { values: 'rate', frequency: 'daily' }).series.close]).toEqual([0.09, 0, -0.01]);
  });

  it("an HTML page is not FRED's CSV", async () => {
    server.answer = () => ({ body: '<!DOCTYPE html>\n<html>', contentType: 'text/html' });
    const e = await failure(fetchInto(tempDir(), { source: 'fred', symbol: 'NOPE' }));
    expect(e.message).toBe(
      `fred: ${server.base}/graph/fredgraph.csv?id=NOPE did not give NOPE's series: the answer starts "<!DOCTYPE html>", not CSV with the header observation_date,SERIES_ID`,
    );
  });

  it('a registered dataset must load in its registry layout', async () => {
    server.answer = () => ({ body: TB3MS_CSV });
    const dir = tempDir();
    const e = (await failure(fetchInto(dir, { source: 'fred', symbol: 'TB3MS', name: 'sp500' }))) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain(`fred response from ${server.base}/graph/fredgraph.csv?id=TB3MS, line 1, column "date": no date and close columns`);
    expect(e.message).toContain('Expected layout: plain (date,open,close,volume)');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('fetchDataset: Yahoo', () => {
  const day = (iso: string) => Date.parse(`${iso}T13:30:00Z`) / 1000; // 09:30 New York (EDT)
  const bars = [
    { t: day('2024-04-01'), open: 5257.97, high: 5263.95, low: 5229.2, close: 5243.77, adjclose: 5243.77, volume: 3325930000 },
    { t: day('2024-04-02'), open: null, high: null, low: null, close: null, adjclose: null, volume: null },
    { t: day('2024-04-03'), open: 5194.37, high: 5228.75, low: 5194.37, close: 5211.49, adjclose: 5211.49, volume: 3476550000 },
  ];

  it('converts the chart JSON to the yahoo layout, nulls as empty fields', async () => {
    server.answer = (url) => (url.pathname === '/v8/finance/chart/%5EGSPC' ? { body: yahooChart('^GSPC', bars), contentType: 'application/json' } : undefined);
    const dir = tempDir();
    const r = await fetchInto(dir, { source: 'yahoo', symbol: '^gspc' });
    expect(server.requests).toEqual([`/v8/finance/chart/%5EGSPC?period1=0&period2=${now.getTime() / 1000}&interval=1d&events=div`]);
    expect(r.path).toBe(join(dir, 'gspc.csv'));
    expect(readFileSync(r.path, 'utf8')).toBe(
      'Date,Open,High,Low,Close,Adj Close,Volume\n' +
        '2024-04-01,5257.97,5263.95,5229.2,5243.77,5243.77,3325930000\n' +
        '2024-04-02,,,,,,\n' +
        '2024-04-03,5194.37,5228.75,5194.37,5211.49,5211.49,3476550000\n',
    );
    expect(r.provenance).toMatchObject({ source: 'yahoo', symbol: '^GSPC', rows: 2, first: '2024-04-01', last: '2024-04-03', layout: 'yahoo' });
    expect(r.warnings[0]).toBe('gspc.csv: dropped 1 row with an empty field (line 3)');
  });

  it("Yahoo's 404 for an unknown symbol is reported with its own words", async () => {
    server.answer = () => ({ status: 404, body: YAHOO_NOT_FOUND, contentType: 'application/json' });
    const e = (await failure(fetchInto(tempDir(), { source: 'yahoo', symbol: 'NOPE' }))) as FetchError;
    expect(e.status).toBe(404);
    expect(e.message).toMatch(
      /^yahoo: http:\/\/127\.0\.0\.1:\d+\/v8\/finance\/chart\/NOPE\?period1=0&period2=\d+&interval=1d&events=div answered HTTP 404 Not Found \(Not Found: No data found, symbol may be delisted\)$/,
    );
  });

  it('an answer that is not a chart is a body error', async () => {
    server.answer = () => ({ body: '{"finance": {}}', contentType: 'application/json' });
    const e = (await failure(fetchInto(tempDir(), { source: 'yahoo', symbol: '^GSPC' }))) as FetchError;
    expect(e.failure).toBe('body');
    expect(e.message).toContain('did not give ^GSPC\'s series: the answer has no "chart" object, not a chart of daily prices');
  });

  it('a bad row of the converted CSV is named by its line', async () => {
    const unsorted = [bars[2]!, bars[0]!];
    server.answer = () => ({ body: yahooChart('^GSPC', unsorted) });
    const e = (await failure(fetchInto(tempDir(), { source: 'yahoo', symbol: '^GSPC' }))) as InputError;
    expect(e.location).toMatchObject({ line: 3, column: 'Date' });
    expect(e.message).toContain('yahoo response from');
    expect(e.message).toContain('(as CSV), line 3, column "Date": date 2024-04-01 is earlier than 2024-04-03 on line 2');
  });
});

/** A Stooq answer of `rows` daily rows from 2000-01-03 on (one a calendar day: dates only need to ascend). */
function stooqRows(rows: number): string {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < rows; i++) {
    const date = new Date(Date.UTC(2000, 0, 3 + i)).toISOString().slice(0, 10);
    lines.push(`${date},100,101,99,100.5,1000`);
  }
  return `${lines.join('\n')}\n`;
}

describe('fetchDataset: the size of the answer', () => {
  const body = stooqRows(200); // 6,632 bytes
  const capped = (mb: string) => ({ ...env(), BACKTEST_MAX_FILE_MB: mb });
  const fetchCapped = (dir: string, mb: string) => fetchDataset({ source: 'stooq', symbol: '^spx', env: capped(mb), now, dataDirs: [dir], projectRoot });
  const url = () => `${server.base}/q/d/l/?s=%5Espx&i=d`;

  it('a body longer than BACKTEST_MAX_FILE_MB, by its Content-Length, is refused before it is read', async () => {
    server.answer = () => ({ body });
    const dir = tempDir();
    const e = (await failure(fetchCapped(dir, '0.001'))) as FetchError;
    expect(e).toBeInstanceOf(FetchError);
    expect(e.exitCode).toBe(2);
    expect(e.failure).toBe('body');
    expect(e.message).toBe(
      `stooq: ${url()} sent a Content-Length of 0.006 MB (${body.length} bytes), more than the 0.001 MB (1048 bytes) a data file may have, ` +
        'and the download was stopped; set BACKTEST_MAX_FILE_MB to raise the limit',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a body sent without a Content-Length is streamed, and stopped once it passes the cap', async () => {
    server.answer = () => ({ body, chunked: 100 });
    const dir = tempDir();
    const e = (await failure(fetchCapped(dir, '0.001'))) as FetchError;
    expect(e).toBeInstanceOf(FetchError);
    expect(e.failure).toBe('body');
    expect(e.message).toBe(
      `stooq: ${url()} sent more than the 0.001 MB (1048 bytes) a data file may have, and the download was stopped; set BACKTEST_MAX_FILE_MB to raise the limit`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([false, true])('a body of exactly the cap is fetched, one byte more is not (chunked: %s)', async (chunked) => {
    const mb = String(body.length / 2 ** 20); // exactly body.length bytes
    server.answer = () => ({ body, ...(chunked ? { chunked: 1000 } : {}) });
    const dir = tempDir();
    const r = await fetchCapped(dir, mb);
    expect(readFileSync(r.path, 'utf8')).toBe(body);
    expect(r.provenance.rows).toBe(200);
    server.answer = () => ({ body: `${body}\n`, ...(chunked ? { chunked: 1000 } : {}) });
    const e = (await failure(fetchCapped(dir, mb))) as FetchError;
    expect(e.failure).toBe('body');
    expect(e.message).toContain(`a data file may have, and the download was stopped`);
    expect(readFileSync(r.path, 'utf8')).toBe(body);
  });

  it.each([false, true])("an HTTP error's body past the cap is cut, not refused: the status and its words are reported (chunked: %s)", async (chunked) => {
    // Yahoo's words, then a megabyte of spaces: the first 1048 bytes still parse.
    server.answer = () => ({ status: 404, body: YAHOO_NOT_FOUND.padEnd(1 << 20), contentType: 'application/json', ...(chunked ? { chunked: 1 << 16 } : {}) });
    const e = (await failure(fetchDataset({ source: 'yahoo', symbol: 'NOPE', env: capped('0.001'), now, dataDirs: [tempDir()], projectRoot }))) as FetchError;
    expect(e.failure).toBe('http');
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/answered HTTP 404 Not Found \(Not Found: No data found, symbol may be delisted\)$/);
  });

  it('a bad BACKTEST_MAX_FILE_MB is refused before any request', async () => {
    const e = await failure(fetchCapped(tempDir(), 'lots'));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('BACKTEST_MAX_FILE_MB must be a positive number of megabytes, not "lots"');
    expect(server.requests).toEqual([]);
  });
});

describe('fetchDataset: writing the files', () => {
  /** The UserError (exit code 2, not a raw system error) a fetch into `dir` fails with. */
  async function writeFailure(dir: string): Promise<UserError> {
    server.answer = () => ({ body: STOOQ });
    const e = await failure(fetchDataset({ source: 'stooq', symbol: '^spx', env: env(), now, dataDirs: [dir], projectRoot }));
    expect(e).toBeInstanceOf(UserError);
    expect(e).not.toBeInstanceOf(FetchError);
    expect((e as UserError).exitCode).toBe(2);
    return e as UserError;
  }

  it('a data directory below a regular file (ENOTDIR) is an error naming the file in the way', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'x');
    const dir = join(file, 'data');
    expect((await writeFailure(dir)).message).toBe(`cannot create the data directory ${dir}: ${file} is not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('x');
    // The data directory itself a file: the same.
    expect((await writeFailure(file)).message).toBe(`cannot create the data directory ${file}: ${file} is not a directory`);
  });

  it('a data directory under /proc is an error, not a mkdir retried for ever (linux)', async () => {
    const dir = `/proc/backtest-no-such-dir-${process.pid}/data`;
    expect((await writeFailure(dir)).message).toMatch(new RegExp(`^cannot create the data directory ${escapeRegExp(dir)}: the file system refused it \\(ENOENT: `));
  });

  it('a directory where the CSV goes is an error naming it; nothing is written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spx.csv'));
    expect((await writeFailure(dir)).message).toBe(`cannot write ${join(dir, 'spx.csv')}: a directory of that name is in the way`);
    expect(readdirSync(dir)).toEqual(['spx.csv']);
    expect(statSync(join(dir, 'spx.csv')).isDirectory()).toBe(true);
  });

  it('a provenance that cannot be written puts the previous CSV back: the old pair stays, as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spx.csv'), 'old');
    const before = statSync(join(dir, 'spx.csv'));
    mkdirSync(join(dir, 'spx.provenance.json')); // planted: no file can be renamed over it
    writeFileSync(join(dir, 'spx.provenance.json', 'inside'), 'kept');
    expect((await writeFailure(dir)).message).toBe(`cannot write ${join(dir, 'spx.provenance.json')}: a directory of that name is in the way`);
    // No temporary file left, the old CSV itself back (the same file), the directory untouched.
    expect(readdirSync(dir).sort()).toEqual(['spx.csv', 'spx.provenance.json']);
    expect(readFileSync(join(dir, 'spx.csv'), 'utf8')).toBe('old');
    expect(statSync(join(dir, 'spx.csv')).ino).toBe(before.ino);
    expect(readdirSync(join(dir, 'spx.provenance.json'))).toEqual(['inside']);
  });

  it('a provenance that cannot be written on a first download leaves no CSV either', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spx.provenance.json'));
    expect((await writeFailure(dir)).message).toBe(`cannot write ${join(dir, 'spx.provenance.json')}: a directory of that name is in the way`);
    expect(readdirSync(dir)).toEqual(['spx.provenance.json']);
  });

  it('a successful download replaces both files and leaves no kept copy behind', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spx.csv'), 'old');
    writeFileSync(join(dir, 'spx.provenance.json'), '{"old": true}');
    server.answer = () => ({ body: STOOQ });
    const r = await fetchInto(dir, { source: 'stooq', symbol: '^spx' });
    expect(readdirSync(dir).sort()).toEqual(['spx.csv', 'spx.provenance.json']);
    expect(readFileSync(r.path, 'utf8')).toBe(STOOQ);
    expect(JSON.parse(readFileSync(r.provenancePath, 'utf8')).sha256).toBe(createHash('sha256').update(STOOQ).digest('hex'));
  });
});

describe('fetchDataset: settings', () => {
  it('rejects an unknown source, a bad base URL, a bad timeout and an empty symbol', async () => {
    const dir = tempDir();
    const run = (o: Partial<FetchOptions>) => failure(fetchDataset({ source: 'stooq', symbol: '^spx', dataDirs: [dir], projectRoot, env: env(), ...o }));
    expect((await run({ source: 'bloomberg' as 'stooq' })).message).toBe('unknown source "bloomberg": choose one of stooq, fred, yahoo');
    expect((await run({ env: { BACKTEST_STOOQ_URL: 'ftp://x' } })).message).toBe('BACKTEST_STOOQ_URL must be an http(s) URL such as https://stooq.com, not "ftp://x"');
    expect((await run({ env: { ...env(), BACKTEST_FETCH_TIMEOUT_MS: '1.5' } })).message).toBe(
      'BACKTEST_FETCH_TIMEOUT_MS must be a positive whole number of milliseconds, not "1.5"',
    );
    expect((await run({ symbol: ' ' })).message).toContain('is not a ticker or series id');
    expect((await run({ symbol: '^^^' })).message).toBe('symbol "^^^" gives no file name: name the dataset with --name');
    expect(server.requests).toEqual([]);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
