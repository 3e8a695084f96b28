import { UserError } from './errors';
import { defineParams, describeParams, resolveParams } from './params';

const specs = defineParams({
  window: { type: 'integer', default: 10, min: 2, description: 'SMA length' },
  threshold: { type: 'number', default: 0, min: -1, max: 1, description: 'margin' },
  short: { type: 'boolean', default: false, description: 'allow shorts' },
  sizing: { type: 'enum', values: ['binary', 'proportional'], default: 'binary', description: 'how' },
  hidden: { type: 'integer-list', default: [10], min: 1, description: 'layers' },
  window2: { type: 'string', default: 'expanding', pattern: /^(expanding|rolling:\d+)$/, hint: '"expanding" or "rolling:N"', description: 'w' },
});

describe('resolveParams', () => {
  it('fills defaults', () => {
    expect(resolveParams('sma', specs, {})).toEqual({
      window: 10,
      threshold: 0,
      short: false,
      sizing: 'binary',
      hidden: [10],
      window2: 'expanding',
    });
  });
  it('parses strings from the command line', () => {
    const p = resolveParams('sma', specs, { window: '12', threshold: '0.01', short: 'true', sizing: 'proportional', hidden: '300,100', window2: 'rolling:120' });
    expect(p).toEqual({ window: 12, threshold: 0.01, short: true, sizing: 'proportional', hidden: [300, 100], window2: 'rolling:120' });
  });
  it('rejects a misspelt name with a hint', () => {
    expect(() => resolveParams('sma', specs, { windw: '3' })).toThrow('unknown parameter "windw" for sma (did you mean "window"?)');
  });
  it.each([
    [{ window: '1' }, 'parameter "window" of sma must be an integer >= 2, got "1"'],
    [{ window: '2.5' }, 'must be an integer >= 2'],
    [{ window: 'ten' }, 'must be an integer >= 2, got "ten"'],
    [{ window: '' }, 'must be an integer >= 2'],
    [{ threshold: '2' }, 'must be a number between -1 and 1'],
    [{ short: 'maybe' }, 'must be true or false'],
    [{ sizing: 'proportionl' }, 'must be one of binary, proportional (did you mean "proportional"?)'],
    [{ hidden: '10,x' }, 'must be a comma-separated list of integers >= 1'],
    [{ hidden: '' }, 'parameter "hidden" of sma must be a comma-separated list of integers >= 1 (at least one), got ""'],
    [{ hidden: ',' }, 'must be a comma-separated list of integers >= 1 (at least one)'],
    [{ hidden: [] }, 'must be a comma-separated list of integers >= 1 (at least one)'],
    [{ toString: '5' }, 'unknown parameter "toString" for sma'],
    [{ constructor: '5' }, 'unknown parameter "constructor" for sma'],
    [JSON.parse('{"__proto__": "5"}'), 'unknown parameter "__proto__" for sma'],
    [{ hasOwnProperty: '1' }, 'unknown parameter "hasOwnProperty" for sma'],
    [{ window2: 'rolling' }, 'must be "expanding" or "rolling:N"'],
  ])('rejects %j', (raw, message) => {
    expect(() => resolveParams('sma', specs, raw)).toThrow(UserError);
    expect(() => resolveParams('sma', specs, raw)).toThrow(message);
  });
  it('describes parameters for listings', () => {
    expect(describeParams(specs)[0]).toBe('window=10 (integer): SMA length');
    expect(describeParams(specs)[3]).toBe('sizing=binary (binary|proportional): how');
  });
});
