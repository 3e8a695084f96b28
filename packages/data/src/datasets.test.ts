import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { UserError } from '@backtest/core';
import { dataDirectories, findProjectRoot } from './data-directories';
import { listDatasets, loadDataset } from './datasets';
import { datasetRegistry } from './registry';

// packages/data/src -> the repository root, worked out independently of findProjectRoot.
const projectRoot = resolve(__dirname, '..', '..', '..');
const KNOWN = 'sp500, sp500-daily, sp500-shiller, ndx, n225, ftse100, dax, gold, tnx';
const NAME_CSV = (name: string) =>
  `a file NAME.csv in a data directory is the dataset NAME (\`backtest data fetch SYMBOL --source stooq|fred|yahoo --name ${name}\` downloads one)`;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'backtest-datasets-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('findProjectRoot', () => {
  it('walks up to the package.json with workspaces', () => {
    expect(findProjectRoot(__dirname)).toBe(projectRoot);
    expect(findProjectRoot(projectRoot)).toBe(projectRoot);
  });

  it('is a UserError outside any project', () => {
    expect(() => findProjectRoot(scratch)).toThrow(UserError);
    expect(() => findProjectRoot(scratch)).toThrow(`no project root (a package.json with "workspaces") at or above ${scratch}`);
  });
});

describe('dataDirectories', () => {
  it('defaults to the git-ignored data/ and then ../shared/data, from config/datasets.json', () => {
    expect(dataDirectories({ projectRoot })).toEqual([join(projectRoot, 'data'), resolve(projectRoot, '..', 'shared', 'data')]);
  });

  it('puts --data-dir values first, then BACKTEST_DATA_DIR, then the defaults, without repeats', () => {
    const dirs = dataDirectories({
      flag: ['/flag/a', 'rel'],
      env: ['/env/x', '', '/flag/a', '/env/y'].join(delimiter),
      projectRoot: '/repo',
      defaults: ['data', '../shared/data'],
    });
    expect(dirs).toEqual(['/flag/a', resolve('rel'), '/env/x', '/env/y', '/repo/data', '/shared/data']);
  });

  it('an empty environment variable adds nothing', () => {
    expect(dataDirectories({ env: '', projectRoot: '/repo', defaults: ['data'] })).toEqual(['/repo/data']);
  });
});

describe('datasetRegistry', () => {
  it('has every required dataset, served as documented', () => {
    const reg = datasetRegistry(projectRoot);
    expect(reg.datasets.map((d) => d.name).join(', ')).toBe(KNOWN);
    const byName = Object.fromEntries(reg.datasets.map((d) => [d.name, d]));
    expect(byName.sp500).toMatchObject({ file: 'gspc-daily.csv', frequency: 'monthly', layout: 'plain' });
    expect(byName['sp500-daily']).toMatchObject({ file: 'gspc-daily.csv', frequency: 'daily' });
    expect(byName['sp500-shiller']).toMatchObject({ file: 'sp500-shiller-monthly.csv', frequency: 'monthly', layout: 'shiller' });
    for (const name of ['ndx', 'n225', 'ftse100', 'dax', 'gold', 'tnx']) {
      expect(byName[name]).toMatchObject({ file: `${name}-daily.csv`, frequency: 'monthly', layout: 'plain' });
    }
    for (const d of reg.datasets) expect(d.url).toMatch(/^https:\/\//);
  });

  it('rejects a malformed registry with its path', () => {
    const root = join(scratch, 'bad-registry');
    mkdirSync(join(root, 'config'), { recursive: true });
    const file = join(root, 'config', 'datasets.json');
    writeFileSync(file, JSON.stringify({ dataDirs: ['data'], datasets: { x: { file: 'x.csv', description: 'd', frequency: 'weekly', layout: 'plain', url: 'u' } } }));
    expect(() => datasetRegistry(root)).toThrow(new UserError(`dataset registry ${file}: dataset "x": "frequency" must be monthly or daily`));
    writeFileSync(file, '{');
    expect(() => datasetRegistry(root)).toThrow(/^dataset registry .* cannot be read: /);
  });
});

describe('loadDataset', () => {
  it('an unknown name gets a near-miss hint and the known names', () => {
    expect(() => loadDataset('sp50', { dataDirs: [], projectRoot })).toThrow(
      new UserError(`unknown dataset "sp50" (did you mean "sp500"?). Known datasets: ${KNOWN}; ${NAME_CSV('sp50')}`),
    );
    expect(() => loadDataset('bitcoin', { dataDirs: [], projectRoot })).toThrow(new UserError(`unknown dataset "bitcoin". Known datasets: ${KNOWN}; ${NAME_CSV('bitcoin')}`));
  });

  it('a dataset found nowhere (no file, no embedded extract) lists every directory and how to provide the file', () => {
    const dirs = [join(scratch, 'a'), join(scratch, 'b')];
    expect(() => loadDataset('ndx', { dataDirs: dirs, projectRoot, embeddedDir: join(scratch, 'no-extracts') })).toThrow(
      new UserError(
        'dataset "ndx" needs the file ndx-daily.csv, which is in none of the data directories:\n' +
          `  ${dirs[0]}\n  ${dirs[1]}\n` +
          'Where the network allows, `backtest data fetch ^ndx --source stooq --name ndx` downloads it. Otherwise download the data (Nasdaq-100 index (^NDX) month-end close) from ' +
          'https://finance.yahoo.com/quote/%5ENDX/history/ as CSV with the header date,open,close,volume ' +
          `and save it as ${join(projectRoot, 'data', 'ndx-daily.csv')}, ` +
          'or name the directory that holds it with --data-dir or BACKTEST_DATA_DIR.',
      ),
    );
  });

  it('takes the file from the first directory that has it, at the registry frequency unless asked', () => {
    const first = join(scratch, 'first');
    mkdirSync(first, { recursive: true });
    writeFileSync(join(first, 'gspc-daily.csv'), 'date,open,close,volume\n2020-01-30,1,10,0\n2020-01-31,1,11,0\n2020-02-03,1,12,0\n');
    const dirs = [first, ...dataDirectories({ projectRoot })];
    const monthly = loadDataset('sp500', { dataDirs: dirs, projectRoot });
    expect(monthly.path).toBe(join(first, 'gspc-daily.csv'));
    expect(monthly.series.source).toBe('sp500');
    expect(monthly.series.dates).toEqual(['2020-01-31']);
    expect(loadDataset('sp500-daily', { dataDirs: dirs, projectRoot }).series.close).toEqual(new Float64Array([10, 11, 12]));
    expect(loadDataset('sp500', { dataDirs: dirs, projectRoot, frequency: 'daily' }).series.frequency).toBe('daily');
  });

  it('holds a dataset file to its registry layout', () => {
    const odd = join(scratch, 'odd');
    mkdirSync(odd, { recursive: true });
    writeFileSync(join(odd, 'gold-daily.csv'), 'Date,SP500\n2020-01-31,1\n');
    expect(() => loadDataset('gold', { dataDirs: [odd], projectRoot })).toThrow(/Expected layout: plain \(date,open,close,volume\)/);
  });
});

describe('listDatasets', () => {
  it('says where each dataset was found, or that it was not', () => {
    const only = join(scratch, 'only');
    mkdirSync(only, { recursive: true });
    writeFileSync(join(only, 'gspc-daily.csv'), 'date,close\n2020-01-31,1\n');
    mkdirSync(join(only, 'gold-daily.csv')); // a directory of that name does not count
    const listing = listDatasets([join(scratch, 'missing'), only], projectRoot);
    expect(listing.map((d) => [d.name, d.path])).toEqual([
      ['sp500', join(only, 'gspc-daily.csv')],
      ['sp500-daily', join(only, 'gspc-daily.csv')],
      ['sp500-shiller', undefined],
      ['ndx', undefined],
      ['n225', undefined],
      ['ftse100', undefined],
      ['dax', undefined],
      ['gold', undefined],
      ['tnx', undefined],
    ]);
    expect(listing[0]!.description).toMatch(/month-end/);
  });
});
