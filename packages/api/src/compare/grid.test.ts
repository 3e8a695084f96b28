import { configurations, parseGrid } from './grid';

describe('parseGrid', () => {
  it('expands the cartesian product of the alternatives', () => {
    expect(parseGrid('nn-sma:hidden=10|300,100;epochs=20|100')).toEqual({
      id: 'nn-sma',
      points: [
        { hidden: '10', epochs: '20' },
        { hidden: '10', epochs: '100' },
        { hidden: '300,100', epochs: '20' },
        { hidden: '300,100', epochs: '100' },
      ],
    });
  });
  it.each([
    ['nn-sma', '--grid expects "strategy:param=a|b;param2=c|d", got "nn-sma"'],
    ['nn-sma:hidden', '--grid: "hidden" in "nn-sma:hidden" is not param=a|b'],
    ['nn-sma:hidden=10|', '--grid: parameter "hidden" in "nn-sma:hidden=10|" has an empty alternative'],
  ])('rejects %s', (spec, message) => {
    expect(() => parseGrid(spec)).toThrow(message);
  });
});

describe('configurations', () => {
  it('runs a gridded strategy only at its grid points, labelled by them', () => {
    const c = configurations(['sma', 'nn-sma'], ['nn-sma:epochs=5|10'], {});
    expect(c.map((x) => x.label)).toEqual(['sma', 'nn-sma[epochs=5]', 'nn-sma[epochs=10]']);
    expect(c[2]!.params).toEqual({ epochs: '10' });
  });
  it('rejects a configuration listed twice and an empty list', () => {
    expect(() => configurations(['sma', 'sma'], [], {})).not.toThrow();
    expect(() => configurations(['sma'], ['sma:window=3|3'], {})).toThrow('configuration sma[window=3] is listed twice');
    expect(() => configurations([], [], {})).toThrow('compare needs at least one strategy');
    expect(() => configurations([], ['sma:window=3;window=4'], {})).toThrow('--grid: parameter "window" appears twice in "sma:window=3;window=4"');
  });
  it('keeps a grid parameter named like an Object.prototype member as its own key (for resolveParams to refuse)', () => {
    const [c] = configurations([], ['sma:__proto__=1'], {});
    expect(Object.keys(c!.params)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(c!.params)).toBe(Object.prototype);
  });
});
