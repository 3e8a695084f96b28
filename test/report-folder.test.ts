/**
 * Run folders of a real run: what `backtest report <run-dir>` reads and rewrites. The command
 * module is driven through yargs in-process, as cli.ts will drive it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yargs from 'yargs';
import { silentProgress, UserError } from '@backtest/core';
import { loadStrategyRegistry, resolveSettings, runJob } from '@backtest/api';
import { buildReport, readRunFolder, runRecordFrom, writeRunFolder } from '@backtest/report';
import { reportCommand } from '@backtest/cli';
import { backtest, root } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'report-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function report(args: string[]) {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
  await yargs(args)
    .command(reportCommand(io))
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .parseAsync();
  return lines;
}

describe('backtest report <run-dir>', () => {
  it('rebuilds report.html of a real sma run from the folder alone, byte for byte', async () => {
    const settings = resolveSettings(root, undefined, { strategy: 'sma', params: { window: '12' } });
    const outcome = await runJob(settings, loadStrategyRegistry(), root, silentProgress);
    const dir = path.join(tmp, 'sma');
    writeRunFolder(runRecordFrom(outcome, { config: { ...settings }, version: '0.1.0', createdAt: new Date() }), dir);
    const file = path.join(dir, 'report.html');
    const original = readFileSync(file, 'utf8');
    expect(original).toContain('12-month SMA');
    // The strategy's declared SMA is stored with the rows it belongs to, and read back.
    expect(readFileSync(path.join(dir, 'positions.csv'), 'utf8').split('\n')[0]).toBe('month,close,weight,price:12-month SMA');
    writeFileSync(file, '');
    expect(await report(['report', dir])).toEqual([file]);
    expect(readFileSync(file, 'utf8')).toBe(original);
    // The folder alone carries the record: the same returns the engine produced, and the data file's hash.
    const back = readRunFolder(dir);
    expect(Array.from(back.periods.strategyReturns)).toEqual(Array.from(outcome.walk.strategyReturns));
    expect(back.data.sha256).toBe(outcome.data.sha256);
    expect(back.prices.labels.length).toBe(outcome.series.dates.length);
    expect(readdirSync(tmp)).toEqual(['sma']);
  });

  it('buy-and-hold declares no indicator: its report draws the price alone, and rebuilds byte for byte', async () => {
    const settings = resolveSettings(root, undefined, { strategy: 'buy-and-hold' });
    const outcome = await runJob(settings, loadStrategyRegistry(), root, silentProgress);
    expect(outcome.indicators).toEqual([]);
    const dir = path.join(tmp, 'buy-and-hold');
    writeRunFolder(runRecordFrom(outcome, { config: { ...settings }, version: '0.1.0', createdAt: new Date() }), dir);
    const file = path.join(dir, 'report.html');
    const original = readFileSync(file, 'utf8');
    expect(original.includes('SMA')).toBe(false);
    expect(original.includes('sp500 close')).toBe(true);
    expect(readFileSync(path.join(dir, 'positions.csv'), 'utf8').split('\n')[0]).toBe('month,close,weight');
    writeFileSync(file, '');
    await report(['report', dir]);
    expect(readFileSync(file, 'utf8') === original).toBe(true);
    rmSync(dir, { recursive: true });
  });

  it('refuses an interrupted (.partial) folder and a folder that is not a run', async () => {
    const partial = path.join(tmp, 'killed.partial');
    const other = path.join(tmp, 'other');
    for (const d of [partial, other]) mkdirSync(d);
    writeFileSync(path.join(partial, 'summary.json'), '{}');
    await expect(report(['report', partial])).rejects.toThrow('incomplete run folder');
    await expect(report(['report', other])).rejects.toThrow('has no summary.json');
    await expect(report(['report'])).rejects.toThrow('Not enough non-option arguments');
  });

  it('the folder the built CLI writes holds the --json document, and rebuilds to its own report', () => {
    const dir = path.join(tmp, 'cli-sma');
    const r = backtest(['--strategy', 'sma', '--json', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    const stored = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    const { config, data, version, createdAt, ...summary } = stored;
    expect(summary).toEqual(printed);
    expect(config).toMatchObject({ strategy: 'sma', seed: printed.seed });
    expect((data as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof version).toBe('string');
    expect(typeof createdAt).toBe('string');
    expect(readdirSync(dir).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
    // The bundled CLI found the chart runtimes and wrote what the folder rebuilds to.
    const file = path.join(dir, 'report.html');
    const original = readFileSync(file, 'utf8');
    expect(buildReport(readRunFolder(dir)) === original).toBe(true);
    writeFileSync(file, 'stale');
    const rebuilt = backtest(['report', dir]);
    expect({ code: rebuilt.code, stdout: rebuilt.stdout.trim(), stderr: rebuilt.stderr }).toEqual({ code: 0, stdout: file, stderr: '' });
    expect(readFileSync(file, 'utf8') === original).toBe(true);
    const missing = backtest(['report', path.join(tmp, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`backtest: no run folder ${path.join(tmp, 'nothing-here')}`);
  });
});
