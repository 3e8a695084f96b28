import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { compareOptions, settingsFromOptions } from './library';
import { readDefaults, resolveSettings, SETTING_KEYS, validateSettings } from './settings';

const root = path.resolve(__dirname, '../../..');

describe('config/defaults.json, the one place of the defaults', () => {
  it('passes the schema it is not checked against at run time, and names every setting it defaults', () => {
    const json = JSON.parse(readFileSync(path.join(root, 'config/defaults.json'), 'utf8')) as Record<string, unknown>;
    expect(() => validateSettings(json, 'config/defaults.json')).not.toThrow();
    expect(readDefaults(root)).toEqual(validateSettings(json, 'config/defaults.json'));
  });

  it('fills every option left out', () => {
    const s = settingsFromOptions({}, { projectRoot: root, env: {} });
    expect(s).toMatchObject({
      strategy: 'nn-sma',
      dataset: 'sp500',
      totalReturn: false,
      onMissing: 'drop',
      costBps: 0,
      cashRate: 0,
      seed: 42,
      backend: 'auto',
      params: {},
      plugins: [],
    });
    expect(s.threads).toBe(availableParallelism());
    expect(s.dataDirs).toEqual([path.join(root, 'data'), path.resolve(root, '../shared/data')]);
  });

  it('takes options by the names of a config file, relative paths from cwd', () => {
    const s = settingsFromOptions({ strategy: 'sma', seed: 7, threads: 2, params: { window: 12 }, dataDirs: ['d'], data: 'x.csv' }, { projectRoot: root, cwd: '/tmp' });
    expect(s).toMatchObject({ strategy: 'sma', seed: 7, threads: 2, params: { window: 12 }, dataDirs: ['/tmp/d'], data: '/tmp/x.csv' });
  });

  it('gives the comparison its defaults', () => {
    expect(compareOptions({})).toEqual({ strategies: ['sma', 'ols-sma', 'nn-sma'], grids: [], priorTrials: 0, samples: 2000 });
    expect(compareOptions({ strategies: ['sma'], trials: 3, block: 4 })).toEqual({ strategies: ['sma'], grids: [], priorTrials: 3, samples: 2000, blockLength: 4 });
  });
});

describe('bad values: one schema, the messages of flags, files and options', () => {
  const file = (json: object) => () => validateSettings(json, 'config.json');
  it.each([
    [{ seed: -1 }, 'config.json: setting "seed" must be an integer from 0 to 4294967295, got -1'],
    [{ seed: 1.5 }, 'config.json: setting "seed" must be an integer from 0 to 4294967295, got 1.5'],
    [{ seed: 'x' }, 'config.json: setting "seed" must be an integer from 0 to 4294967295, got "x"'],
    [{ from: '2021-02-29' }, 'config.json: setting "from" must be a real month like "2020-01" (or a day like "2020-01-31"), got "2021-02-29"'],
    [{ costBps: 20000 }, 'config.json: setting "costBps" must be a number from 0 to 10000 (basis points of the traded weight: 10000 is the whole position), got 20000'],
    [
      { cashRate: 3 },
      'config.json: setting "cashRate" must be an annual rate as a fraction, at most 1 (100% a year): for 3% a year write 0.03, or the name of a yield series in percent (a dataset or CSV file), got 3',
    ],
    [{ cashRate: '' }, 'config.json: setting "cashRate" must be a number (an annual rate as a fraction) or the name of a yield series, got ""'],
    [{ threads: 0 }, 'config.json: setting "threads" must be an integer from 1 to 256, or "auto", got 0'],
    [{ threads: 'many' }, 'config.json: setting "threads" must be an integer from 1 to 256, or "auto", got "many"'],
    [{ backend: 'gpu' }, 'config.json: setting "backend" must be one of auto, tensorflow, wasm, cpu, got "gpu"'],
    [{ totalReturn: 'yes' }, 'config.json: setting "totalReturn" must be true or false, got "yes"'],
    [{ dataDirs: ['a', 1] }, 'config.json: setting "dataDirs" must be a list of strings, got ["a",1]'],
    [{ params: { window: {} } }, 'config.json: setting "params" must be an object of parameter values, got {"window":{}}'],
    [{ params: [1] }, 'config.json: setting "params" must be an object of parameter values, got [1]'],
  ])('%j', (json, message) => {
    expect(file(json)).toThrow(message);
  });

  it('refuses keys of the prototype chain as unknown settings, with a hint', () => {
    expect(file(JSON.parse('{"__proto__": {"seed": 1}}'))).toThrow(/^config\.json: unknown setting "__proto__"/);
    expect(file({ toString: 1 })).toThrow(/unknown setting "toString"/);
    expect(file({ sed: 1 })).toThrow(`config.json: unknown setting "sed" (did you mean "seed"?); known settings: ${SETTING_KEYS.join(', ')}`);
  });

  it('names a flag by the kebab-case of its key', () => {
    expect(() => resolveSettings(root, undefined, { costBps: -1 })).toThrow('--cost-bps must be a number from 0 to 10000');
    expect(() => resolveSettings(root, undefined, { seed: Number.NaN })).toThrow('--seed must be an integer from 0 to 4294967295, got something that is not a number');
    expect(() => resolveSettings(root, undefined, { testStart: '1999-00' })).toThrow('--test-start must be a real month');
    expect(() => compareOptions({ samples: 99 }, 'flags')).toThrow('--samples must be an integer from 100 to 1000000, got 99');
  });

  it('names the library options', () => {
    expect(() => settingsFromOptions({ seed: -1 }, { projectRoot: root })).toThrow('options: setting "seed" must be an integer from 0 to 4294967295, got -1');
    expect(() => settingsFromOptions({ sed: 1 } as object, { projectRoot: root })).toThrow(/^options: unknown setting "sed" \(did you mean "seed"\?\)/);
    expect(() => compare({ trials: -5 })).toThrow('options: setting "trials" must be an integer from 0 to 1000000000, got -5');
  });
});

const compare = (o: object) => compareOptions(o);
