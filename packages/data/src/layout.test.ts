import { UserError } from '@backtest/core';
import { parseColumnMapping, publishedHeader, resolveLayout } from './layout';

describe('parseColumnMapping', () => {
  it('reads key=Header pairs, keys in lower case, headers as written', () => {
    expect(parseColumnMapping('date=Day,close=Last')).toEqual({ date: 'Day', close: 'Last' });
    expect(parseColumnMapping(' Date = Trade Date , CLOSE=Px Last,volume=Vol ')).toEqual({
      date: 'Trade Date',
      close: 'Px Last',
      volume: 'Vol',
    });
  });

  it.each(['date=Day', 'close=Last', 'date=Day,close', 'date=,close=Last', '=Day,close=Last', ''])('rejects %j', (spec) => {
    expect(() => parseColumnMapping(spec)).toThrow(UserError);
  });

  it('says what is expected', () => {
    expect(() => parseColumnMapping('date=Day')).toThrow('column mapping "date=Day" must name both date and close (for example date=Day,close=Last)');
  });
});

describe('resolveLayout: FRED', () => {
  const where = { file: 'f.csv', line: 1 };

  it('two columns headed observation_date (any case) or DATE: the second, whatever its name, is the close', () => {
    for (const header of [
      ['observation_date', 'TB3MS'],
      ['OBSERVATION_DATE', 'DGS10'],
      ['DATE', 'TB3MS'],
    ]) {
      const layout = resolveLayout(header, where);
      expect(layout.name).toBe('fred');
      expect(layout.date).toEqual({ key: 'date', kind: 'date', index: 0, header: header[0] });
      expect(layout.close).toEqual({ key: 'close', kind: 'close', index: 1, header: header[1] });
      expect(layout.extras).toEqual([]);
    }
  });

  it('is not taken for other files: date,close is plain; date,price and three columns are not FRED', () => {
    expect(resolveLayout(['date', 'close'], where).name).toBe('plain');
    expect(resolveLayout(['DATE', 'close'], where).name).toBe('plain');
    expect(resolveLayout(['observation_date', 'close'], where).name).toBe('fred');
    expect(() => resolveLayout(['date', 'price'], where)).toThrow(/no date and close columns/);
    expect(() => resolveLayout(['observation_date', 'A', 'B'], where)).toThrow(/no date and close columns/);
    expect(() => resolveLayout(['TB3MS', 'observation_date'], where)).toThrow(/no date and close columns/);
  });

  it('is listed among the known layouts, and can be forced', () => {
    expect(() => resolveLayout(['a', 'b'], where)).toThrow('; fred (observation_date,SERIES_ID). For another layout');
    expect(resolveLayout(['DATE', 'value'], where, { forced: 'fred' }).name).toBe('fred');
    expect(() => resolveLayout(['when', 'value'], where, { forced: 'fred' })).toThrow(
      'f.csv, line 1, column "date": no date and close columns: the header has "when", "value". Expected layout: fred (observation_date,SERIES_ID).',
    );
    expect(publishedHeader('fred')).toBe('observation_date,SERIES_ID');
  });
});
