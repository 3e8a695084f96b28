import { UserError } from '@backtest/core';
import { parseColumnMapping } from './layout';

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
    expect(() => parseColumnMapping('date=Day')).toThrow(
      'column mapping "date=Day" must name both date and close (for example date=Day,close=Last)',
    );
  });
});
