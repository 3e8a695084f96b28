import { wrap } from './table';

describe('the compare table', () => {
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
