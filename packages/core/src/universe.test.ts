import { createUniverseView } from './market-view';
import type { StrategyOutput } from './plugin';
import type { PriceSeries, Universe } from './series';
import { assetSeed, eachAsset, mergeOutputs } from './universe';

const series = (source: string, closes: number[], day = 28): PriceSeries => ({
  source,
  frequency: 'monthly',
  dates: closes.map((_, i) => `2000-0${i + 1}-${day}`),
  close: Float64Array.from(closes),
  columns: {},
});

describe('mergeOutputs', () => {
  it('tags every record with its asset and numbers the fits across assets', () => {
    const one = (n: number): StrategyOutput => ({
      fits: n,
      forecasts: [{ label: '2000-01', close: 1, forecast: 1.1, fit: n - 1 }],
      training: [{ fit: 0, epoch: 0, loss: 1 }],
      models: Array.from({ length: n }, (_, fit) => ({ fit, decision: '2000-01', trainFrom: '1999-01', trainTo: '1999-12', rows: 12 })),
      model: { kind: 'ols' },
    });
    const m = mergeOutputs(['a', 'b'], [one(2), one(3)]);
    expect(m.fits).toBe(5);
    expect(m.models!.map((f) => `${f.asset}:${f.fit}`)).toEqual(['a:0', 'a:1', 'b:2', 'b:3', 'b:4']);
    expect(m.forecasts!.map((f) => `${f.asset}:${f.fit}`)).toEqual(['a:1', 'b:4']);
    expect(m.training!.map((t) => `${t.asset}:${t.fit}`)).toEqual(['a:0', 'b:2']);
    expect(m.model).toEqual({ kind: 'ols' });
    expect(mergeOutputs(['a', 'b'], [{}, {}])).toEqual({});
  });
});

describe('eachAsset', () => {
  it('needs the most history of its instances, starts at the latest default start, and refuses a list from one', () => {
    const s = eachAsset(['a', 'b'], (_, i) => ({
      minHistory: 3 + i,
      ...(i ? { defaultTestStart: '2000-03' } : { defaultTestStart: '2000-02' }),
      decide: () => (i ? [1] : 1) as never,
    }));
    expect(s.minHistory).toBe(4);
    expect(s.defaultTestStart).toBe('2000-03');
    const u: Universe = {
      assets: [
        { name: 'a', series: series('a', [1, 2]) },
        { name: 'b', series: series('b', [3, 4]) },
      ],
      frequency: 'monthly',
      dates: series('a', [1, 2]).dates,
    };
    expect(() => s.decide(createUniverseView(u, 1))).toThrow(/b: a strategy timing one asset must return one weight/);
  });

  it('seeds each asset from its name, not its position', () => {
    expect(assetSeed(42, 'ndx')).toBe(assetSeed(42, 'ndx'));
    expect(assetSeed(42, 'ndx')).not.toBe(assetSeed(42, 'gold'));
    expect(assetSeed(42, 'ndx')).not.toBe(assetSeed(43, 'ndx'));
  });
});

describe('createUniverseView', () => {
  // a's month-ends are the 28th, b's the 29th: the universe's row is dated when both are known.
  const a = series('a', [1, 2, 3]);
  const b = series('b', [10, 20, 30], 29);
  const u: Universe = {
    assets: [
      { name: 'a', series: a },
      { name: 'b', series: b },
    ],
    frequency: 'monthly',
    dates: b.dates,
  };
  it('shows each asset its own dates and rows up to t', () => {
    const v = createUniverseView(u, 1);
    expect(v.labels()).toEqual(['2000-01', '2000-02']);
    expect(v.asset('a').date).toBe('2000-02-28');
    expect(v.asset('b').date).toBe('2000-02-29');
    expect(Array.from(v.asset(1).closes())).toEqual([10, 20]);
    expect(() => v.labels(3)).toThrow(/more rows than exist/);
    expect(() => createUniverseView(u, 3)).toThrow(RangeError);
  });
});
