import { streamSeed } from './seeds';

describe('streamSeed', () => {
  it('depends on the seed and the name only, and gives every name its own stream', () => {
    expect(streamSeed(42, 'bootstrap:nn-sma')).toBe(streamSeed(42, 'bootstrap:nn-sma'));
    expect(streamSeed(42, 'bootstrap:nn-sma')).not.toBe(streamSeed(43, 'bootstrap:nn-sma'));
    expect(streamSeed(42, 'bootstrap:nn-sma')).not.toBe(streamSeed(42, 'bootstrap:sma'));
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) for (let k = 0; k < 40; k++) seen.add(streamSeed(seed, `config-${k}`));
    expect(seen.size).toBe(1600);
    for (const v of seen) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
  });
});
