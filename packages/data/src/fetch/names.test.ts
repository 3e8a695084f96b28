import { UserError } from '@backtest/core';
import { checkDatasetName, checkSymbol, nameFromSymbol } from './names';

describe('dataset names', () => {
  it.each([
    ['^spx', 'spx'],
    ['^SPX', 'spx'],
    ['GC=F', 'gc-f'],
    ['gc.f', 'gc.f'],
    ['10usy.b', '10usy.b'],
    ['EURUSD=X', 'eurusd-x'],
    ['TB3MS', 'tb3ms'],
    ['BRK-B', 'brk-b'],
    ['^^^', undefined],
    ['..', undefined],
  ])('the symbol %j is the name %j by default', (symbol, name) => {
    expect(nameFromSymbol(symbol)).toBe(name);
  });

  it.each(['sp500-daily', 'tb3ms', 'a.b_c-1', 'X'])('%j is a name', (name) => {
    expect(checkDatasetName(name)).toBe(name);
  });

  it.each(['../x', '..', '.x', '-x', '_x', 'a/b', 'a\\b', 'a b', '', 'x'.repeat(101), 'naïve'])('%j is refused', (name) => {
    expect(() => checkDatasetName(name)).toThrow(UserError);
  });

  it('symbols: anything without spaces', () => {
    expect(checkSymbol(' ^spx ')).toBe('^spx');
    expect(() => checkSymbol('a b')).toThrow('symbol "a b" is not a ticker or series id (such as ^spx or TB3MS)');
    expect(() => checkSymbol('')).toThrow(UserError);
  });
});
