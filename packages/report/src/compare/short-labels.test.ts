import { shortLabels } from './short-labels';

describe('short labels of grid points', () => {
  it('says once the grid parameters every configuration of a strategy sets alike, and keeps those that vary', () => {
    const labels = ['sma', 'nn-sma[hidden=5 epochs=20]', 'nn-sma[hidden=10 epochs=20]', 'forecast[model=ols]'];
    expect(shortLabels(labels)).toEqual({
      headings: ['sma', 'nn-sma[hidden=5]', 'nn-sma[hidden=10]', 'forecast[model=ols]'],
      common: ['nn-sma: epochs=20 in every column'],
      shared: [{ id: 'nn-sma', params: ['epochs=20'] }],
    });
    // Nothing in common: the labels as they are.
    expect(shortLabels(['sma[window=8]', 'sma[window=10]'])).toEqual({ headings: ['sma[window=8]', 'sma[window=10]'], common: [], shared: [] });
    // A strategy's plain default beside one grid point: nothing is said once of one configuration.
    expect(shortLabels(['nn-sma', 'nn-sma[epochs=5]'])).toEqual({ headings: ['nn-sma', 'nn-sma[epochs=5]'], common: [], shared: [] });
    // ... nor of grid points beside the plain default, which does not set it.
    expect(shortLabels(['nn-sma', 'nn-sma[epochs=5 hidden=3]', 'nn-sma[epochs=5 hidden=4]']).common).toEqual([]);
  });

  it('keeps the full labels when shortening would make two headings alike', () => {
    const labels = ['nn-sma[epochs=5]', 'nn-sma[epochs=5 hidden=3]', 'nn-sma[epochs=5 hidden=4]'];
    // epochs=5 is common; the first would become nn-sma[…], distinct; all three stay distinct.
    expect(shortLabels(labels).headings).toEqual(['nn-sma[…]', 'nn-sma[hidden=3]', 'nn-sma[hidden=4]']);
    const clash = ['a[x=1 y=2]', 'a[x=1 y=2]'];
    expect(shortLabels(clash)).toEqual({ headings: clash, common: [], shared: [] });
  });

  it('names the unit the common parameters are said of', () => {
    expect(shortLabels(['a[x=1 y=2]', 'a[x=1 y=3]'], 'row').common).toEqual(['a: x=1 in every row']);
  });
});
