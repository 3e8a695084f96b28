/**
 * The forecast building block: each fit sees only its refit view's rows and each forecast only
 * its own view's; the fit records, seeds, sequence samples, the direction target and saving.
 */
import { createMarketView, defineParams, type PriceSeries, SharedWork, silentProgress, type StrategyContext, UserError } from '@backtest/core';
import { closeAndSmaFeatures, type FeatureSet } from './features';
import { rejectionOf } from '@backtest/core/testing';
import { createForecastStrategy, type ForecastStrategyOptions, threadsFor } from './forecast-strategy';
import { defineModel, fitSeed, type ModelPlugin, type ModelSettings, type Samples } from './model-plugin';

const context: StrategyContext = { frequency: 'monthly', seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

function series(n: number): PriceSeries {
  const close = Float64Array.from({ length: n }, (_, i) => 100 * Math.exp(0.01 * i + 0.05 * Math.sin(i * 1.7)));
  const dates = Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close, columns: {} };
}

type Seen = { fit: number; seed: number; x: Samples; y: Float64Array };

/**
 * Least squares through the origin of y on the last step's first feature, plus a fit-dependent
 * offset (so a mix-up of fits shows); on the direction target, a probability from it. Records
 * what each fit was given.
 */
function slopeModel(seen: Seen[], options: { files?: boolean; input?: 'row' | 'sequence' } = {}): ModelPlugin {
  return defineModel({
    id: 'slope',
    description: 'test model',
    input: options.input ?? 'row',
    targets: ['price', 'direction'],
    params: defineParams({ lookback: { type: 'integer', default: 3, min: 1, description: 'steps' } }),
    create(_p, settings: ModelSettings) {
      let slope = 0;
      const first = (x: Samples, r: number): number => x.data[(r * x.steps + x.steps - 1) * x.cols]!;
      return {
        fit(x, y) {
          let sxy = 0;
          let sxx = 0;
          for (let r = 0; r < x.rows; r++) {
            sxy += first(x, r) * y[r]!;
            sxx += first(x, r) ** 2;
          }
          slope = sxy / sxx;
          seen.push({ fit: settings.fit, seed: settings.seed, x, y });
          return { history: { loss: [sxx, sxy] } };
        },
        predict: (x) =>
          Float64Array.from({ length: x.rows }, (_, r) => {
            const v = slope * first(x, r) + 0.001 * settings.fit;
            return settings.target === 'direction' ? 1 / (1 + Math.exp(-v)) : v;
          }),
        ...(options.files ? { files: () => ({ 'fit.json': JSON.stringify({ fit: settings.fit }) }) } : {}),
      };
    },
  });
}

async function walk(s: PriceSeries, first: number, o: Partial<ForecastStrategyOptions> & { plugin?: ModelPlugin; seen?: Seen[] } = {}) {
  const seen = o.seen ?? [];
  const plugin = o.plugin ?? slopeModel(seen);
  const strategy = createForecastStrategy({
    id: 'test',
    features: closeAndSmaFeatures(3),
    model: { plugin, params: { lookback: 3 } },
    refit: 4,
    window: { kind: 'expanding' },
    minTrain: 5,
    sizing: { kind: 'binary', threshold: 0, short: false },
    context,
    ...o,
  });
  const views = Array.from({ length: s.close.length - 1 - first }, (_, k) => createMarketView(s, first + k));
  await strategy.prepare!(views);
  const weights = views.map((v) => strategy.decide(v));
  return { weights, output: strategy.finish!(), seen: seen.sort((a, b) => a.fit - b.fit), strategy };
}

describe('createForecastStrategy', () => {
  it("trains each fit on its refit view's rows only and forecasts from each view's own rows", async () => {
    const s = series(60);
    const base = await walk(s, 20);
    expect(base.output.fits).toBe(Math.ceil(39 / 4));
    expect(new Set(base.weights).size).toBeGreaterThan(1);
    // Change every row after t = 31 (the refit view of fit 3 is row 32): fits 0..2 and
    // decisions up to row 31 must not move; the later ones must.
    const changed: PriceSeries = { ...s, close: s.close.map((c, i) => (i > 31 ? c * (1 + 0.3 * Math.cos(i)) : c)) };
    const other = await walk(changed, 20);
    expect(other.seen.slice(0, 3)).toEqual(base.seen.slice(0, 3));
    expect(other.weights.slice(0, 12)).toEqual(base.weights.slice(0, 12));
    expect(other.output.forecasts!.slice(0, 12)).toEqual(base.output.forecasts!.slice(0, 12));
    expect(other.output.forecasts!.slice(12)).not.toEqual(base.output.forecasts!.slice(12));
  });

  it('seeds fit i with fitSeed(run seed, i), one seed per fit', async () => {
    const { seen } = await walk(series(60), 20);
    expect(seen.map((f) => f.seed)).toEqual(seen.map((f) => fitSeed(1, f.fit)));
    expect(new Set(seen.map((f) => f.seed)).size).toBe(seen.length);
  });

  it('refuses a decision for a view that prepare did not see', async () => {
    const s = series(40);
    const strategy = createForecastStrategy({
      id: 'test',
      features: closeAndSmaFeatures(3),
      model: { plugin: slopeModel([]), params: { lookback: 3 } },
      refit: 2,
      window: { kind: 'expanding' },
      minTrain: 5,
      sizing: { kind: 'binary', threshold: 0, short: false },
      context,
    });
    await strategy.prepare!([createMarketView(s, 20), createMarketView(s, 21)]);
    expect(() => strategy.decide(createMarketView(s, 30))).toThrow(/was not among the views given to prepare/);
  });

  it("refuses a target the model cannot learn, and a sequence model's lookback below 1", () => {
    const priceOnly = { ...slopeModel([]), targets: ['price'] as const };
    const make = (plugin: ModelPlugin, params: Record<string, number>, target: 'price' | 'direction') => () =>
      createForecastStrategy({
        id: 'test',
        features: closeAndSmaFeatures(3),
        model: { plugin, params },
        target,
        refit: 2,
        window: { kind: 'expanding' },
        minTrain: 5,
        sizing: { kind: 'binary', threshold: 0, short: false },
        context,
      });
    expect(make(priceOnly, { lookback: 3 }, 'direction')).toThrow('test: model "slope" cannot learn target "direction" (it learns: price)');
    expect(make(slopeModel([], { input: 'sequence' }), { lookback: 0 }, 'price')).toThrow(/lookback must be a positive integer, got 0/);
  });
});

describe('sequence samples', () => {
  it('hold the last `lookback` feature rows of the view, oldest first, and start `lookback - 1` rows later', async () => {
    const s = series(60);
    const seen: Seen[] = [];
    const plugin = slopeModel(seen, { input: 'sequence' });
    const { output } = await walk(s, 20, { plugin, seen, refit: 12 });
    const features = closeAndSmaFeatures(3);
    // Fit 0 trains at row 20 on the rows of the view 0..20: features built from those closes.
    const rows = features.build(s.close.subarray(0, 21));
    const fit0 = seen[0]!;
    expect(fit0.x.steps).toBe(3);
    expect(fit0.x.cols).toBe(2);
    // The SMA's z-score is defined from row 4: a sample of 3 steps ends at row 6 at the earliest.
    expect(output.models![0]).toMatchObject({ trainFrom: '2000-07', trainTo: '2001-08', rows: 14 });
    for (let r = 0; r < fit0.x.rows; r++) {
      const end = 6 + r;
      for (let k = 0; k < 3; k++) {
        for (let c = 0; c < 2; c++) expect(fit0.x.data[(r * 3 + k) * 2 + c]).toBe(rows.data[(end - 2 + k) * 2 + c]);
      }
      expect(fit0.y[r]).toBeCloseTo((s.close[end + 1]! - rows.center[end]!) / rows.scale[end]!, 12);
    }
    // A forecast reports the decision month's features (the last step).
    const first = output.forecasts![0]!;
    const atDecision = features.build(s.close.subarray(0, 21));
    expect(first.features).toEqual({ close: atDecision.data[20 * 2], sma: atDecision.data[20 * 2 + 1] });
  });
});

describe('the direction target', () => {
  it('trains on whether the next close is above this one and goes long when the probability beats the threshold', async () => {
    const s = series(60);
    const seen: Seen[] = [];
    const { output, weights } = await walk(s, 20, { seen, target: 'direction', sizing: { kind: 'binary', threshold: 0.5, short: false } });
    const fit0 = seen[0]!;
    fit0.y.forEach((y, r) => {
      const row = output.models![0]!;
      expect(row.rows).toBe(fit0.y.length);
      // Training rows of fit 0 are rows 4..19 (the SMA z-score is defined from row 4).
      expect(y).toBe(s.close[4 + r + 1]! > s.close[4 + r]! ? 1 : 0);
    });
    output.forecasts!.forEach((f, i) => {
      expect(Number.isNaN(f.forecast)).toBe(true);
      expect(f.probability).toBeGreaterThan(0);
      expect(f.probability).toBeLessThan(1);
      expect(weights[i]).toBe(f.probability! > 0.5 ? 1 : 0);
    });
    expect(new Set(weights).size).toBe(2);
  });
});

describe('the fit records (StrategyOutput.models)', () => {
  /** refit=12 from row 20 of series(60) (row i is month i of 2000, 2000-01 first): fits at rows 20, 32, 44, 56. */
  async function fitWalk(s: PriceSeries, window: ForecastStrategyOptions['window'], saveModels?: boolean, files = true) {
    return walk(s, 20, {
      plugin: slopeModel([], { files }),
      refit: 12,
      window,
      context: { ...context, ...(saveModels === undefined ? {} : { saveModels }) },
    });
  }

  it("names each fit's decision and training rows, expanding and rolling", async () => {
    const s = series(60);
    // closeAndSmaFeatures(3): the SMA's z-score is defined from row 4 (2 x 3 - 2), so the
    // expanding fit at row 20 (2001-09) trains on rows 4..19: 2000-05..2001-08, 16 rows; each
    // refit 12 rows later adds 12. Rolling over 8 rows: rows 12..19 (2001-01..2001-08), then
    // 12 rows later each time.
    const expanding = await fitWalk(s, { kind: 'expanding' });
    expect(expanding.output.fits).toBe(4);
    expect(expanding.output.models).toEqual([
      { fit: 0, decision: '2001-09', trainFrom: '2000-05', trainTo: '2001-08', rows: 16 },
      { fit: 1, decision: '2002-09', trainFrom: '2000-05', trainTo: '2002-08', rows: 28 },
      { fit: 2, decision: '2003-09', trainFrom: '2000-05', trainTo: '2003-08', rows: 40 },
      { fit: 3, decision: '2004-09', trainFrom: '2000-05', trainTo: '2004-08', rows: 52 },
    ]);
    const rolling = await fitWalk(s, { kind: 'rolling', rows: 8 });
    expect(rolling.output.models).toEqual([
      { fit: 0, decision: '2001-09', trainFrom: '2001-01', trainTo: '2001-08', rows: 8 },
      { fit: 1, decision: '2002-09', trainFrom: '2002-01', trainTo: '2002-08', rows: 8 },
      { fit: 2, decision: '2003-09', trainFrom: '2003-01', trainTo: '2003-08', rows: 8 },
      { fit: 3, decision: '2004-09', trainFrom: '2004-01', trainTo: '2004-08', rows: 8 },
    ]);
    // Every forecast names a fit that exists, made at or after that fit's decision.
    for (const f of expanding.output.forecasts!) expect(f.label >= expanding.output.models![f.fit!]!.decision).toBe(true);
    expect(expanding.output.model).toEqual({ kind: 'slope', features: 'close,sma' });
  });

  it('counts the rows used, not the window: rows with undefined features are skipped', async () => {
    // Flat for rows 0..6: close's trailing deviation is 0 up to row 6, so the first usable row is 7 (2000-08).
    const base = series(60);
    const s: PriceSeries = { ...base, close: base.close.map((c, i) => (i <= 6 ? 100 : c)) };
    const { output } = await fitWalk(s, { kind: 'expanding' });
    expect(output.models![0]).toEqual({ fit: 0, decision: '2001-09', trainFrom: '2000-08', trainTo: '2001-08', rows: 13 });
  });

  it("keeps every fit's model only when the context asks, changing nothing else", async () => {
    const s = series(60);
    const plain = await fitWalk(s, { kind: 'expanding' });
    expect(plain.output.savedModels).toBeUndefined();
    const kept = await fitWalk(s, { kind: 'expanding' }, true);
    expect(kept.output.savedModels).toEqual([0, 1, 2, 3].map((fit) => ({ fit, kind: 'slope', files: { 'fit.json': JSON.stringify({ fit }) } })));
    const { savedModels: _, ...rest } = kept.output;
    expect(rest).toEqual(plain.output);
  });

  it('warns, and keeps what it can, when the model cannot give its files', async () => {
    const warnings: string[] = [];
    const s = series(40);
    await walk(s, 20, { plugin: slopeModel([]), refit: 12, context: { ...context, saveModels: true, warn: (m) => warnings.push(m) } }).then(({ output }) =>
      expect(output.savedModels).toEqual([]),
    );
    expect(warnings).toEqual(['test: 2 of 2 fitted models could not be kept for saving (model "slope" does not provide its files)']);
  });
});

describe('samples shared between strategies (StrategyContext.shared)', () => {
  /** The features of closeAndSmaFeatures(window), counting their builds. */
  function counted(window: number, keyed = true): { features: FeatureSet; builds: () => number } {
    const base = closeAndSmaFeatures(window);
    let builds = 0;
    const { key: _key, ...rest } = base;
    const features: FeatureSet = {
      ...(keyed ? base : rest),
      build: (c) => {
        builds++;
        return base.build(c);
      },
    };
    return { features, builds: () => builds };
  }
  /** A model other than slopeModel's fit: the mean of y, so that two walks share samples but not forecasts. */
  const meanModel = defineModel({
    id: 'mean',
    description: 'test model',
    input: 'row',
    params: defineParams({}),
    create: () => {
      let mean = 0;
      return {
        fit: (_x, y) => {
          mean = y.reduce((a, b) => a + b, 0) / y.length;
          return { history: { loss: [mean] } };
        },
        predict: (x) => new Float64Array(x.rows).fill(mean),
      };
    },
  });

  it('a second walk of the same rows, features and schedule takes the first one samples, and gives what it gives alone', async () => {
    const s = series(70);
    const shared = new SharedWork();
    const a = counted(3);
    await walk(s, 20, { features: a.features, context: { ...context, shared } });
    expect(a.builds()).toBeGreaterThan(0);
    const b = counted(3);
    const seen: Seen[] = [];
    const together = await walk(s, 20, { features: b.features, context: { ...context, seed: 7, shared }, seen, plugin: slopeModel(seen) });
    expect(b.builds()).toBe(0);
    const aloneSeen: Seen[] = [];
    const alone = await walk(s, 20, { features: counted(3).features, context: { ...context, seed: 7 }, seen: aloneSeen, plugin: slopeModel(aloneSeen) });
    expect(together.seen).toEqual(alone.seen);
    expect(together.weights).toEqual(alone.weights);
    expect(together.output).toEqual(alone.output);
    // Another model on the same samples: its own forecasts, still the samples' one build.
    const c = counted(3);
    const other = await walk(s, 20, { features: c.features, context: { ...context, shared }, plugin: meanModel });
    const otherAlone = await walk(s, 20, { features: counted(3).features, plugin: meanModel });
    expect(c.builds()).toBe(0);
    expect(other.output).toEqual(otherAlone.output);
    expect(other.output.forecasts).not.toEqual(alone.output.forecasts);
  });

  it('builds its own samples for other rows, other features, another schedule, or features without a key', async () => {
    const s = series(70);
    const changed: PriceSeries = { ...s, close: s.close.map((c, i) => (i === 40 ? c * 1.01 : c)) };
    const cases: [string, PriceSeries, number, Partial<ForecastStrategyOptions>, boolean][] = [
      ['other rows', changed, 20, {}, true],
      ['another first decision', s, 21, {}, true],
      ['another window', s, 20, { window: { kind: 'rolling', rows: 12 } }, true],
      ['another refit', s, 20, { refit: 3 }, true],
      ['another target', s, 20, { target: 'direction', sizing: { kind: 'binary', threshold: 0.5, short: false } }, true],
      ['no key', s, 20, {}, false],
    ];
    for (const [what, rows, first, o, keyed] of cases) {
      // Each case after the walk it would otherwise share with.
      const shared = new SharedWork();
      await walk(s, 20, { features: counted(3).features, context: { ...context, shared } });
      const f = counted(3, keyed);
      const got = await walk(rows, first, { ...o, features: f.features, context: { ...context, shared } });
      const alone = await walk(rows, first, { ...o, features: counted(3).features });
      expect([what, f.builds() > 0]).toEqual([what, true]);
      expect([what, got.output]).toEqual([what, alone.output]);
    }
    // Features of another window have another key.
    expect(closeAndSmaFeatures(4).key).not.toBe(closeAndSmaFeatures(3).key);
    expect(closeAndSmaFeatures(3).key).toBe(closeAndSmaFeatures(3).key);
  });
});

describe('threadsFor', () => {
  const job = (rows: number) => ({
    model: { id: 'slope', params: {} },
    settings: { inputs: 2, steps: 1, target: 'price' as const, seed: 0, fit: 0, backend: 'cpu' },
    x: { rows, steps: 1, cols: 2, data: new Float64Array(rows * 2) },
    y: new Float64Array(rows),
    predict: { rows: 0, steps: 1, cols: 2, data: new Float64Array(0) },
  });
  const withModule = { ...slopeModel([]), module: '/somewhere/index.js' };
  it('stays in this thread for one thread, or a plugin no worker can build', () => {
    expect(threadsFor(withModule, [job(10)], 1, {})).toBe(1);
    expect(threadsFor(slopeModel([]), [job(10)], 4, {})).toBe(1);
    expect(threadsFor(withModule, [job(10)], 4, {})).toBe(4);
  });
  it('weighs the work when the plugin estimates it, BACKTEST_WORKER_MIN_WORK setting the bar', () => {
    const estimated = { ...withModule, work: (_p: unknown, _s: unknown, rows: number) => rows * 1e8 };
    expect(threadsFor(estimated, [job(10), job(20)], 2, {})).toBe(1);
    expect(threadsFor(estimated, [job(100), job(20)], 2, {})).toBe(2);
    expect(threadsFor(estimated, [job(10)], 2, { BACKTEST_WORKER_MIN_WORK: '0' })).toBe(2);
    expect(() => threadsFor(estimated, [job(10)], 2, { BACKTEST_WORKER_MIN_WORK: 'lots' })).toThrow('BACKTEST_WORKER_MIN_WORK must be a number >= 0, got "lots"');
  });
});

describe('fitSeed', () => {
  it('gives unrelated seeds to neighbouring runs and fits (not seed + fit)', () => {
    expect(fitSeed(42, 1)).not.toBe(fitSeed(43, 0));
    const seeds = new Set<number>();
    for (let seed = 0; seed < 50; seed++) for (let fit = 0; fit < 50; fit++) seeds.add(fitSeed(seed, fit));
    expect(seeds.size).toBe(2500);
    for (const v of seeds) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    expect(fitSeed(42, 7)).toBe(fitSeed(42, 7));
  });
});

describe("a model's faults, said with the model and the fit", () => {
  const s = series(40);
  const views = Array.from({ length: 19 }, (_, k) => createMarketView(s, 20 + k));
  const make = (plugin: ModelPlugin, target: 'price' | 'direction' = 'price', extra: Partial<ForecastStrategyOptions> = {}) =>
    createForecastStrategy({
      id: 'test',
      features: closeAndSmaFeatures(3),
      model: { plugin, params: { lookback: 3 } },
      target,
      refit: 8,
      window: { kind: 'expanding' },
      minTrain: 5,
      sizing: { kind: 'binary', threshold: 0.5, short: false },
      context,
      ...extra,
    });
  const predicting = (value: number, origin?: string): ModelPlugin => ({
    ...slopeModel([]),
    ...(origin ? { origin } : {}),
    create: () => ({ fit: () => ({ history: { loss: [] } }), predict: (x: Samples) => new Float64Array(x.rows).fill(value) }),
  });

  it('refuses forecasts that are not finite, or not probabilities for the direction target, before the walk uses them', async () => {
    await expect(make(predicting(Number.NaN)).prepare!(views)).rejects.toThrow('model "slope": fit 0: forecast 1 of 8 is NaN, not a finite number');
    await expect(make(predicting(1.5), 'direction').prepare!(views)).rejects.toThrow(
      'model "slope": fit 0: forecast 1 of 8 is 1.5, not a probability in [0, 1] (end the network in a sigmoid)',
    );
    await expect(make(predicting(0.7), 'direction').prepare!(views)).resolves.toBeUndefined();
  });

  it("turns a plugin's own failure into a user error naming the plugin, the model, the step and the fit", async () => {
    const broken: ModelPlugin = {
      ...slopeModel([]),
      origin: '../my-net',
      create: () => ({
        fit: () => {
          throw new TypeError('x.map is not a function');
        },
        predict: (x: Samples) => new Float64Array(x.rows),
      }),
    };
    const err = await rejectionOf(make(broken).prepare!(views), UserError);
    expect(err.message).toBe('plugin ../my-net: model "slope" failed in fit() of fit 0: x.map is not a function');
    // A built-in model's program error stays one (exit code 1, with its stack).
    const builtIn: ModelPlugin = { ...broken, origin: undefined as never };
    delete (builtIn as { origin?: string }).origin;
    expect(await make(builtIn).prepare!(views).catch((e: unknown) => e)).not.toBeInstanceOf(UserError);
    const checking: ModelPlugin = {
      ...slopeModel([]),
      origin: '../my-net',
      check: () => {
        throw new Error('bad');
      },
    };
    expect(() => make(checking)).toThrow('plugin ../my-net: model "slope" failed in check(): bad');
  });

  it("names the fit of a model's user error (a logistic separation, say)", async () => {
    const refusing: ModelPlugin = {
      ...slopeModel([]),
      create: (_p, settings) => ({
        fit: () => {
          if (settings.fit === 1) throw new UserError('no finite fit');
          return { history: { loss: [] } };
        },
        predict: (x: Samples) => new Float64Array(x.rows),
      }),
    };
    await expect(make(refusing).prepare!(views)).rejects.toThrow('model "slope": fit 1: no finite fit');
  });

  it('refuses a walk whose training samples would not fit in memory, naming what to change', async () => {
    const big = series(3000);
    const many = Array.from({ length: 2900 }, (_, k) => createMarketView(big, 50 + k));
    const strategy = createForecastStrategy({
      id: 'test',
      features: closeAndSmaFeatures(3),
      model: { plugin: slopeModel([], { input: 'sequence' }), params: { lookback: 240 } },
      refit: 1,
      window: { kind: 'expanding' },
      minTrain: 5,
      sizing: { kind: 'binary', threshold: 0, short: false },
      context,
    });
    await expect(strategy.prepare!(many)).rejects.toThrow(
      /^test: the walk's 2900 fits would hold about [\d.]+ GB of training samples .* more than the 2 GB allowed: refit less often/,
    );
  });
});

describe('an ensemble (--seeds N --ensemble)', () => {
  it('forecasts the mean of the models the seeds seed, ..., seed+N-1 train for each fit', async () => {
    // A "model" whose forecast is its own seed scaled to [0, 1): the mean says which seeds were averaged.
    const bySeed: ModelPlugin = {
      ...slopeModel([]),
      create: (_p, settings) => ({ fit: () => ({ history: { loss: [] } }), predict: (x: Samples) => new Float64Array(x.rows).fill(settings.seed / 2 ** 32) }),
    };
    const s = series(40);
    const views = Array.from({ length: 19 }, (_, k) => createMarketView(s, 20 + k));
    const strategy = createForecastStrategy({
      id: 'test',
      features: closeAndSmaFeatures(3),
      model: { plugin: bySeed, params: { lookback: 3 } },
      target: 'direction',
      members: 3,
      refit: 8,
      window: { kind: 'expanding' },
      minTrain: 5,
      sizing: { kind: 'binary', threshold: 0.5, short: false },
      context: { ...context, seed: 7 },
    });
    await strategy.prepare!(views);
    views.forEach((v) => strategy.decide(v));
    const out = strategy.finish!();
    for (const f of out.forecasts!) {
      const expected = [7, 8, 9].reduce((sum, seed) => sum + fitSeed(seed, f.fit!) / 2 ** 32, 0) / 3;
      expect(f.probability).toBeCloseTo(expected, 15);
    }
    expect(out.fits).toBe(3);
  });
});

describe('nested walk-forward selection (--select)', () => {
  /** Least squares through the origin on the first feature, plus a fixed bias: the bias is the parameter to select. */
  function biased(seen: Seen[]): ModelPlugin {
    return defineModel({
      id: 'biased',
      description: 'test model',
      input: 'row',
      params: defineParams({ bias: { type: 'number', default: 0, description: 'added to every forecast' } }),
      create(p, settings) {
        let slope = 0;
        return {
          fit(x, y) {
            let sxy = 0;
            let sxx = 0;
            for (let r = 0; r < x.rows; r++) {
              sxy += x.data[r * x.cols]! * y[r]!;
              sxx += x.data[r * x.cols]! ** 2;
            }
            slope = sxy / sxx;
            seen.push({ fit: settings.fit, seed: settings.seed, x, y });
            return { history: { loss: [] } };
          },
          predict: (x) => Float64Array.from({ length: x.rows }, (_, r) => slope * x.data[r * x.cols]! + p.bias),
        };
      },
    }) as unknown as ModelPlugin;
  }

  it('scores each candidate on the latest training rows only, fitted on the ones before, and uses the best, refitted on them all', async () => {
    const seen: Seen[] = [];
    const s = series(80);
    const candidates = [0.8, 0, 3].map((bias) => ({ label: `bias=${bias}`, params: { bias } }));
    const { output } = await walk(s, 40, { plugin: biased(seen), refit: 12, minTrain: 8, select: { candidates, validation: 0.25 } });
    const sel = output.selection!;
    expect(sel.configurations).toEqual(['bias=0.8', 'bias=0', 'bias=3']);
    expect(sel.choices.map((c) => c.refit)).toEqual(output.models!.map((m) => m.decision));
    // Fit 0 by hand: its full training set is the last fit recorded for it (the final refit).
    const final0 = seen.filter((f) => f.fit === 0).find((f) => f.y.length === output.models![0]!.rows)!;
    const n = final0.y.length;
    const held = Math.max(12, Math.round(0.25 * n));
    const kept = n - held;
    let sxy = 0;
    let sxx = 0;
    for (let r = 0; r < kept; r++) {
      sxy += final0.x.data[r * 2]! * final0.y[r]!;
      sxx += final0.x.data[r * 2]! ** 2;
    }
    const slope = sxy / sxx;
    const mse = (bias: number) => {
      let sum = 0;
      for (let r = kept; r < n; r++) sum += (slope * final0.x.data[r * 2]! + bias - final0.y[r]!) ** 2;
      return sum / held;
    };
    sel.choices[0]!.scores.forEach((score, c) => expect(score).toBeCloseTo(mse(candidates[c]!.params.bias), 12));
    // The chosen candidate is the lowest score's, and the final fit uses it.
    for (const c of sel.choices) expect(c.chosen).toBe(sel.configurations[c.scores.indexOf(Math.min(...c.scores))]);
    // Every sample any fit saw is a training row of that fit: before its refit row.
    for (const f of seen) expect(f.x.rows).toBeLessThanOrEqual(output.models![f.fit]!.rows);
  });

  it('refuses a selection that leaves too few rows to fit on', async () => {
    const candidates = [0, 1].map((bias) => ({ label: `bias=${bias}`, params: { bias } }));
    await expect(walk(series(40), 20, { plugin: biased([]), refit: 12, minTrain: 10, select: { candidates, validation: 0.25 } })).rejects.toThrow(
      /--select needs 10 training rows besides the 12 it holds out to score the candidates/,
    );
  });
});
