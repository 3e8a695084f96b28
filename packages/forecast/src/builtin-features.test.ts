import { SMA } from 'technicalindicators';
import { builtInFeatures, smaFeature } from './builtin-features';
import type { FeatureBuilder } from './feature-builder';
import { closeAndSmaFeatures, composeFeatures, prefixFeatures } from './features';
import { trailingMeanSd } from '@backtest/metrics';

/** 80 months of a trend with two cycles and a kink: every indicator moves. */
const closes = Float64Array.from({ length: 80 }, (_, t) => 100 * Math.exp(0.006 * t + 0.05 * Math.sin(t / 2) + 0.03 * Math.cos(t / 7)) + (t > 50 ? 5 : 0));

describe.each(builtInFeatures.map((f) => [f.id, f] as const))('the %s feature', (_id, feature) => {
  const window = 6;
  const full = feature.build(closes, window);

  it('is undefined before its warm-up and defined from it on', () => {
    const w = feature.warmup(window);
    for (let t = 0; t < w; t++) expect(full[t]).toBeNaN();
    for (let t = w; t < closes.length; t++) expect(Number.isFinite(full[t]!)).toBe(true);
  });

  it('at row t depends on rows <= t only', () => {
    for (const t of [feature.warmup(window), 40, 63]) {
      const changed = Float64Array.from(closes, (c, i) => (i > t ? c * (1 + 0.3 * Math.sin(i)) : c));
      expect(feature.build(changed, window)[t]).toBe(full[t]);
      expect(feature.build(closes.slice(0, t + 1), window)[t]).toBe(full[t]);
    }
  });

  it('is z-scored by its own trailing statistics: the mean of the last window rows is about 0', () => {
    // A z-score of a value against a window that includes it lies within +-(n-1)/sqrt(n).
    const bound = (window - 1) / Math.sqrt(window);
    for (let t = feature.warmup(window); t < closes.length; t++) expect(Math.abs(full[t]!)).toBeLessThanOrEqual(bound + 1e-12);
  });
});

it('close and SMA are the study inputs, scaled as before (close by its own trailing statistics at t)', () => {
  const w = 10;
  const rows = closeAndSmaFeatures(w).build(closes);
  const { mean, sd } = trailingMeanSd(closes, w);
  const sma = new Float64Array(closes.length).fill(NaN);
  sma.set(SMA.calculate({ period: w, values: Array.from(closes) }), w - 1);
  const smaStats = trailingMeanSd(sma, w);
  expect(rows.names).toEqual(['close', 'sma']);
  expect(rows.firstComplete).toBe(2 * w - 2);
  for (let t = 0; t < closes.length; t++) {
    expect(rows.data[2 * t]).toBe((closes[t]! - mean[t]!) / sd[t]!);
    expect(rows.data[2 * t + 1]).toBe((sma[t]! - smaStats.mean[t]!) / smaStats.sd[t]!);
    expect(rows.center[t]).toBe(mean[t]);
    expect(rows.scale[t]).toBe(sd[t]);
  }
});

it('composes features in the order named, with the latest warm-up', () => {
  const [rsi, macd] = [builtInFeatures.find((f) => f.id === 'rsi')!, builtInFeatures.find((f) => f.id === 'macd')!];
  const set = composeFeatures([rsi, smaFeature, macd], 5);
  expect(set.names).toEqual(['close', 'rsi', 'sma', 'macd']);
  expect(set.warmup).toBe(macd.warmup(5));
  const rows = set.build(closes);
  expect(rows.data[4 * 70 + 3]).toBe(macd.build(closes, 5)[70]);
});

it('forecasts from the whole history when a feature smooths recursively, as it was trained', () => {
  const byId = (id: string) => builtInFeatures.find((f) => f.id === id)!;
  expect(composeFeatures([smaFeature, byId('momentum'), byId('volatility')], 10).historyRows).toBeUndefined();
  for (const id of ['ema', 'rsi', 'macd']) expect(composeFeatures([smaFeature, byId(id)], 10).historyRows).toBe(Infinity);
  // Why: an EMA built from the last rows only differs from the one built from all of them.
  const ema = byId('ema');
  expect(ema.build(closes.slice(30), 6)[40]).not.toBe(ema.build(closes, 6)[70]);
});

describe('prefixFeatures (one build for every view of a walk)', () => {
  const set = composeFeatures(builtInFeatures, 6);
  const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

  it('gives every prefix exactly the features a build of that prefix gives, bit for bit', () => {
    const of = prefixFeatures(set, closes);
    for (const n of [0, 1, 5, set.warmup, set.warmup + 1, 47, closes.length - 1, closes.length]) {
      const fresh = set.build(closes.slice(0, n));
      const shared = of(closes.slice(0, n));
      expect(shared.names).toEqual(fresh.names);
      expect(shared.firstComplete).toBe(fresh.firstComplete);
      expect(bits(shared.data)).toEqual(bits(fresh.data));
      expect(bits(shared.center)).toEqual(bits(fresh.center));
      expect(bits(shared.scale)).toEqual(bits(fresh.scale));
    }
  });

  it("builds a plugin's feature from each series on its own: one that reads a later row still cannot", () => {
    const peek: FeatureBuilder = {
      id: 'peek',
      description: 'the next close over this one, if it could see it',
      warmup: () => 0,
      build: (c) => Float64Array.from(c, (_, t) => (t + 1 < c.length ? c[t + 1]! / c[t]! : 1)),
    };
    const withPlugin = composeFeatures([smaFeature, peek], 6);
    expect(withPlugin.causal).toBeUndefined();
    expect(set.causal).toBe(true);
    const rows = prefixFeatures(withPlugin, closes)(closes.slice(0, 40));
    expect(rows.data.length).toBe(40 * 3);
    expect(rows.data[39 * 3 + 2]).toBe(1);
    expect(bits(rows.data)).toEqual(bits(withPlugin.build(closes.slice(0, 40)).data));
  });

  it('builds afresh a series that is not a prefix: a later window, a changed value, a longer series', () => {
    const of = prefixFeatures(set, closes.slice(0, 60));
    const later = closes.slice(20, 60);
    const changed = closes.slice(0, 40);
    changed[39] = changed[39]! + 1e-9;
    for (const other of [later, changed, closes]) expect(bits(of(other).data)).toEqual(bits(set.build(other).data));
  });
});

describe('buildLast (a forecast row of the built-in features alone)', () => {
  const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

  it("is build's last row, its features, center and scale bit for bit, for every length (NaN in the warm-up)", () => {
    for (const set of [composeFeatures(builtInFeatures, 6), closeAndSmaFeatures(10), composeFeatures([builtInFeatures[3]!, builtInFeatures[5]!], 4)]) {
      expect(set.buildLast).toBeDefined();
      const cols = set.names.length;
      for (const [from, to] of [
        [0, 1],
        [0, 5],
        [0, set.warmup + 1],
        [3, 44],
        [20, 80],
        [79, 80],
      ] as const) {
        const part = closes.slice(from, to);
        const rows = set.build(part);
        const t = part.length - 1;
        const last = set.buildLast!(part);
        expect(bits(last.data)).toEqual(bits(rows.data.subarray(t * cols, (t + 1) * cols)));
        expect(bits([last.center, last.scale])).toEqual(bits([rows.center[t]!, rows.scale[t]!]));
      }
    }
  });

  it('is missing when a feature does not say how it is scaled (a plugin without raw)', () => {
    const plugin: FeatureBuilder = { id: 'flat', description: 'a constant', warmup: () => 0, build: (c) => new Float64Array(c.length) };
    expect(composeFeatures([smaFeature, plugin], 6).buildLast).toBeUndefined();
  });
});
