import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureRecord } from './__fixtures__/record';
import { chartRuntime } from './html/chart-runtime';
import { buildReport } from './html/report';
import { readRunFolder, writeRunFolder } from './run-folder';
import { formatRunTable } from './terminal-table';

/**
 * Runs over a universe changed the run folder, the report and the terminal table only where a
 * record has a universe: a run over one series gives the very bytes it gave before (these
 * SHA-256 are of the output of the code before universes). A deliberate change to the files of
 * a single series updates them; any other difference is a regression. Updated for the
 * tearsheet: summary.json and the table gained valueAtRisk95 and expectedShortfall95 (only
 * those keys and rows), the page its new tables, charts and conventions.
 */
const BEFORE_UNIVERSES: Record<string, Record<string, string>> = {
  indicators: {
    'summary.json': '49197bd050bfd7f984df6c918e6ec0a357566795e2c2573e122adfb5a13702df',
    'returns.csv': 'd8228f253b2278e65892c61d552de35b2fe4e7f1a9ef3d247bb598d08d8450b0',
    'positions.csv': '7253d0740cac9b689942d70ab052f4e708f9e84dd15298ede0b3b0df44fca7f5',
    'report.html': 'bde4a58440a2d2e66fca29dee02f28a1c413491d7516ff3f9ec4aee37cbe93e9',
    table: '742a9947d4307c8b3aabcaae91d5d406232871fb8fe925c6a998292204dc185a',
  },
  forecast: {
    'summary.json': '6830809810d61a57c91e2757bfc9770dc99641256e9942b5ac3b19cf079492cc',
    'returns.csv': 'd8228f253b2278e65892c61d552de35b2fe4e7f1a9ef3d247bb598d08d8450b0',
    'positions.csv': 'c9bc9727b980b6c42a204e7bea9d53cc45072fc533d3f7985b5a07ff1fc9f847',
    'predictions.csv': '45edd1e55e4ed1105675dc3dc6e60389c7628acf4ebd9b3151ea42d9cd44326a',
    'training.csv': 'f65055459d2a343c0d132fc70aa89b6992a49c1a8df8359d4c07e1fec2dd120d',
    'report.html': '604d5aa0af3580db52f207ba01169bc40e731cf1d8f8a973dac400bfc987eed4',
    table: '89f70600f55669385671f7eec23c572fc9c99ac5d0252502757142346ef01bee',
  },
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'single-series-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a run over one series', () => {
  it.each([
    ['indicators', { indicators: true }],
    ['forecast', { forecast: true }],
  ] as const)('(%s) writes the files, the report and the table it wrote before universes, and rebuilds the same report', (name, options) => {
    const rec = fixtureRecord(options);
    const dir = path.join(tmp, name);
    const { files } = writeRunFolder(rec, dir);
    // The page without the two runtimes, which are the installed Vega's and Vega-Lite's bytes.
    const { vega, vegaLite } = chartRuntime();
    const page = (file: string) => fs.readFileSync(file, 'utf8').replace(vega.toString('utf8'), '').replace(vegaLite.toString('utf8'), '');
    const report = path.join(dir, 'report.html');
    const hashes = Object.fromEntries(files.map((f) => [f, sha256(f === 'report.html' ? page(report) : fs.readFileSync(path.join(dir, f)))]));
    expect({ ...hashes, table: sha256(formatRunTable(rec.summary)) }).toEqual(BEFORE_UNIVERSES[name]);
    const back = readRunFolder(dir);
    expect(back.universe).toBeUndefined();
    expect(buildReport(back)).toBe(fs.readFileSync(report, 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'positions.csv'), 'utf8').split('\n')[0]).toBe(
      name === 'indicators' ? 'month,close,weight,price:3-month SMA,own:oscillator' : 'month,close,weight',
    );
  });
});
