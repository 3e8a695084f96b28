import { InputError, UserError } from '@backtest/core';
import { parseCsvText } from './parse-csv';

/** The error `fn` throws, which must be an InputError. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

const daily = (text: string) => parseCsvText(text, 'prices.csv', { frequency: 'daily' });

describe('parseCsvText: malformed input gets an error naming file, line and column', () => {
  it('empty file', () => {
    const e = inputError(() => parseCsvText('', 'prices.csv'));
    expect(e.message).toBe('prices.csv, line 1: the file is empty: expected a header line such as date,close and data rows');
    expect(e.exitCode).toBe(2);
  });

  it('a file of blank lines is empty too', () => {
    expect(inputError(() => parseCsvText('\n  \r\n\n', 'prices.csv')).message).toMatch(/^prices\.csv, line 1: the file is empty/);
  });

  it('header only', () => {
    expect(inputError(() => parseCsvText('date,open,close,volume\n', 'prices.csv')).message).toBe('prices.csv, line 1: the file has a header but no data rows');
  });

  it('unknown columns: lists what was found and the known layouts', () => {
    const e = inputError(() => parseCsvText('Day,Last\n2020-01-02,3\n', 'prices.csv'));
    expect(e.location).toEqual({ file: 'prices.csv', line: 1, column: 'date' });
    expect(e.message).toBe(
      'prices.csv, line 1, column "date": no date and close columns: the header has "Day", "Last". ' +
        'Known layouts: shiller (Date,SP500,Dividend,Earnings,Consumer Price Index,Long Interest Rate,Real Price,' +
        'Real Dividend,Real Earnings,PE10); yahoo (Date,Open,High,Low,Close,Adj Close,Volume); ' +
        'plain (date,open,close,volume); fred (observation_date,SERIES_ID). ' +
        'For another layout pass a column mapping such as {date: "Day", close: "Last"}',
    );
  });

  it('a date column without a close names the close as missing', () => {
    expect(inputError(() => parseCsvText('date,price\n2020-01-02,3\n', 'p.csv')).location.column).toBe('close');
  });

  it('bad date', () => {
    const text = 'date,close\n2020-01-02,3\n2020-13-01,4\n';
    expect(inputError(() => daily(text)).message).toBe('prices.csv, line 3, column "date": "2020-13-01" is not a date (expected yyyy-MM-dd, or yyyy-MM for months)');
  });

  it.each(['2021-02-29', '2020-02-30', '2020-04-31', '20-01-02', '2020-1-2', '02/01/2020', '2020-01-02T00:00'])('rejects the date %s', (bad) => {
    const e = inputError(() => daily(`date,close\n2020-01-01,3\n${bad},4\n`));
    expect(e.location).toEqual({ file: 'prices.csv', line: 3, column: 'date' });
  });

  it('a day after 28 in the same month as the row before still gets the full check', () => {
    expect(inputError(() => daily('date,close\n2021-02-27,1\n2021-02-29,2\n')).location.line).toBe(3);
    expect(daily('date,close\n2020-02-27,1\n2020-02-29,2\n').series.dates).toEqual(['2020-02-27', '2020-02-29']);
  });

  it('unsorted dates', () => {
    const text = 'date,open,close,volume\n2020-01-02,1,3,0\n2020-01-06,1,3,0\n2020-01-03,1,4,0\n';
    expect(inputError(() => daily(text)).message).toBe(
      'prices.csv, line 4, column "date": date 2020-01-03 is earlier than 2020-01-06 on line 3: rows must be in ascending date order',
    );
  });

  it('duplicate date', () => {
    const text = 'date,close\n2020-01-02,3\n\n2020-01-02,4\n';
    expect(inputError(() => daily(text)).message).toBe('prices.csv, line 4, column "date": date 2020-01-02 repeats the date on line 2');
  });

  it('text in a price', () => {
    const text = 'date,open,close,volume\n2020-01-02,1,3,0\n2020-01-03,1,abc,0\n';
    expect(inputError(() => daily(text)).message).toBe('prices.csv, line 3, column "close": "abc" is not a number');
  });

  it.each(['0x10', 'Infinity', '1e999', '"12,5"', '3 4', '$3', '1_000'])('rejects the price %s', (bad) => {
    const text = `date,close,x\n2020-01-02,${bad},1\n`;
    expect(inputError(() => daily(text)).location.column).toBe('close');
  });

  it('negative price', () => {
    expect(inputError(() => daily('date,close\n2020-01-02,-5\n')).message).toBe('prices.csv, line 2, column "close": price must be positive, found -5');
  });

  it('zero price', () => {
    expect(inputError(() => daily('date,close\n2020-01-02,1\n2020-01-03,0.0\n')).message).toBe('prices.csv, line 3, column "close": price must be positive, found 0.0');
  });

  it('a row with too few fields', () => {
    expect(inputError(() => daily('date,open,close,volume\n2020-01-02,1,3\n')).message).toBe('prices.csv, line 2, column "volume": expected 4 fields as in the header, found 3');
  });

  it('text and negatives in the extra columns', () => {
    const head = 'date,open,close,volume\n';
    expect(inputError(() => daily(`${head}2020-01-02,x,3,0\n`)).location.column).toBe('open');
    expect(inputError(() => daily(`${head}2020-01-02,-1,3,0\n`)).message).toBe('prices.csv, line 2, column "open": price must be positive, found -1');
    expect(inputError(() => daily(`${head}2020-01-02,1,3,-7\n`)).message).toBe('prices.csv, line 2, column "volume": volume must not be negative, found -7');
  });

  it('yyyy-MM and yyyy-MM-dd rows mixed', () => {
    expect(inputError(() => parseCsvText('date,close\n2020-01,1\n2020-02-28,2\n', 'm.csv')).message).toBe(
      'm.csv, line 3, column "date": "2020-02-28" is yyyy-MM-dd but the rows before are yyyy-MM',
    );
  });
});

describe('parseCsvText: empty fields follow the missing-value policy', () => {
  const text = ['date,open,close,volume', '2020-01-02,1,10,100', '2020-01-03,,,', '2020-01-06,1,11,', ',1,12,5', '2020-01-08,1,null,5', '2020-01-09,,13,7'].join('\n');

  it('drops rows with an empty date or close, counts them and names their lines', () => {
    const r = daily(text);
    expect(r.rawRows).toBe(6);
    expect(r.droppedRows).toBe(3);
    expect(r.series.dates).toEqual(['2020-01-02', '2020-01-06', '2020-01-09']);
    expect([...r.series.close]).toEqual([10, 11, 13]);
    // An empty volume or open keeps the row: the close is good.
    expect([...r.series.columns.volume!]).toEqual([100, NaN, 7]);
    expect([...r.series.columns.open!]).toEqual([1, 1, NaN]);
    expect(r.warnings).toEqual([
      'prices.csv: dropped 3 rows with an empty field (lines 3, 5, 6)',
      'prices.csv: kept 1 row with an empty open, as no value there (line 7)',
      'prices.csv: kept 1 row with an empty volume, as no value there (line 4)',
    ]);
  });

  it.each(['null', 'NULL', 'NaN', 'NA', 'n/a', '.', '   '])('reads %j in the close as empty', (marker) => {
    const r = daily(`date,close\n2020-01-02,1\n2020-01-03,${marker}\n`);
    expect(r.droppedRows).toBe(1);
    expect([...r.series.close]).toEqual([1]);
  });

  it('rejects an unknown policy', () => {
    expect(() => parseCsvText(text, 'p.csv', { onMissing: 'skip' as 'drop' })).toThrow(new UserError('the missing-value policy must be "drop" or "error", not "skip"'));
  });

  it('lists at most five lines', () => {
    const rows = ['date,close', '2020-01-01,1'];
    for (let d = 2; d <= 9; d++) rows.push(`2020-01-0${d},`);
    const r = daily(rows.join('\n'));
    expect(r.warnings).toEqual(['prices.csv: dropped 8 rows with an empty field (lines 3, 4, 5, 6, 7, ...)']);
  });

  it('"error" makes the first empty date or close fatal, and not an empty volume', () => {
    const e = inputError(() => parseCsvText(text, 'prices.csv', { onMissing: 'error', frequency: 'daily' }));
    expect(e.message).toBe('prices.csv, line 3, column "close": empty field (the missing-value policy is "error"; "drop" would skip the row)');
    const volumeOnly = 'date,close,volume\n2020-01-02,10,\n2020-01-03,11,5\n';
    expect(parseCsvText(volumeOnly, 'v.csv', { onMissing: 'error', frequency: 'daily' }).series.close.length).toBe(2);
  });

  it('an empty date is named as the empty column', () => {
    const e = inputError(() => parseCsvText(text.replace('2020-01-03,,,', '2020-01-03,1,1,1'), 'p.csv', { onMissing: 'error' }));
    expect(e.location).toEqual({ file: 'p.csv', line: 5, column: 'date' });
  });

  it('a file whose every row lacks a close is an error, not an empty series', () => {
    expect(inputError(() => daily('date,close\n2020-01-02,\n2020-01-03,\n')).message).toBe(
      'prices.csv, column "close": no usable rows: all 2 data rows have an empty date or close',
    );
  });
});

describe('parseCsvText: layouts', () => {
  it('Yahoo: Adj Close is the close, headers match case-insensitively', () => {
    const text = 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,12,9,11,10.5,100\n2020-01-03,11,13,10,12,11.5,200\n';
    const r = daily(text);
    expect(r.layout).toBe('yahoo');
    expect([...r.series.close]).toEqual([10.5, 11.5]);
    expect(Object.keys(r.series.columns)).toEqual(['open', 'high', 'low', 'volume']);
    expect([...r.series.columns.high!]).toEqual([12, 13]);
  });

  it('Yahoo without Adj Close reads Close, and a 0 open is no value', () => {
    const r = daily('DATE,OPEN,HIGH,LOW,CLOSE,VOLUME\n2020-01-02,0,12,9,11,100\n');
    expect(r.layout).toBe('plain');
    expect([...r.series.close]).toEqual([11]);
    expect([...r.series.columns.open!]).toEqual([NaN]);
    expect(r.warnings).toEqual(['prices.csv: read 0 in OPEN as no value on 1 row (line 2)']);
  });

  it('a column mapping for any other file, extra keys kept in lower case', () => {
    const text = `${'Day;Last\n'.replace(';', ',')}2020-01-02,5\n2020-01-03,6\n`;
    const r = parseCsvText(text, 'x.csv', { columns: { date: 'day', close: 'LAST' }, frequency: 'daily' });
    expect(r.layout).toBe('mapped');
    expect([...r.series.close]).toEqual([5, 6]);
    const withVol = parseCsvText('Day,Last,Vol,Yield\n2020-01-02,5,9,-0.5\n', 'x.csv', {
      columns: { date: 'Day', close: 'Last', Volume: 'Vol', yield: 'Yield' },
      frequency: 'monthly',
    });
    expect(withVol.series.columns).toEqual({ volume: new Float64Array([9]), yield: new Float64Array([-0.5]) });
  });

  it('a mapping naming a column the file lacks', () => {
    expect(inputError(() => parseCsvText('Day,Last\n2020-01-02,5\n', 'x.csv', { columns: { date: 'Day', close: 'Px' } })).message).toBe(
      'x.csv, line 1, column "Px": column "Px" (mapped to close) is not in the header; found "Day", "Last"',
    );
  });

  it('a forced layout reports only that layout', () => {
    const e = inputError(() => parseCsvText('date,close\n2020-01-02,5\n', 's.csv', { layout: 'shiller' }));
    expect(e.location.column).toBe('SP500'.toLowerCase());
    expect(e.message).toContain('Expected layout: shiller (');
  });
});

describe('parseCsvText: FRED files and rates', () => {
  const tb3ms = 'observation_date,TB3MS\n2020-01-01,1.52\n2020-02-01,.\n2020-03-01,0.29\n2020-04-01,0.00\n';

  it('reads a FRED series: the value column is the close, "." a dropped row, one row a month is monthly', () => {
    const r = parseCsvText(tb3ms.replace('0.00', '0.14'), 'tb3ms.csv');
    expect(r.layout).toBe('fred');
    expect(r.fileFrequency).toBe('monthly');
    expect(r.series.dates).toEqual(['2020-01-01', '2020-03-01', '2020-04-01']);
    expect([...r.series.close]).toEqual([1.52, 0.29, 0.14]);
    expect(r.series.columns).toEqual({});
    expect(r.droppedRows).toBe(1);
  });

  it('as prices (the default) a rate of 0.00 is an error naming file, line and column', () => {
    const e = inputError(() => parseCsvText(tb3ms, 'tb3ms.csv'));
    expect(e.location).toEqual({ file: 'tb3ms.csv', line: 5, column: 'TB3MS' });
    expect(e.message).toBe('tb3ms.csv, line 5, column "TB3MS": price must be positive, found 0.00 (a FRED rate or yield is read with the values option "rate", not as a price)');
  });

  it('values "rate": any finite number, 0 and negatives included, in any layout', () => {
    expect([...parseCsvText(tb3ms, 'tb3ms.csv', { values: 'rate' }).series.close]).toEqual([1.52, 0.29, 0]);
    const bund = 'date,open,close,volume\n2020-03-09,-0.6,-0.85,0\n2020-03-10,0,-0.8,0\n';
    const r = parseCsvText(bund, 'bund.csv', { values: 'rate', frequency: 'daily' });
    expect([...r.series.close]).toEqual([-0.85, -0.8]);
    // The open is a rate too: 0 is a value there, not "missing".
    expect([...r.series.columns.open!]).toEqual([-0.6, 0]);
    expect(r.warnings).toEqual([]);
    expect(inputError(() => parseCsvText(bund, 'bund.csv')).message).toBe('bund.csv, line 2, column "close": price must be positive, found -0.85');
  });

  it('values "rate" still rejects text, infinities and negative volumes', () => {
    expect(inputError(() => parseCsvText('DATE,X\n2020-01-01,abc\n', 'x.csv', { values: 'rate' })).message).toBe('x.csv, line 2, column "X": "abc" is not a number');
    expect(inputError(() => parseCsvText('DATE,X\n2020-01-01,Infinity\n', 'x.csv', { values: 'rate' })).location.column).toBe('X');
    expect(inputError(() => parseCsvText('date,close,volume\n2020-01-01,-1,-5\n', 'x.csv', { values: 'rate' })).message).toBe(
      'x.csv, line 2, column "volume": volume must not be negative, found -5',
    );
  });

  it('rejects an unknown values option', () => {
    expect(() => parseCsvText(tb3ms, 'x.csv', { values: 'yield' as 'rate' })).toThrow('the values option must be "price" or "rate", not "yield"');
  });
});

describe('parseCsvText: file format tolerance', () => {
  const plain = 'date,open,close,volume\n2020-01-02,1,3,0\n2020-01-03,1,4,0\n';

  it('BOM', () => {
    const r = daily(`\uFEFF${plain}`);
    expect(r.layout).toBe('plain');
    expect(r.series.dates).toEqual(['2020-01-02', '2020-01-03']);
  });

  it('CRLF line ends, with line numbers unchanged', () => {
    const crlf = plain.replace(/\n/g, '\r\n');
    expect([...daily(crlf).series.close]).toEqual([3, 4]);
    expect(inputError(() => daily(crlf.replace('4,0', 'x,0'))).location.line).toBe(3);
  });

  it('trailing blank lines', () => {
    const r = daily(`${plain}\n\n  \n\r\n`);
    expect(r.rawRows).toBe(2);
    expect(r.warnings).toEqual([]);
  });

  it('quoted fields go through csv-parse with the same result', () => {
    const quoted = '"date","open","close","volume"\r\n"2020-01-02","1","3","0"\r\n2020-01-03,1,"4",0\r\n';
    expect(daily(quoted).series).toEqual(daily(plain).series);
  });

  it('spaces around cells', () => {
    expect([...daily('date , close\n 2020-01-02 , 3 \n').series.close]).toEqual([3]);
  });
});

describe('parseCsvText: frequency', () => {
  const days = 'date,close\n2020-01-30,1\n2020-01-31,2\n2020-02-27,3\n2020-02-28,4\n';

  it('serves daily files at month-end by default, and as days on request', () => {
    const monthly = parseCsvText(days, 'd.csv');
    expect(monthly.fileFrequency).toBe('daily');
    expect(monthly.series.frequency).toBe('monthly');
    expect(monthly.series.dates).toEqual(['2020-01-31', '2020-02-28']);
    expect([...monthly.series.close]).toEqual([2, 4]);
    expect(parseCsvText(days, 'd.csv', { frequency: 'daily' }).series.close.length).toBe(4);
  });

  it('yyyy-MM rows are monthly, dated the last calendar day', () => {
    const r = parseCsvText('date,close\n2019-12,1\n2020-02,2\n', 'm.csv');
    expect(r.fileFrequency).toBe('monthly');
    expect(r.series.dates).toEqual(['2019-12-31', '2020-02-29']);
  });

  it('day-dated rows, one a month, are months: kept whole, the last one too', () => {
    const text = 'date,close\n2020-01-01,1\n2020-02-01,2\n';
    const r = parseCsvText(text, 'm.csv');
    expect(r.fileFrequency).toBe('monthly');
    expect(r.series.dates).toEqual(['2020-01-01', '2020-02-01']);
    expect(r.warnings).toEqual([]);
    // Asked for days, the same rows are served as days.
    expect(parseCsvText(text, 'm.csv', { frequency: 'daily' }).series.frequency).toBe('daily');
  });

  it('yyyy-MM rows and Shiller rows cannot be served daily', () => {
    expect(() => parseCsvText('date,close\n2020-01,1\n', 'm.csv', { frequency: 'daily' })).toThrow(
      new UserError('m.csv has monthly rows (yyyy-MM dates); it cannot be served daily'),
    );
    expect(() => parseCsvText('Date,SP500\n2020-01-01,1\n2020-01-02,1\n', 's.csv', { frequency: 'daily' })).toThrow(
      new UserError('s.csv has monthly rows (shiller layout); it cannot be served daily'),
    );
  });

  it('daily rows all in one incomplete month leave nothing, which is an error', () => {
    expect(inputError(() => parseCsvText('date,close\n2020-01-02,1\n2020-01-03,1\n', 'one.csv')).message).toBe(
      'one.csv: no complete month: the data ends before the last weekday of its only month',
    );
  });

  it('a single row is one monthly row', () => {
    const r = parseCsvText('date,close\n2020-01-02,7\n', 'one.csv');
    expect(r.series.dates).toEqual(['2020-01-02']);
    expect(r.series.source).toBe('one.csv');
  });

  it('warns about calendar months without a row, daily or monthly', () => {
    const daysWithGap = 'date,close\n2019-11-29,1\n2019-12-30,1\n2019-12-31,2\n2020-03-30,3\n2020-03-31,4\n';
    expect(parseCsvText(daysWithGap, 'g.csv').warnings).toEqual(['g.csv: no rows for 2 calendar months (2020-01, 2020-02); the return across such a gap spans more than a month']);
    expect(parseCsvText('date,close\n2019-11,1\n2020-01,2\n', 'g.csv').warnings).toEqual([
      'g.csv: no rows for 1 calendar month (2019-12); the return across such a gap spans more than a month',
    ]);
    expect(parseCsvText(daysWithGap, 'g.csv', { frequency: 'daily' }).warnings).toEqual([]);
  });

  it('names the series after the option, warnings after the file', () => {
    const r = parseCsvText('date,close\n2020-01-31,7\n2020-02-03,8\n2020-02-04,8\n', 'dir/one.csv', { name: 'mine' });
    expect(r.series.source).toBe('mine');
    expect(r.warnings).toEqual(["mine: dropped the incomplete month 2020-02 (the data ends on 2020-02-04, before the month's last weekday 2020-02-28)"]);
  });
});

describe('parseCsvText: keepColumns', () => {
  const text = 'date,open,close,volume\n2020-01-30,x,1,-5\n2020-01-31,1,2,3\n';

  it('[] reads date and close only, so bad cells elsewhere do not matter', () => {
    const r = parseCsvText(text, 'k.csv', { keepColumns: [] });
    expect(r.series.columns).toEqual({});
    expect([...r.series.close]).toEqual([2]);
  });

  it('keeps the named columns and validates them', () => {
    expect(() => parseCsvText(text, 'k.csv', { keepColumns: ['Volume'] })).toThrow('k.csv, line 2, column "volume": volume must not be negative, found -5');
    expect(parseCsvText(text.replace('-5', '5'), 'k.csv', { keepColumns: ['volume'] }).series.columns).toEqual({
      volume: new Float64Array([8]),
    });
  });

  it('the first bad cell in file order is reported among the extra columns', () => {
    const bad = 'date,open,close,volume\n2020-01-30,1,1,x\n2020-01-31,y,2,3\n';
    expect(() => parseCsvText(bad, 'k.csv')).toThrow('k.csv, line 2, column "volume": "x" is not a number');
  });

  it('a column the file lacks', () => {
    expect(() => parseCsvText(text, 'k.csv', { keepColumns: ['dividend'] })).toThrow(
      new UserError('k.csv has no column "dividend" to keep (its plain layout gives: open, volume)'),
    );
  });
});
