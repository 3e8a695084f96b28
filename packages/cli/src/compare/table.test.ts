import { shortLabels, wrap } from './table';

describe('the compare table', () => {
  it('says once the grid parameters every configuration of a strategy sets alike, and keeps those that vary', () => {
    const labels = ['sma', 'nn-sma[hidden=5 epochs=20]', 'nn-sma[hidden=10 epochs=20]', 'forecast[model=ols]'];
    expect(shortLabels(labels)).toEqual({
      headings: ['sma', 'nn-sma[hidden=5]', 'nn-sma[hidden=10]', 'forecast[model=ols]'],
      common: ['nn-sma: epochs=20 in every column'],
    });
    // Nothing in common: the labels as they are.
    expect(shortLabels(['sma[window=8]', 'sma[window=10]'])).toEqual({ headings: ['sma[window=8]', 'sma[window=10]'], common: [] });
    // A strategy's plain default beside one grid point: nothing is said once of one configuration.
    expect(shortLabels(['nn-sma', 'nn-sma[epochs=5]'])).toEqual({ headings: ['nn-sma', 'nn-sma[epochs=5]'], common: [] });
    // ... nor of grid points beside the plain default, which does not set it.
    expect(shortLabels(['nn-sma', 'nn-sma[epochs=5 hidden=3]', 'nn-sma[epochs=5 hidden=4]']).common).toEqual([]);
  });

  it('keeps the full labels when shortening would make two headings alike', () => {
    const labels = ['nn-sma[epochs=5]', 'nn-sma[epochs=5 hidden=3]', 'nn-sma[epochs=5 hidden=4]'];
    // epochs=5 is common; the first would become nn-sma[…], distinct; all three stay distinct.
    expect(shortLabels(labels).headings).toEqual(['nn-sma[…]', 'nn-sma[hidden=3]', 'nn-sma[hidden=4]']);
    const clash = ['a[x=1 y=2]', 'a[x=1 y=2]'];
    expect(shortLabels(clash)).toEqual({ headings: clash, common: [] });
  });

  it('wraps text at spaces within the width, indenting the lines after the first, and cuts a word longer than the width', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    const lines = wrap(text, 16, '  ');
    expect(lines).toEqual(['the quick brown', '  fox jumps over', '  the lazy dog']);
    expect(lines.every((l) => l.length <= 16)).toBe(true);
    expect(wrap('short', 16)).toEqual(['short']);
    // Its own leading spaces stay (a verdict's indentation).
    expect(wrap('  a verdict that runs long', 14, '    ')).toEqual(['  a verdict', '    that runs', '    long']);
    expect(wrap(`a ${'x'.repeat(40)}`, 16).every((l) => l.length <= 16)).toBe(true);
    expect(
      wrap(`a ${'x'.repeat(40)}`, 16)
        .join('')
        .replace(/ /g, ''),
    ).toBe(`a${'x'.repeat(40)}`);
  });
});
