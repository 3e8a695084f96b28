import { parseParamFlags } from './options';
import { signalText } from './signal-text';

describe('parseParamFlags', () => {
  it('reads name=value pairs, own properties whatever the name', () => {
    const p = parseParamFlags(['window=12', '__proto__=1']);
    expect(Object.keys(p)).toEqual(['window', '__proto__']);
    expect(p.window).toBe('12');
  });
  it('refuses a value without = and a name given twice', () => {
    expect(() => parseParamFlags(['window'])).toThrow('--param expects name=value, got "window"');
    expect(() => parseParamFlags(['a=1', 'a=2'])).toThrow('--param a was given twice (1, 2); give it once');
  });
});

describe('signalText', () => {
  it('says what to hold and why', () => {
    const doc = {
      strategy: 'sma',
      frequency: 'monthly',
      asOf: '2026-03',
      weight: 0,
      params: {},
      seed: 42,
      warnings: [],
      data: { dataset: 'sp500', file: 'f.csv', sha256: '', origin: 'file', lastRow: { date: '2026-03-31', close: 6528.52 } },
    } as const;
    expect(signalText(doc)).toBe('sma: hold cash (weight 0) over the month after 2026-03, decided at its close (sp500 2026-03-31 close 6528.52)');
  });
});
