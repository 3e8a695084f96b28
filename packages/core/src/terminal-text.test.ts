import { groupDigits, printable, quoted, quotedList, terminalSafe } from './terminal-text';

/** Every character a terminal would obey rather than show: C0 but line feed, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('leaves ordinary text, accents and non-Latin scripts alone', () => {
    for (const s of ['2000-02-3x', 'Adj Close', 'López', '日経平均', 'Ελλάδα', 'a"b\\c', '']) expect(printable(s)).toBe(s);
  });

  it.each([
    ['ESC (a colour sequence)', '\x1b[31mred', '\\x1b[31mred'],
    ['OSC (a title and a link)', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['BEL', 'a\x07', 'a\\x07'],
    ['NUL', 'a\x00b', 'a\\x00b'],
    ['CR', 'ok\rEVIL', 'ok\\rEVIL'],
    ['LF and tab', 'a\nb\tc', 'a\\nb\\tc'],
    ['backspace', 'abc\b\b\b', 'abc\\x08\\x08\\x08'],
    ['DEL', 'a\x7f', 'a\\x7f'],
    ['C1 CSI and NEL', '\u009b31m\u0085', '\\u009b31m\\u0085'],
    ['bidi override', 'abc\u202edcba\u202c', 'abc\\u202edcba\\u202c'],
    ['bidi isolates', '\u2066x\u2067y\u2068z\u2069', '\\u2066x\\u2067y\\u2068z\\u2069'],
  ])('escapes %s', (_, raw, shown) => {
    expect(printable(raw)).toBe(shown);
    expect(printable(raw)).not.toMatch(RAW_CONTROL);
  });

  it('cuts a long value with an ellipsis and its length', () => {
    const s = 'a'.repeat(3 * 1024 * 1024);
    expect(printable(s)).toBe(`${'a'.repeat(64)}… (3,145,728 characters)`);
    expect(quoted(s)).toBe(`"${'a'.repeat(64)}…" (3,145,728 characters)`);
    expect(printable('abcdef', 3)).toBe('abc… (6 characters)');
    expect(printable('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('escapes what it keeps of a long value, and never splits a surrogate pair', () => {
    expect(printable(`${'\x1b'.repeat(100)}`, 2)).toBe('\\x1b\\x1b… (100 characters)');
    expect(printable('ab😀cd', 3)).toBe('ab… (6 characters)');
  });
});

describe('quoted and quotedList', () => {
  it('quote as messages always did when there is nothing to escape', () => {
    expect(quoted('foo')).toBe('"foo"');
    expect(quotedList(['foo', 'bar'])).toBe('"foo", "bar"');
  });
  it('list at most 20 values', () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    const list = quotedList(header);
    expect(list.startsWith('"c0", "c1", ')).toBe(true);
    expect(list.endsWith('"c19", ... and 99,980 more')).toBe(true);
  });
});

describe('terminalSafe', () => {
  it("keeps the line feeds between a message's lines and escapes every other control", () => {
    expect(terminalSafe('line 1\nline 2\x1b[2J\r\u202e')).toBe('line 1\nline 2\\x1b[2J\\r\\u202e');
    expect(terminalSafe('plain')).toBe('plain');
  });
  it('keeps JSON valid: C0 is already escaped by JSON.stringify, C1 and bidi become JSON escapes', () => {
    const doc = { warning: 'file\x1b[31m\u009b\u202e.csv' };
    const safe = terminalSafe(JSON.stringify(doc, null, 2));
    expect(safe).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(safe)).toEqual(doc);
  });
  it('cuts a message longer than its bound', () => {
    expect(terminalSafe('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}… (100 characters)`);
  });
  it('groups digits the same on every locale', () => {
    expect([0, 999, 1000, 1048576, 10000500001].map(groupDigits)).toEqual(['0', '999', '1,000', '1,048,576', '10,000,500,001']);
  });
});
