import { readFileSync } from 'node:fs';
import { dataDirectories, findProjectRoot } from './data-directories';
import { listDatasets, loadDataset } from './datasets';
import { describeWithRealData } from './__fixtures__/real-data';

/**
 * Every file in ../shared/data, found through the data-directory setting, checked against the
 * defects its README documents and against a second, deliberately plain reading of the raw text.
 * Where ../shared/data is absent these are skipped (failed under BACKTEST_REQUIRE_REAL_DATA=1):
 * the embedded extracts are checked against the files by embedded.test.ts, where the files are.
 */
const projectRoot = findProjectRoot(__dirname);
const dataDirs = dataDirectories({ projectRoot });
const location = { dataDirs, projectRoot };
const listing = listDatasets(dataDirs, projectRoot);

function pathOf(name: string): string {
  const path = listing.find((d) => d.name === name)?.path;
  if (path === undefined) throw new Error(`${name} not found in ${dataDirs.join(', ')}: see ../shared/data/README.md`);
  return path;
}

/** The raw rows of a daily file split by hand: [date, open, close, volume] strings, header dropped. */
function rawRows(name: string): string[][] {
  return readFileSync(pathOf(name), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/** Last weekday of a month, by UTC arithmetic rather than date-fns. */
function lastWeekday(year: number, month: number): string {
  let day = new Date(Date.UTC(year, month, 0)); // day 0 of the next month
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** Month -> [date, close] of its last row with a close, months the data does not complete left out. */
function plainMonthEnds(name: string): Map<string, [string, number]> {
  const out = new Map<string, [string, number]>();
  for (const [date, , close] of rawRows(name)) {
    if (close === '' || date === undefined || close === undefined) continue;
    out.set(date.slice(0, 7), [date, Number(close)]);
  }
  const last = [...out.keys()].at(-1)!;
  const [lastDate] = out.get(last)!;
  if (lastDate < lastWeekday(Number(last.slice(0, 4)), Number(last.slice(5, 7)))) out.delete(last);
  return out;
}

// ../shared/data/README.md, "Known defects": rows with an empty field in each daily file.
const EMPTY_ROWS: Record<string, number> = { sp500: 0, ndx: 0, tnx: 596, n225: 546, ftse100: 183, dax: 168, gold: 84 };

describeWithRealData('the real files in ../shared/data', () => {
  it('are all found through the default data directories', () => {
    for (const d of listing) expect(d.path).toBe(`${dataDirs.find((dir) => d.path?.startsWith(dir))}/${d.file}`);
  });

  it.each(Object.entries(EMPTY_ROWS))('%s: drops exactly the rows the README counts as having an empty field', (name, count) => {
    const r = loadDataset(name, location);
    const raw = rawRows(name);
    expect(r.rawRows).toBe(raw.length);
    expect(r.droppedRows).toBe(count);
    // In these files an empty field always comes with an empty close, so the counts agree.
    expect(raw.filter((cells) => cells[2] === '').length).toBe(count);
    if (count > 0) {
      const file = listing.find((d) => d.name === name)!.file;
      const firstLines = raw.flatMap((cells, i) => (cells.includes('') ? [i + 2] : [])).slice(0, 5);
      expect(r.warnings[0]).toBe(`${file}: dropped ${count} rows with an empty field (lines ${firstLines.join(', ')}, ...)`);
    }
  });

  it('gold: 84 rows dropped, as the README says', () => {
    expect(loadDataset('gold', location).warnings[0]).toMatch(/^gold-daily\.csv: dropped 84 rows with an empty field \(lines 5, 63, 64, 85, 90, \.\.\.\)$/);
  });

  it.each(Object.keys(EMPTY_ROWS))('%s: every month-end date and close agrees with a plain reading of the file', (name) => {
    const r = loadDataset(name, location);
    const expected = plainMonthEnds(name);
    expect(r.series.dates.map((d) => d.slice(0, 7))).toEqual([...expected.keys()]);
    expect(r.series.dates).toEqual([...expected.values()].map(([d]) => d));
    expect([...r.series.close]).toEqual([...expected.values()].map(([, c]) => c));
  });

  it('sp500: month-ends 1970-01 to 2026-03; April 2026 ends on the 10th and is dropped with a warning', () => {
    const r = loadDataset('sp500', location);
    expect(r.series.frequency).toBe('monthly');
    expect(r.series.dates[0]).toBe('1970-01-30');
    expect(r.series.dates.at(-1)).toBe('2026-03-31');
    expect(r.series.dates).toHaveLength(56 * 12 + 3);
    expect(r.warnings).toEqual(["sp500: dropped the incomplete month 2026-04 (the data ends on 2026-04-10, before the month's last weekday 2026-04-30)"]);
  });

  it("sp500: 2020-12's month-end close is the close on 2020-12-31 in the raw file", () => {
    const raw = rawRows('sp500').find(([date]) => date === '2020-12-31')!;
    const r = loadDataset('sp500', location);
    const i = r.series.dates.indexOf('2020-12-31');
    expect(i).toBeGreaterThan(0);
    expect(r.series.close[i]).toBe(Number(raw[2]));
    expect(r.series.close[i]).toBeCloseTo(3756.07, 2);
    // The study's range, 1970-01 .. 2020-12, is 612 months.
    expect(i + 1).toBe(612);
  });

  it('sp500: the month bar of 1987-10 from the raw days', () => {
    const october = rawRows('sp500').filter(([date]) => date!.startsWith('1987-10'));
    const r = loadDataset('sp500', location);
    const i = r.series.dates.indexOf(october.at(-1)![0]!);
    expect(r.series.columns.open![i]).toBe(Number(october[0]![1]));
    expect(r.series.columns.volume![i]).toBe(october.reduce((s, row) => s + Number(row[3]), 0));
  });

  it('sp500-daily: every day, as in the file', () => {
    const r = loadDataset('sp500-daily', location);
    const raw = rawRows('sp500-daily');
    expect(r.series.frequency).toBe('daily');
    expect(r.series.dates).toEqual(raw.map(([d]) => d));
    expect([...r.series.close]).toEqual(raw.map((c) => Number(c[2])));
  });

  it.each(Object.keys(EMPTY_ROWS))('%s: month volume is the sum of the days, month open the first day', (name) => {
    const r = loadDataset(name, location);
    const volume = new Map<string, number>();
    const open = new Map<string, number>();
    for (const [date, o, close, v] of rawRows(name)) {
      if (close === '') continue;
      const month = date!.slice(0, 7);
      volume.set(month, (volume.get(month) ?? 0) + Number(v));
      if (!open.has(month)) open.set(month, Number(o));
    }
    const months = r.series.dates.map((d) => d.slice(0, 7));
    expect([...r.series.columns.volume!]).toEqual(months.map((m) => volume.get(m)));
    expect([...r.series.columns.open!]).toEqual(months.map((m) => open.get(m)));
  });

  it('tnx: volume is 0 but for 42 days of 2005 (the README says 0 throughout)', () => {
    const nonZero = rawRows('tnx').filter(([, , close, v]) => close !== '' && v !== '0');
    expect(nonZero).toHaveLength(42);
    expect(nonZero.every(([date]) => date!.startsWith('2005-'))).toBe(true);
  });

  it("sp500-shiller: Shiller's zeros read as no value, and the total return uses the price return there", () => {
    const r = loadDataset('sp500-shiller', { ...location, totalReturn: true });
    const raw = readFileSync(pathOf('sp500-shiller'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(r.layout).toBe('shiller');
    expect(r.series.dates).toHaveLength(raw.length);
    expect(r.series.dates[0]).toBe('1871-01-01');
    expect(r.series.dates.at(-1)).toBe('2026-06-01');
    const dividend = r.series.columns.dividend!;
    const missing = r.series.dates.filter((_, i) => Number.isNaN(dividend[i]!));
    // README: Dividend is 0.0 from 2023-07 on; 2023-07 .. 2026-06 is 36 months.
    expect(missing).toHaveLength(36);
    expect(missing[0]).toBe('2023-07-01');
    expect(r.series.columns.pe10!.filter(Number.isNaN)).toHaveLength(120 + 33); // before 1881, and from 2023-10
    expect(r.warnings.at(-1)).toBe('sp500-shiller: no dividend for 36 months (2023-07 .. 2026-06); the total return uses the price return there');
    // Total-return growth recomputed from the raw text for a few months.
    const index = r.series.returnIndex!;
    for (const t of [1, 600, 1829]) {
      const [p, d] = [Number(raw[t]![1]), Number(raw[t]![2])];
      expect(index[t]! / index[t - 1]!).toBeCloseTo((p + d / 12) / Number(raw[t - 1]![1]), 12);
    }
    const july2023 = r.series.dates.indexOf('2023-07-01');
    expect(index[july2023]! / index[july2023 - 1]!).toBeCloseTo(Number(raw[july2023]![1]) / Number(raw[july2023 - 1]![1]), 12);
  });
  // Its speed is measured by bench/cases/data-load.js, not asserted here (a timed test fails on a busy machine).
});
