import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, UserError } from '@backtest/core';
import { thrownBy } from '@backtest/core/testing';
import { universeRecord } from './__fixtures__/universe-record';
import { parseCsv } from './csv';
import { buildReport } from './html/report';
import { readRunFolder, writeRunFolder } from './run-folder';
import type { RunRecord } from './run-record';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'universe-folder-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const arr = (v: ArrayLike<number>) => Array.from(v);

function expectSameRecord(back: RunRecord, rec: RunRecord) {
  expect(back.prices.labels).toEqual(rec.prices.labels);
  expect(arr(back.prices.close)).toEqual(arr(rec.prices.close));
  expect(back.periods.labels).toEqual(rec.periods.labels);
  // The net weights and the mean asset returns are summed again from the files: to the bit.
  for (const k of ['assetReturns', 'cashReturns', 'weights', 'strategyReturns', 'benchmarkReturns'] as const) {
    expect({ k, v: arr(back.periods[k]) }).toEqual({ k, v: arr(rec.periods[k]) });
  }
  const u = rec.universe!;
  expect(back.universe!.assets).toEqual(u.assets);
  for (const k of ['closes', 'weights', 'returns'] as const) expect({ k, v: back.universe![k].map(arr) }).toEqual({ k, v: u[k].map(arr) });
  expect(back.indicators).toBeUndefined();
  expect(back.forecasts).toEqual(rec.forecasts);
  expect(back.training).toEqual(rec.training);
  expect(back.config).toEqual(rec.config);
  expect(back.data).toEqual(rec.data);
  expect(back.summary).toEqual(JSON.parse(JSON.stringify(rec.summary)));
}

/** The cells of a CSV file of the folder, by column name: one object per row. */
function rowsOf(dir: string, name: string): { header: readonly string[]; rows: Record<string, string>[] } {
  const t = parseCsv(fs.readFileSync(path.join(dir, name), 'utf8'), name);
  return { header: t.header, rows: t.rows.map((r) => Object.fromEntries(t.header.map((h, c) => [h, r[c]!]))) };
}

/** A number as the files write it (the shortest text of the double, -0 with its sign), and an empty cell for a missing one. */
const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : Object.is(v, -0) ? '-0' : String(v));

describe('the run folder of a universe', () => {
  it('writes the per-asset files and reads back the same record, and the same report bytes', () => {
    const rec = universeRecord({ forecast: true });
    const dir = path.join(tmp, 'run');
    expect(writeRunFolder(rec, dir).files).toEqual(['summary.json', 'returns.csv', 'positions.csv', 'predictions.csv', 'training.csv', 'report.html']);
    const back = readRunFolder(dir);
    expectSameRecord(back, rec);
    expect(buildReport(back)).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
  });

  it('positions.csv: every row of the range, each asset’s close, then each asset’s weight held over that period (empty before the first)', () => {
    const rec = universeRecord();
    const u = rec.universe!;
    const dir = path.join(tmp, 'pos');
    writeRunFolder(rec, dir);
    const { header, rows } = rowsOf(dir, 'positions.csv');
    expect(header).toEqual(['month', 'close:sp500', 'close:ndx', 'close:gold', 'weight:sp500', 'weight:ndx', 'weight:gold']);
    expect(rows).toHaveLength(rec.prices.labels.length);
    const first = rec.prices.labels.indexOf(rec.periods.labels[0]!);
    rows.forEach((r, i) => {
      expect(r.month).toBe(rec.prices.labels[i]);
      u.assets.forEach((a, j) => {
        expect(r[`close:${a}`]).toBe(cell(u.closes[j]![i]));
        expect(r[`weight:${a}`]).toBe(i < first ? '' : cell(u.weights[j]![i - first]));
      });
    });
  });

  it('returns.csv: each asset’s return, cash, each asset’s contribution (weight × return), then the strategy’s and the benchmark’s', () => {
    const rec = universeRecord();
    const u = rec.universe!;
    const p = rec.periods;
    const dir = path.join(tmp, 'ret');
    writeRunFolder(rec, dir);
    const { header, rows } = rowsOf(dir, 'returns.csv');
    expect(header.join(',')).toBe(
      'month,return:sp500,return:ndx,return:gold,cash_return,contribution:sp500,contribution:ndx,contribution:gold,' +
        'strategy_return,buy_and_hold_return,strategy_equity,buy_and_hold_equity,strategy_drawdown,buy_and_hold_drawdown',
    );
    let equity = 1;
    rows.forEach((r, k) => {
      expect(r.month).toBe(p.labels[k]);
      u.assets.forEach((a, j) => {
        expect(r[`return:${a}`]).toBe(cell(u.returns[j]![k]));
        expect(r[`contribution:${a}`]).toBe(cell(u.weights[j]![k]! * u.returns[j]![k]!));
      });
      expect(r.cash_return).toBe(cell(p.cashReturns[k]));
      expect(r.strategy_return).toBe(cell(p.strategyReturns[k]));
      expect(r.buy_and_hold_return).toBe(cell(p.benchmarkReturns[k]));
      equity *= 1 + p.strategyReturns[k]!;
      expect(Number(r.strategy_equity)).toBeCloseTo(equity, 12);
    });
  });

  it('predictions.csv names each forecast’s asset, with that asset’s next close and weight; training.csv names each fit’s asset', () => {
    const rec = universeRecord({ forecast: true });
    const u = rec.universe!;
    const dir = path.join(tmp, 'fc');
    writeRunFolder(rec, dir);
    const { header, rows } = rowsOf(dir, 'predictions.csv');
    expect(header).toEqual(['month', 'asset', 'feature_close', 'close', 'forecast', 'actual_next_close', 'weight', 'fit']);
    expect(rows).toHaveLength(rec.forecasts!.length);
    rows.forEach((r, n) => {
      const f = rec.forecasts![n]!;
      const a = u.assets.indexOf(f.asset!);
      const i = rec.prices.labels.indexOf(f.label);
      const k = rec.periods.labels.indexOf(rec.prices.labels[i + 1]!);
      expect([r.month, r.asset, r.close, r.fit]).toEqual([f.label, f.asset, cell(f.close), cell(f.fit)]);
      expect(r.actual_next_close).toBe(cell(u.closes[a]![i + 1]));
      expect(r.weight).toBe(cell(u.weights[a]![k]));
    });
    // gold's forecasts come last, and its fits are numbered after the others'.
    expect(rows[rows.length - 1]!.asset).toBe('gold');
    const training = rowsOf(dir, 'training.csv');
    expect(training.header).toEqual(['fit', 'asset', 'epoch', 'loss', 'val_loss']);
    expect(training.rows.map((r) => `${r.fit}:${r.asset}`).filter((x, i, all) => all.indexOf(x) === i)).toEqual(['0:sp500', '1:sp500', '2:ndx', '3:ndx', '4:gold', '5:gold']);
  });

  it('a benchmark of one asset, undefined correlations (null in summary.json) and fits saved per asset read back too', () => {
    const base = universeRecord({ forecast: true, benchmark: 'gold' });
    const correlation = base.summary.universe!.correlation.map((row) => row.map((c, j) => (j === 2 ? NaN : c)));
    const models = [
      { fit: 0, asset: 'sp500', decision: '1990-04', trainFrom: '1990-01', trainTo: '1990-03', rows: 3 },
      { fit: 4, asset: 'gold', decision: '1990-04', trainFrom: '1990-01', trainTo: '1990-03', rows: 3 },
    ];
    const rec: RunRecord = {
      ...base,
      summary: { ...base.summary, universe: { ...base.summary.universe!, correlation } },
      models,
      savedModels: models.map((m) => ({ fit: m.fit, kind: 'ols', files: { 'model.json': '{}\n' } })),
    };
    const dir = path.join(tmp, 'gold');
    writeRunFolder(rec, dir);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary.universe.benchmark).toBe('gold');
    expect(summary.universe.correlation[0][2]).toBeNull();
    const back = readRunFolder(dir);
    expectSameRecord(back, rec);
    expect(back.models).toEqual(models);
    expect(buildReport(back)).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
  });
  it('refuses to write a folder it could not read back: a universe’s series without its summary, or of other assets', () => {
    const rec = universeRecord();
    expect(() => writeRunFolder({ ...rec, summary: { ...rec.summary, universe: undefined } }, path.join(tmp, 'a'))).toThrow('internal: a universe record needs');
    const reversed = { ...rec.summary.universe!, assets: [...rec.summary.universe!.assets].reverse() };
    expect(() => writeRunFolder({ ...rec, summary: { ...rec.summary, universe: reversed } }, path.join(tmp, 'b'))).toThrow('internal: a universe record needs');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describe('reading a universe’s folder back: a hostile or broken file is refused naming the file, the line and the column', () => {
  const folder = (name: string) => {
    const dir = path.join(tmp, name);
    writeRunFolder(universeRecord({ forecast: true }), dir);
    return dir;
  };
  /** Rewrites `name` of `dir` through `edit`, and returns the InputError (exit 2) reading the folder throws. */
  const refusal = (dir: string, name: string, edit: (text: string) => string): string => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, edit(text));
    try {
      const e = thrownBy(() => readRunFolder(dir), UserError);
      expect(e.exitCode).toBe(2);
      return e.message;
    } finally {
      fs.writeFileSync(file, text);
    }
  };
  const header = (edit: (cells: string[]) => string[]) => (text: string) => {
    const [first, ...rest] = text.split('\n');
    return [edit(first!.split(',')).join(','), ...rest].join('\n');
  };
  /** Row `n` (1 the first after the header) with the cell of column `c` replaced. */
  const cellOf = (n: number, c: number, value: string) => (text: string) => {
    const lines = text.split('\n');
    const cells = lines[n]!.split(',');
    cells[c] = value;
    lines[n] = cells.join(',');
    return lines.join('\n');
  };

  it('positions.csv: a weight column of an asset not in the universe, a missing one, a second one, a stray column', () => {
    const dir = folder('pos');
    const file = path.join(dir, 'positions.csv');
    expect(
      refusal(
        dir,
        'positions.csv',
        header((h) => h.map((c) => (c === 'weight:gold' ? 'weight:bitcoin' : c))),
      ),
    ).toBe(`${file}, line 1, column "weight:bitcoin": "bitcoin" is not an asset of the universe (summary.json: "sp500", "ndx", "gold")`);
    expect(
      refusal(
        dir,
        'positions.csv',
        header((h) => h.map((c) => (c === 'weight:gold' ? 'weight:ndx' : c))),
      ),
    ).toBe(`${file}, line 1, column "weight:ndx": a second column of this name`);
    const dropLast = (text: string) => text.replace(/,[^,\n]*$/gm, '');
    expect(refusal(dir, 'positions.csv', dropLast)).toMatch(new RegExp(`^${literal(file)}, line 1, column "weight:gold": no such column \\(columns: "month", "close:sp500"`));
    expect(
      refusal(
        dir,
        'positions.csv',
        header((h) => h.map((c) => (c === 'close:ndx' ? 'close' : c))),
      ),
    ).toBe(`${file}, line 1, column "close": not a column of a universe's file, which has the period and "close:<asset>" and "weight:<asset>" for each asset`);
  });

  it('positions.csv: a weight missing for one asset of a period, and a close that is not a number', () => {
    const dir = folder('cells');
    const file = path.join(dir, 'positions.csv');
    // Row 10 is an evaluation period: every asset has a weight.
    expect(refusal(dir, 'positions.csv', cellOf(10, 5, ''))).toBe(
      `${file}, line 11, column "weight:ndx": empty, but weight:sp500 of this row is not: a period holds a weight of every asset`,
    );
    expect(refusal(dir, 'positions.csv', cellOf(2, 3, 'high'))).toBe(`${file}, line 3, column "close:gold": expected a number, found "high"`);
  });

  it('returns.csv: a return of an asset not in the universe, a missing one, and a period without weights', () => {
    const dir = folder('ret');
    const file = path.join(dir, 'returns.csv');
    expect(
      refusal(
        dir,
        'returns.csv',
        header((h) => h.map((c) => (c === 'contribution:ndx' ? 'contribution:btc' : c))),
      ),
    ).toBe(`${file}, line 1, column "contribution:btc": "btc" is not an asset of the universe (summary.json: "sp500", "ndx", "gold")`);
    expect(
      refusal(
        dir,
        'returns.csv',
        header((h) => h.map((c) => (c === 'return:gold' ? 'asset_return' : c))),
      ),
    ).toMatch(new RegExp(`^${literal(file)}, line 1, column "return:gold": no such column`));
    expect(refusal(dir, 'returns.csv', cellOf(1, 0, '1980-01'))).toBe(`${file}, line 2: period 1980-01 has no weights in positions.csv`);
  });

  it('predictions.csv and training.csv: an asset not in the universe', () => {
    const dir = folder('assets');
    expect(refusal(dir, 'predictions.csv', cellOf(3, 1, 'bitcoin'))).toBe(
      `${path.join(dir, 'predictions.csv')}, line 4, column "asset": "bitcoin" is not an asset of the universe (summary.json: "sp500", "ndx", "gold")`,
    );
    expect(refusal(dir, 'training.csv', cellOf(1, 1, 'btc'))).toBe(
      `${path.join(dir, 'training.csv')}, line 2, column "asset": "btc" is not an asset of the universe (summary.json: "sp500", "ndx", "gold")`,
    );
  });

  it('a single series’ files under a universe’s summary, and a universe’s files under a single series’ summary', () => {
    const dir = folder('mixed');
    const other = path.join(tmp, 'one');
    writeRunFolder({ ...universeRecord(), universe: undefined, summary: { ...universeRecord().summary, universe: undefined } }, other);
    fs.copyFileSync(path.join(other, 'positions.csv'), path.join(dir, 'positions.csv'));
    expect(thrownBy(() => readRunFolder(dir), InputError).message).toBe(
      `${path.join(dir, 'positions.csv')}, line 1, column "close": not a column of a universe's file, which has the period and "close:<asset>" and "weight:<asset>" for each asset`,
    );
    writeRunFolder(universeRecord(), path.join(tmp, 'u'));
    fs.copyFileSync(path.join(tmp, 'u', 'positions.csv'), path.join(other, 'positions.csv'));
    expect(thrownBy(() => readRunFolder(other), InputError).message).toMatch(/positions\.csv, line 1, column "close": no such column/);
  });

  it('summary.json: no assets, two of one name, a benchmark that is not one of them, a correlation matrix of the wrong shape or with text in it', () => {
    const dir = folder('summary');
    const file = path.join(dir, 'summary.json');
    const universe = (edit: (u: Record<string, unknown>) => void) => (text: string) => {
      const doc = JSON.parse(text);
      edit(doc.universe);
      return JSON.stringify(doc);
    };
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => (u.assets = [])),
      ),
    ).toBe(`${file}: "universe.assets": expected one asset or more, found none`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => ((u.assets as { name: string }[])[2]!.name = 'sp500')),
      ),
    ).toBe(`${file}: "universe.assets[2].name": a second asset named "sp500"`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => (u.benchmark = 'bitcoin')),
      ),
    ).toBe(`${file}: "universe.benchmark": expected "equal-weight" or the name of an asset ("sp500", "ndx", "gold"), found the text "bitcoin"`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => (u.correlation = [[1]])),
      ),
    ).toBe(`${file}: "universe.correlation": expected 3 rows (one per asset), found 1`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => ((u.correlation as number[][])[1] = [1, 2])),
      ),
    ).toBe(`${file}: "universe.correlation[1]": expected 3 numbers (one per asset), found 2`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => ((u.correlation as unknown[][])[0]![1] = 'high')),
      ),
    ).toBe(`${file}: "universe.correlation[0][1]": expected a number or null, found the text "high"`);
    expect(
      refusal(
        dir,
        'summary.json',
        universe((u) => delete (u.assets as Record<string, unknown>[])[0]!.meanWeight),
      ),
    ).toBe(`${file}: "universe.assets[0].meanWeight": expected a number or null, found nothing (the key is missing)`);
  });
});

/** `text` as a literal inside a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
