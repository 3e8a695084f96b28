import { formatLocation, InputError } from './errors';

/** Every character a terminal would obey rather than show: C0 but line feed, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('InputError', () => {
  it('names file, line and column as before', () => {
    expect(formatLocation({ file: 'a.csv' })).toBe('a.csv');
    expect(new InputError({ file: '/d/a.csv', line: 3, column: 'close' }, '"abc" is not a number').message).toBe('/d/a.csv, line 3, column "close": "abc" is not a number');
  });
  it('shows a file name and a header cell with control characters escaped, and a huge header cell cut', () => {
    const e = new InputError({ file: '/d/x\x1b]0;t\x07\n.csv', line: 1, column: `da\u202ete${'e'.repeat(1_000_000)}` }, 'bad');
    expect(e.message).not.toMatch(RAW_CONTROL);
    expect(e.message).toMatch(/^\/d\/x\\x1b\]0;t\\x07\\n\.csv, line 1, column "da\\u202etee+…" \(1,000,005 characters\): bad$/);
    expect(e.message.length).toBeLessThan(200);
    // The location keeps the raw values, for programs.
    expect(e.location.file).toBe('/d/x\x1b]0;t\x07\n.csv');
  });
});
