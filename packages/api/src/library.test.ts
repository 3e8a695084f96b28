import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { rejectionOf } from '@backtest/core/testing';
import { compare, runBacktest, settingsFromOptions } from './library';

/** The UserError a call rejects with (exit code 2), or a failure naming what it got instead. */
const refusal = async (p: Promise<unknown>): Promise<string> => (await rejectionOf(p, UserError)).message;

describe('library options that are not settings', () => {
  it('refuses options that are not an object, for every call', async () => {
    expect(await refusal(compare(null as never))).toBe('options: expected an object of settings');
    expect(await refusal(runBacktest([] as never))).toBe('options: expected an object of settings');
  });

  it('checks saveModels as a boolean', async () => {
    expect(await refusal(runBacktest({ strategy: 'sma', saveModels: 'no' as never }))).toBe('options: setting "saveModels" must be true or false, got "no"');
  });

  it("checks another project's config/defaults.json like any settings file, and says when it has none", () => {
    const root = mkdtempSync(join(tmpdir(), 'api-project-'));
    expect(() => settingsFromOptions({}, { projectRoot: root })).toThrow(`cannot read config file ${join(root, 'config', 'defaults.json')}: ENOENT`);
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config', 'defaults.json'), '{"seed": -1}');
    expect(() => settingsFromOptions({}, { projectRoot: root })).toThrow('setting "seed" must be an integer from 0 to 4294967295, got -1');
  });

  it('puts BACKTEST_DATA_DIR first, as the command does, also when the options name directories', () => {
    const s = settingsFromOptions({ dataDirs: ['/opt/d'] }, { env: { BACKTEST_DATA_DIR: '/env/x' } });
    expect(s.dataDirs).toEqual(['/env/x', '/opt/d']);
  });
});
