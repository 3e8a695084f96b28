import { closestMatch, didYouMean, editDistance } from './did-you-mean';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('closestMatch', () => {
  it('suggests a near miss and nothing for a far one', () => {
    expect(closestMatch('windw', ['window', 'threshold'])).toBe('window');
    expect(closestMatch('nn-sam', ['nn-sma', 'ols-sma', 'sma'])).toBe('nn-sma');
    expect(closestMatch('zzzzzz', ['window', 'threshold'])).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
  it('formats the hint', () => {
    expect(didYouMean('smaa', ['sma'])).toBe(' (did you mean "sma"?)');
    expect(didYouMean('qqq', ['sma'])).toBe('');
  });
});
