import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureRecord } from './__fixtures__/record';
import { UserError } from '@backtest/core';
import { thrownBy } from '@backtest/core/testing';
import { claimFolder, PARTIAL_MARKER, releaseClaimedFolders } from './atomic-write';
import { buildReport } from './html/report';
import { defaultRunDir, readRunFolder, rebuildReport, writeRunFolder } from './run-folder';
import type { RunRecord } from './run-record';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'run-folder-'))));
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const arr = (v: ArrayLike<number>) => Array.from(v);

function expectSameRecord(back: RunRecord, rec: RunRecord) {
  expect(back.prices.labels).toEqual(rec.prices.labels);
  expect(arr(back.prices.close)).toEqual(arr(rec.prices.close));
  for (const k of ['assetReturns', 'cashReturns', 'weights', 'strategyReturns', 'benchmarkReturns'] as const) {
    expect(arr(back.periods[k])).toEqual(arr(rec.periods[k]));
  }
  expect(back.periods.labels).toEqual(rec.periods.labels);
  expect(back.indicators?.map((i) => ({ ...i, values: arr(i.values) }))).toEqual(rec.indicators?.map((i) => ({ ...i, values: arr(i.values) })));
  expect(back.forecasts).toEqual(rec.forecasts);
  expect(back.training).toEqual(rec.training);
  expect(back.config).toEqual(rec.config);
  expect(back.data).toEqual(rec.data);
  expect(back.version).toBe(rec.version);
  expect(back.createdAt).toBe(rec.createdAt);
  // NaN metrics are stored as null (JSON has no NaN); everything else exactly.
  expect(back.summary).toEqual(JSON.parse(JSON.stringify(rec.summary)));
}

describe('writeRunFolder / readRunFolder', () => {
  it('writes the files of a rule strategy and reads back the same record and the same report bytes', () => {
    const rec = fixtureRecord();
    const dir = path.join(tmp, 'run');
    const out = writeRunFolder(rec, dir);
    expect(out).toEqual({ dir, files: ['summary.json', 'returns.csv', 'positions.csv', 'report.html'] });
    expect(fs.readdirSync(dir).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
    const back = readRunFolder(dir);
    expectSameRecord(back, rec);
    expect(buildReport(back)).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
  });

  it('stores declared indicators as <pane>:<name> columns of positions.csv, and reads them back to the same report', () => {
    const rec = fixtureRecord({ indicators: true });
    const dir = path.join(tmp, 'ind');
    writeRunFolder(rec, dir);
    const lines = fs.readFileSync(path.join(dir, 'positions.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe('month,close,weight,price:3-month SMA,own:oscillator');
    // Undefined values (the warm-up) are empty cells.
    expect(lines[1]!.split(',').slice(3)).toEqual(['', '']);
    const back = readRunFolder(dir);
    expectSameRecord(back, rec);
    expect(buildReport(back)).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
    // A rule strategy without indicators keeps the three columns.
    writeRunFolder(fixtureRecord(), path.join(tmp, 'none'));
    expect(fs.readFileSync(path.join(tmp, 'none', 'positions.csv'), 'utf8').split('\n')[0]).toBe('month,close,weight');
    expect(readRunFolder(path.join(tmp, 'none')).indicators).toBeUndefined();
  });

  it('refuses an indicator column that names no pane, or names one twice, and a value that is not a number', () => {
    const dir = path.join(tmp, 'bad');
    writeRunFolder(fixtureRecord({ indicators: true }), dir);
    const file = path.join(dir, 'positions.csv');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('own:oscillator', 'oscillator'));
    expect(() => readRunFolder(dir)).toThrow(/positions\.csv.*oscillator.*an indicator column must be named "price:<name>" or "own:<name>"/);
    fs.writeFileSync(file, text.replace('own:oscillator', 'price:3-month SMA'));
    expect(() => readRunFolder(dir)).toThrow(/a second column of this name/);
    const rows = text.split('\n');
    rows[5] = rows[5]!.replace(/,[^,]*$/, ',high');
    fs.writeFileSync(file, rows.join('\n'));
    expect(() => readRunFolder(dir)).toThrow(/positions\.csv.*line 6.*own:oscillator.*expected a number, found "high"/);
  });

  it('writes predictions.csv and training.csv for a forecast strategy, and they round-trip', () => {
    const rec = fixtureRecord({ forecast: true, fits: 4, epochs: 5 });
    const dir = path.join(tmp, 'fc');
    expect(writeRunFolder(rec, dir).files).toEqual(['summary.json', 'returns.csv', 'positions.csv', 'predictions.csv', 'training.csv', 'report.html']);
    expectSameRecord(readRunFolder(dir), rec);
    const pred = fs.readFileSync(path.join(dir, 'predictions.csv'), 'utf8').split('\n');
    expect(pred[0]).toBe('month,feature_close,feature_sma,close,forecast,actual_next_close,weight,fit');
    // The first forecast is made at row 3; its actual is row 4's close and its weight the one held over row 4.
    const cells = pred[1]!.split(',');
    expect(cells[0]).toBe(rec.prices.labels[3]);
    expect(Number(cells[5])).toBe(rec.prices.close[4]);
    expect(Number(cells[6])).toBe(rec.periods.weights[0]);
    expect(fs.readFileSync(path.join(dir, 'training.csv'), 'utf8').split('\n')[0]).toBe('fit,epoch,loss,val_loss');
  });

  it('returns.csv carries equity and drawdown from a start of 1, positions.csv every row of the range', () => {
    const rec = fixtureRecord();
    const dir = path.join(tmp, 'r');
    writeRunFolder(rec, dir);
    const lines = fs.readFileSync(path.join(dir, 'returns.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('month,asset_return,cash_return,strategy_return,buy_and_hold_return,strategy_equity,buy_and_hold_equity,strategy_drawdown,buy_and_hold_drawdown');
    expect(lines).toHaveLength(rec.periods.labels.length + 1);
    const first = lines[1]!.split(',').map(Number);
    expect(first[5]).toBeCloseTo(1 + rec.periods.strategyReturns[0]!, 15);
    let eq = 1;
    let peak = 1;
    let dd = 0;
    for (let k = 0; k < rec.periods.labels.length; k++) {
      eq *= 1 + rec.periods.strategyReturns[k]!;
      peak = Math.max(peak, eq);
      dd = eq / peak - 1;
    }
    const last = lines[lines.length - 1]!.split(',').map(Number);
    expect(last[5]).toBeCloseTo(eq, 12);
    expect(last[7]).toBeCloseTo(dd, 12);
    const pos = fs.readFileSync(path.join(dir, 'positions.csv'), 'utf8').trim().split('\n');
    expect(pos).toHaveLength(rec.prices.labels.length + 1);
    expect(pos[1]).toBe(`${rec.prices.labels[0]},${rec.prices.close[0]},`); // warm-up row: no weight yet
  });

  it('writes each saved model under models/fit-NNN/ and an index of the fits, inside the one atomic folder', () => {
    const plain = fixtureRecord({ forecast: true, fits: 2, epochs: 3 });
    const models = [
      { fit: 0, decision: '1990-04', trainFrom: '1990-01', trainTo: '1990-03', rows: 3 },
      { fit: 1, decision: '1990-08', trainFrom: '1990-01', trainTo: '1990-07', rows: 7 },
    ];
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    const savedModels = [
      { fit: 0, kind: 'nn', files: { 'weights.bin': bytes, 'model.json': '{"a":0}\n' } },
      { fit: 1, kind: 'nn', files: { 'weights.bin': bytes, 'model.json': '{"a":1}\n' } },
    ];
    const rec: RunRecord = { ...plain, models, savedModels };
    const dir = path.join(tmp, 'models');
    // The one writer: models go into <dir>.partial with everything else, and one rename publishes it all.
    const fsModule = require('node:fs') as typeof fs;
    const real = fsModule.renameSync;
    const renames: string[] = [];
    jest.spyOn(fsModule, 'renameSync').mockImplementation((a, b) => {
      renames.push(String(b));
      real(a, b);
    });
    const out = writeRunFolder(rec, dir);
    expect(out.files).toEqual([
      'summary.json',
      'returns.csv',
      'positions.csv',
      'predictions.csv',
      'training.csv',
      'models/fit-000/weights.bin',
      'models/fit-000/model.json',
      'models/fit-001/weights.bin',
      'models/fit-001/model.json',
      'models/index.json',
      'report.html',
    ]);
    expect(renames.filter((r) => !r.startsWith(`${dir}.partial`))).toEqual([dir]);
    expect(fs.readFileSync(path.join(dir, 'models/fit-001/model.json'), 'utf8')).toBe('{"a":1}\n');
    expect(Array.from(fs.readFileSync(path.join(dir, 'models/fit-000/weights.bin')))).toEqual([0, 1, 2, 255]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'models/index.json'), 'utf8'))).toEqual({
      format: 'backtest-models',
      version: 1,
      strategy: rec.summary.strategy,
      fits: models.map((m, i) => ({ ...m, kind: 'nn', dir: `fit-00${i}`, files: ['weights.bin', 'model.json'] })),
    });
    // The folder gives back the fit records (the models stay files); the report does not change.
    const back = readRunFolder(dir);
    expect(back.models).toEqual(models);
    expect(back.savedModels).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(buildReport(plain));
    // Without saved models there is no models/ folder, even when the fits are known.
    const other = path.join(tmp, 'no-models');
    expect(writeRunFolder({ ...plain, models }, other).files).not.toContain('models/index.json');
    expect(fs.existsSync(path.join(other, 'models'))).toBe(false);
  });

  it('rebuildReport rewrites report.html from the folder alone, identically', () => {
    const dir = path.join(tmp, 'rb');
    writeRunFolder(fixtureRecord({ forecast: true }), dir);
    const before = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    fs.writeFileSync(path.join(dir, 'report.html'), 'stale');
    expect(rebuildReport(dir)).toBe(path.join(dir, 'report.html'));
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(before);
  });
});

describe('atomic run folders', () => {
  it('an interrupted write leaves no folder under the final name, and no stray files', () => {
    const dir = path.join(tmp, 'crash');
    // The module object itself (the `import * as` namespace above has read-only bindings).
    const fsModule = require('node:fs') as typeof fs;
    const real = fsModule.renameSync;
    let calls = 0;
    jest.spyOn(fsModule, 'renameSync').mockImplementation((a, b) => {
      if (++calls === 3) throw new Error('disk full (simulated)');
      real(a, b);
    });
    expect(() => writeRunFolder(fixtureRecord(), dir)).toThrow('disk full (simulated)');
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('a folder named .partial (a killed run) is never read as complete, and the next write leaves it alone, naming it', () => {
    const dir = path.join(tmp, 'killed');
    writeRunFolder(fixtureRecord(), dir);
    fs.renameSync(dir, `${dir}.partial`); // what a run killed before its final rename leaves
    expect(() => readRunFolder(`${dir}.partial`)).toThrow('incomplete run folder');
    expect(() => readRunFolder(dir)).toThrow(`only ${dir}.partial, an interrupted run, exists`);
    const before = fs.readdirSync(`${dir}.partial`).sort();
    expect(() => writeRunFolder(fixtureRecord(), dir)).toThrow(`run folder ${dir}.partial already exists and is not this run's`);
    expect(fs.readdirSync(tmp)).toEqual(['killed.partial']);
    expect(fs.readdirSync(`${dir}.partial`).sort()).toEqual(before);
    fs.rmSync(`${dir}.partial`, { recursive: true });
    writeRunFolder(fixtureRecord(), dir);
    expect(fs.readdirSync(tmp)).toEqual(['killed']);
    expect(readRunFolder(dir).summary.strategy).toBe('sma');
  });

  it('refuses a folder without summary.json, and never writes over an existing folder', () => {
    const dir = path.join(tmp, 'other');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'returns.csv'), 'month\n');
    expect(() => readRunFolder(dir)).toThrow('is not a run folder: it has no summary.json');
    expect(() => writeRunFolder(fixtureRecord(), dir)).toThrow('already exists');
    expect(fs.readdirSync(dir)).toEqual(['returns.csv']);
    expect(() => writeRunFolder(fixtureRecord(), path.join(tmp, 'x.partial'))).toThrow('must not end with .partial');
  });

  it('refuses a summary.json that is not a run summary, naming the file', () => {
    const dir = path.join(tmp, 'bad');
    writeRunFolder(fixtureRecord(), dir);
    fs.writeFileSync(path.join(dir, 'summary.json'), '{"strategy": "sma"}');
    expect(() => readRunFolder(dir)).toThrow(`${path.join(dir, 'summary.json')}: "dataset": expected a string, found nothing (the key is missing)`);
  });
});

describe('reading a run folder back: every file through the one reader, every refusal exit 2 naming the file', () => {
  const fsModule = require('node:fs') as typeof fs;
  afterEach(() => {
    delete process.env.BACKTEST_MAX_FILE_MB;
  });
  /** The UserError (exit 2) `f` throws; anything else fails the test. */
  const exit2 = (f: () => unknown): UserError => {
    const e = thrownBy(f, UserError);
    expect(e.exitCode).toBe(2);
    return e;
  };
  const folder = (name: string, o: Parameters<typeof fixtureRecord>[0] = {}) => {
    const dir = path.join(tmp, name);
    writeRunFolder(fixtureRecord(o), dir);
    return dir;
  };
  const mkfifo = (p: string) => require('node:child_process').spawnSync('mkfifo', [p]).status === 0;
  /** openSync as it is, except that opening one of `fifos` without O_NONBLOCK fails at once instead of waiting for ever. */
  const guardOpen = (fifos: string[]) => {
    const real = fsModule.openSync;
    jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      if (fifos.includes(String(p)) && !(Number(flags) & fs.constants.O_NONBLOCK)) throw new Error(`${String(p)}: a blocking open of a FIFO`);
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
  };

  it('a FIFO, a directory or a device in place of a file is refused by name, never waited for', () => {
    const dir = folder('odd', { forecast: true });
    const returns = path.join(dir, 'returns.csv');
    fs.rmSync(returns);
    if (mkfifo(returns)) {
      guardOpen([returns]);
      expect(exit2(() => readRunFolder(dir)).message).toBe(`${returns}: is a FIFO (named pipe), not a regular file: a run folder's file must be a file on disk`);
      jest.restoreAllMocks();
      fs.rmSync(returns);
    }
    fs.mkdirSync(returns);
    expect(exit2(() => readRunFolder(dir)).message).toBe(`${returns}: is a directory, not a CSV file`);
    fs.rmdirSync(returns);
    const summary = path.join(dir, 'summary.json');
    fs.renameSync(summary, `${summary}.bak`);
    fs.mkdirSync(summary);
    expect(exit2(() => readRunFolder(dir)).message).toBe(`${summary}: is a directory, not a JSON file`);
    fs.rmdirSync(summary);
    fs.renameSync(`${summary}.bak`, summary);
    if (fs.existsSync('/dev/zero')) {
      const predictions = path.join(dir, 'predictions.csv');
      fs.rmSync(predictions);
      fs.symlinkSync('/dev/zero', predictions);
      expect(exit2(() => readRunFolder(dir)).message).toBe(
        `${predictions}: is a character device (such as /dev/zero), not a regular file: a run folder's file must be a file on disk`,
      );
    }
  });

  it('a FIFO swapped in after the check by path is opened without blocking and refused on what was opened', () => {
    const dir = folder('swap');
    const positions = path.join(dir, 'positions.csv');
    const regular = fsModule.statSync(positions);
    fs.rmSync(positions);
    if (!mkfifo(positions)) return;
    // The check by path sees the regular file that was there; the open meets the FIFO.
    const realStat = fsModule.statSync;
    jest.spyOn(fsModule, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => (String(p) === positions ? regular : realStat(p, o))) as typeof fs.statSync);
    guardOpen([positions]);
    expect(exit2(() => readRunFolder(dir)).message).toBe(`${positions}: is a FIFO (named pipe), not a regular file: a run folder's file must be a file on disk`);
  });

  it('a file over the cap (BACKTEST_MAX_FILE_MB, as for data files) is refused naming its size; a bad cap is refused by name', () => {
    const dir = folder('capped');
    process.env.BACKTEST_MAX_FILE_MB = '0.001';
    expect(exit2(() => readRunFolder(dir)).message).toMatch(
      /\.(json|csv): is [\d.]+ MB \(\d+ bytes\), larger than the 0\.001 MB \(1048 bytes\) a run folder's file may have; set BACKTEST_MAX_FILE_MB to raise the limit/,
    );
    process.env.BACKTEST_MAX_FILE_MB = 'lots';
    expect(exit2(() => readRunFolder(dir)).message).toBe('BACKTEST_MAX_FILE_MB must be a positive number of megabytes, not "lots"');
    process.env.BACKTEST_MAX_FILE_MB = '64';
    expect(readRunFolder(dir).summary.strategy).toBe('sma');
  });

  it('a file that cannot be read (permission denied) is refused naming it, not an internal error', () => {
    const dir = folder('locked');
    const summary = path.join(dir, 'summary.json');
    if (process.getuid?.() !== 0) {
      // Root reads anything: a file without permissions stops everyone else.
      fs.chmodSync(summary, 0);
      try {
        expect(exit2(() => readRunFolder(dir)).message).toBe(`${summary}: cannot be read: permission denied`);
      } finally {
        fs.chmodSync(summary, 0o644);
      }
    }
    const real = fsModule.openSync;
    jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      if (String(p) === summary) throw Object.assign(new Error(`EACCES: permission denied, open '${summary}'`), { code: 'EACCES' });
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
    expect(exit2(() => rebuildReport(dir)).message).toBe(`${summary}: cannot be read: permission denied`);
  });

  it('a path through a regular file (ENOTDIR): no run folder there, and a models "folder" that is a file is no saved models', () => {
    const file = path.join(tmp, 'plain');
    fs.writeFileSync(file, 'x');
    expect(exit2(() => readRunFolder(path.join(file, 'run'))).message).toBe(`no run folder ${path.join(file, 'run')}`);
    expect(exit2(() => readRunFolder(file)).message).toBe(`${file} is not a run folder: it has no summary.json`);
    const dir = folder('models-file');
    fs.writeFileSync(path.join(dir, 'models'), 'not a folder');
    expect(readRunFolder(dir).models).toBeUndefined();
  });

  it('rebuildReport: a write the place refuses is exit 2 naming report.html; a failing disk names it too (exit 1); no temporary file stays', () => {
    const dir = folder('unwritable');
    const report = path.join(dir, 'report.html');
    fs.rmSync(report);
    fs.mkdirSync(report);
    fs.writeFileSync(path.join(report, 'inside'), 'x');
    expect(exit2(() => rebuildReport(dir)).message).toBe(`cannot write ${report}: it is a directory`);
    fs.rmSync(report, { recursive: true });
    // Not writable: chmod stops a normal user, not root, so the refusal is simulated.
    const real = fsModule.openSync;
    const refuse = (code: string) =>
      jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
        if (path.basename(String(p)).startsWith('.report.html.')) throw Object.assign(new Error(`${code}: simulated, open '${String(p)}'`), { code });
        return real(p, flags as fs.OpenMode, mode);
      }) as typeof fs.openSync);
    refuse('EACCES');
    const denied = exit2(() => rebuildReport(dir)).message;
    expect({ starts: denied.startsWith(`cannot write ${report}: ${dir} is not writable (EACCES: simulated, open '${path.join(dir, '.report.html.')}`), denied }).toEqual({
      starts: true,
      denied,
    });
    jest.restoreAllMocks();
    refuse('ENOSPC');
    let err: unknown;
    try {
      rebuildReport(dir);
    } catch (e) {
      err = e;
    }
    expect(err).not.toBeInstanceOf(UserError);
    expect((err as Error).message.startsWith(`cannot write ${report}: ENOSPC: simulated`)).toBe(true);
    jest.restoreAllMocks();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(rebuildReport(dir)).toBe(report);
    expect(fs.readFileSync(report, 'utf8')).toBe(buildReport(readRunFolder(dir)));
  });
});

describe('claimFolder: the folder is ours from the claim to the publication', () => {
  const fsModule = require('node:fs') as typeof fs;
  const marker = (dir: string) => JSON.parse(fs.readFileSync(path.join(`${dir}.partial`, PARTIAL_MARKER), 'utf8')) as { pid: number; token: string };
  const exit2 = (f: () => unknown, text: string | RegExp) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(text);
  };
  /** A file outside every folder that planted links point at. */
  let victim: string;
  beforeEach(() => {
    victim = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'victim-')), 'victim.txt');
    fs.writeFileSync(victim, 'precious');
  });
  afterEach(() => {
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    fs.rmSync(path.dirname(victim), { recursive: true, force: true });
    releaseClaimedFolders();
  });

  it('creates <dir>.partial with a marker (our pid, a random token), publishes without the marker', () => {
    const dir = path.join(tmp, 'a');
    const claim = claimFolder(dir, { what: 'run folder' });
    expect(claim.dir).toBe(dir);
    expect(claim.partial).toBe(`${dir}.partial`);
    expect(marker(dir).pid).toBe(process.pid);
    expect(marker(dir).token).toMatch(/^[0-9a-f]{32}$/);
    expect(fs.existsSync(dir)).toBe(false);
    const out = writeRunFolder(fixtureRecord(), claim);
    expect(out.dir).toBe(dir);
    expect(claim.state).toBe('published');
    expect(fs.readdirSync(dir).sort()).toEqual(['positions.csv', 'report.html', 'returns.csv', 'summary.json']);
    expect(fs.readdirSync(tmp)).toEqual(['a']);
    expect(claim.release()).toBe(false); // published: nothing to release, the folder stays
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('the same name claimed twice: the second claim fails (exit 2) naming the folder, the first still publishes', () => {
    const dir = path.join(tmp, 'same');
    const first = claimFolder(dir, { what: 'run folder' });
    exit2(
      () => claimFolder(dir, { what: 'run folder' }),
      `run folder ${dir}.partial already exists and is not this run's (its marker names process ${process.pid}, which is running`,
    );
    exit2(() => writeRunFolder(fixtureRecord(), dir), `${dir}.partial already exists`);
    writeRunFolder(fixtureRecord(), first);
    exit2(() => claimFolder(dir, { what: 'run folder' }), `run folder ${dir} already exists`);
    expect(fs.readdirSync(tmp)).toEqual(['same']);
  });

  it('numbered default names: <dir>, <dir>-2, <dir>-3 claimed in turn, published in any order, each complete', () => {
    const base = path.join(tmp, '20260101-000000-sma');
    const claims = [0, 1, 2].map(() => claimFolder(base, { what: 'run folder', numbered: true }));
    expect(claims.map((c) => c.dir)).toEqual([base, `${base}-2`, `${base}-3`]);
    for (const c of [claims[2]!, claims[0]!, claims[1]!]) writeRunFolder(fixtureRecord(), c);
    // A published name is seen by the next claim, which moves on.
    expect(claimFolder(base, { numbered: true }).dir).toBe(`${base}-4`);
    for (const c of claims) expect(readRunFolder(c.dir).summary.strategy).toBe('sma');
  });

  it('numbered names skip a .partial that is not ours and an existing folder or file, and leave them alone', () => {
    const base = path.join(tmp, 'n');
    fs.mkdirSync(`${base}.partial`);
    fs.writeFileSync(path.join(`${base}.partial`, 'theirs.txt'), 'theirs');
    fs.mkdirSync(`${base}-2`);
    fs.writeFileSync(`${base}-3`, 'a file');
    fs.symlinkSync(victim, `${base}-4.partial`);
    const claim = claimFolder(base, { numbered: true });
    expect(claim.dir).toBe(`${base}-5`);
    expect(fs.readFileSync(path.join(`${base}.partial`, 'theirs.txt'), 'utf8')).toBe('theirs');
    expect(fs.readdirSync(`${base}-2`)).toEqual([]);
    expect(fs.readlinkSync(`${base}-4.partial`)).toBe(victim);
  });

  it('a .partial without our marker is never deleted, by a claim, a release or a failed write; the message says so', () => {
    const dir = path.join(tmp, 'foreign');
    fs.mkdirSync(`${dir}.partial`);
    fs.writeFileSync(path.join(`${dir}.partial`, 'data.csv'), 'theirs');
    exit2(
      () => claimFolder(dir, { what: 'run folder' }),
      /foreign\.partial already exists and is not this run's \(it has no marker of a backtest run, so this tool did not create it\); it was left alone/,
    );
    exit2(() => writeRunFolder(fixtureRecord(), dir), 'left alone');
    expect(releaseClaimedFolders()).toEqual([]);
    expect(fs.readFileSync(path.join(`${dir}.partial`, 'data.csv'), 'utf8')).toBe('theirs');
    // A marker of a process that has ended (an interrupted run) is named too, and still left alone.
    fs.writeFileSync(path.join(`${dir}.partial`, PARTIAL_MARKER), JSON.stringify({ pid: 2 ** 22 + 12345, token: 'x' }));
    exit2(() => claimFolder(dir), `its marker names process ${2 ** 22 + 12345}, which is no longer running: an interrupted run left it`);
    expect(fs.readdirSync(`${dir}.partial`).sort()).toEqual([PARTIAL_MARKER, 'data.csv']);
  });

  it('release removes our partial folder only: not one that replaced ours, not a link put in its place', () => {
    const mine = path.join(tmp, 'mine');
    const c1 = claimFolder(mine);
    fs.writeFileSync(path.join(`${mine}.partial`, 'x'), 'x');
    expect(c1.release()).toBe(true);
    expect(fs.existsSync(`${mine}.partial`)).toBe(false);
    expect(c1.release()).toBe(false); // idempotent

    const swapped = path.join(tmp, 'swapped');
    const c2 = claimFolder(swapped);
    fs.rmSync(`${swapped}.partial`, { recursive: true });
    fs.mkdirSync(`${swapped}.partial`); // another directory (maybe even on our old inode), with a marker naming our pid, not our token
    fs.writeFileSync(path.join(`${swapped}.partial`, PARTIAL_MARKER), JSON.stringify({ pid: process.pid, token: '0'.repeat(32) }));
    expect(c2.release()).toBe(false);
    expect(fs.existsSync(path.join(`${swapped}.partial`, PARTIAL_MARKER))).toBe(true);

    const linked = path.join(tmp, 'linked');
    const c3 = claimFolder(linked);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.writeFileSync(path.join(elsewhere, 'keep'), 'keep');
    fs.rmSync(`${linked}.partial`, { recursive: true });
    fs.symlinkSync(elsewhere, `${linked}.partial`);
    expect(releaseClaimedFolders()).toEqual([]);
    expect(c3.state).toBe('released');
    expect(fs.readFileSync(path.join(elsewhere, 'keep'), 'utf8')).toBe('keep');
    fs.rmSync(elsewhere, { recursive: true });
  });

  it('publishing into a partial folder that was replaced meanwhile fails (exit 2) and leaves the replacement alone', () => {
    const dir = path.join(tmp, 'replaced');
    const claim = claimFolder(dir, { what: 'run folder' });
    fs.rmSync(`${dir}.partial`, { recursive: true });
    fs.mkdirSync(`${dir}.partial`);
    fs.writeFileSync(path.join(`${dir}.partial`, 'theirs'), 'theirs');
    exit2(() => writeRunFolder(fixtureRecord(), claim), `run folder ${dir}.partial is no longer the one this run created`);
    expect(fs.readdirSync(`${dir}.partial`)).toEqual(['theirs']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it.each([
    [
      'a non-empty folder',
      (d: string) => {
        fs.mkdirSync(d);
        fs.writeFileSync(path.join(d, 'summary.json'), '{"theirs": 1}');
      },
    ],
    ['an empty folder', (d: string) => fs.mkdirSync(d)],
    ['a file', (d: string) => fs.writeFileSync(d, 'theirs')],
    ['a link to a folder elsewhere', (d: string) => fs.symlinkSync(path.dirname(victim), d)],
  ])('%s appearing at the final name during the run is never replaced: exit 2 naming it, our partial removed', (_, plant) => {
    const dir = path.join(tmp, 'raced');
    const claim = claimFolder(dir, { what: 'run folder' });
    plant(dir);
    const before = fs.lstatSync(dir);
    exit2(() => writeRunFolder(fixtureRecord(), claim), `run folder ${dir} appeared while this run was writing it`);
    expect(fs.lstatSync(dir).ino).toBe(before.ino);
    if (before.isDirectory()) expect(fs.readdirSync(dir).length).toBeLessThanOrEqual(1);
    expect(fs.existsSync(`${dir}.partial`)).toBe(false);
    expect(fs.readdirSync(path.dirname(victim))).toEqual(['victim.txt']);
  });

  it('a folder appearing between the last check and the rename (rename fails ENOTEMPTY) is exit 2 too, our partial removed', () => {
    const dir = path.join(tmp, 'window');
    const claim = claimFolder(dir, { what: 'run folder' });
    const real = fsModule.renameSync;
    jest.spyOn(fsModule, 'renameSync').mockImplementation((a, b) => {
      if (String(b) === dir) {
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'summary.json'), 'theirs');
      }
      real(a, b);
    });
    exit2(() => writeRunFolder(fixtureRecord(), claim), `run folder ${dir} appeared while this run was writing it`);
    expect(fs.readdirSync(dir)).toEqual(['summary.json']);
    expect(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).toBe('theirs');
    expect(fs.existsSync(`${dir}.partial`)).toBe(false);
  });

  // The temporary names are random and opened exclusively: @backtest/core's atomic-write.test.ts
  // plants links at the very name drawn. Here: the final names, which the writer renames over.
  it('links planted in our partial folder at every file name are replaced by the files, their target never written', () => {
    const dir = path.join(tmp, 'planted');
    const claim = claimFolder(dir);
    const names = ['summary.json', 'returns.csv', 'positions.csv', 'report.html'];
    for (const n of names) fs.symlinkSync(victim, path.join(`${dir}.partial`, n));
    writeRunFolder(fixtureRecord(), claim);
    for (const n of names) expect(fs.lstatSync(path.join(dir, n)).isFile()).toBe(true);
    expect(readRunFolder(dir).summary.strategy).toBe('sma');
  });

  it('rebuildReport in a crafted folder: a link at report.html is replaced by the report, its target never written', () => {
    const dir = path.join(tmp, 'crafted');
    writeRunFolder(fixtureRecord(), dir);
    const report = path.join(dir, 'report.html');
    const expected = fs.readFileSync(report, 'utf8');
    fs.rmSync(report);
    fs.symlinkSync(victim, report);
    rebuildReport(dir);
    expect(fs.lstatSync(report).isFile()).toBe(true);
    expect(fs.readFileSync(report, 'utf8')).toBe(expected);
  });

  it('odd places fail at the claim with exit 2 naming the folder: a file as parent, a path under /proc, an unwritable directory', () => {
    const file = path.join(tmp, 'file');
    fs.writeFileSync(file, 'x');
    exit2(() => claimFolder(path.join(file, 'run')), `cannot create folder ${path.join(file, 'run')}: ${file} is not a directory`);
    exit2(() => claimFolder(path.join(file, 'a', 'b', 'run')), `${file} is not a directory`);
    if (process.platform === 'linux')
      exit2(() => claimFolder(`/proc/backtest-${process.pid}/run`), `cannot create folder /proc/backtest-${process.pid}/run: the file system refused it`);
    // An unwritable directory: chmod 0555 stops a normal user; root writes anyway, so as root
    // the unwritable place is /sys (sysfs refuses new entries to everyone).
    const unwritable = process.getuid?.() === 0 ? '/sys' : path.join(tmp, 'ro');
    if (unwritable !== '/sys') {
      fs.mkdirSync(unwritable);
      fs.chmodSync(unwritable, 0o555);
    }
    exit2(() => claimFolder(path.join(unwritable, 'run')), `cannot create folder ${path.join(unwritable, 'run')}: ${unwritable} is not writable`);
    if (unwritable !== '/sys') fs.chmodSync(unwritable, 0o755);
    exit2(() => claimFolder(path.join(tmp, 'x.partial')), 'must not end with .partial');
    expect(fs.readdirSync(tmp).sort()).toEqual(process.getuid?.() === 0 ? ['file'] : ['file', 'ro']);
  });

  it('a failure while writing the files removes our partial folder and publishes nothing', () => {
    const dir = path.join(tmp, 'fails');
    const claim = claimFolder(dir);
    expect(() =>
      claim.publish([
        ['a.txt', 'a'],
        ['../escape.txt', 'b'],
      ]),
    ).toThrow('is not a name inside the folder');
    expect(claim.state).toBe('released');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describe('defaultRunDir', () => {
  it('is runs/<UTC YYYYMMDD-HHMMSS>-<strategy>', () => {
    expect(defaultRunDir('nn-sma', new Date('2026-03-04T05:06:07.890Z'))).toBe(path.join('runs', '20260304-050607-nn-sma'));
    expect(defaultRunDir('sma', new Date('2026-12-31T23:59:59Z'), '/out')).toBe('/out/20261231-235959-sma');
  });
});
