import { readIsoDate } from './iso-date';

describe('readIsoDate', () => {
  it.each([
    ['2020-01-02', '2020-01-02'],
    ['2020-02-29', '2020-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['1871-12-31', '1871-12-31'],
  ])('reads the day %s', (text, iso) => {
    expect(readIsoDate(text)).toEqual({ iso, monthOnly: false });
  });

  it.each([
    ['2020-02', '2020-02-29'],
    ['2021-02', '2021-02-28'],
    ['1900-02', '1900-02-28'],
    ['2020-04', '2020-04-30'],
    ['2020-12', '2020-12-31'],
    ['0050-02', '0050-02-28'],
    // Year 0 is a leap year; the Date constructor would have taken it as 1900, which is not.
    ['0000-02', '0000-02-29'],
  ])('dates the month %s on its last calendar day %s', (text, iso) => {
    expect(readIsoDate(text)).toEqual({ iso, monthOnly: true });
  });

  it.each(['', '2021-02-29', '1900-02-29', '2020-00-10', '2020-13', '2020-01-00', '2020-01-32', '2020-1-02', '2020/01/02', ' 2020-01-02', '2020-01-02x', '20200102', 'abcd-ef-gh'])(
    'rejects %j',
    (text) => {
      expect(readIsoDate(text)).toBeUndefined();
    },
  );
});
