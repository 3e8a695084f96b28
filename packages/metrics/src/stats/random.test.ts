import { mulberry32 } from './random';

describe('mulberry32', () => {
  it('matches a Python transcription of the C original (32-bit arithmetic by masking)', () => {
    // python3: see the module comment; first five outputs as uint32
    const want: Record<number, number[]> = {
      0: [1144304738, 1416247, 958946056, 627933444, 2007157716],
      42: [2581720956, 1925393290, 3661312704, 2876485805, 750819978],
      123456789: [1107202814, 4169434471, 3372958138, 885470128, 1301683845],
    };
    for (const [seed, values] of Object.entries(want)) {
      const rng = mulberry32(Number(seed));
      expect(values.map(() => rng.next() * 4294967296)).toEqual(values);
    }
  });

  it('is reproducible and uniform: mean 1/2, variance 1/12, equal bucket counts', () => {
    const rng = mulberry32(7);
    const n = 200000;
    const buckets = new Array(10).fill(0);
    let s = 0;
    let s2 = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outOfRange++;
      s += u;
      s2 += u * u;
      buckets[Math.floor(u * 10)]++;
    }
    expect(outOfRange).toBe(0);
    // sd of the mean is sqrt(1/12/n) = 6.5e-4; of each bucket share sqrt(0.09/n) = 6.7e-4
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    for (const c of buckets) expect(Math.abs(c / n - 0.1)).toBeLessThan(0.004);
    const r1 = mulberry32(99);
    const r2 = mulberry32(99);
    for (let i = 0; i < 100; i++) expect(r1.nextInt(37)).toBe(r2.nextInt(37));
  });

  it('nextInt stays in range; bad seeds throw', () => {
    const rng = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.nextInt(5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => mulberry32(NaN)).toThrow(RangeError);
  });
});
