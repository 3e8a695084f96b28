import { computeMetrics, type Metrics } from './computeMetrics';

const KEYS: (keyof Metrics)[] = [
  'totalReturn',
  'cagr',
  'volatility',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'maxDrawdownPeriods',
  'maxDrawdownMonths',
  'calmar',
  'exposure',
  'turnover',
  'trades',
  'hitRate',
  'winRate',
  'alpha',
  'beta',
  'informationRatio',
  'valueAtRisk95',
  'expectedShortfall95',
];

describe('computeMetrics: hand-computed example', () => {
  /*
   * r = [0.10, -0.05, 0.02, 0.03], b = [0.05, -0.02, 0.01, 0.04], w = [1, 1, 0, 0.5], ppy = 12.
   * mean r = 0.10/4 = 0.025; r - mean = [0.075, -0.075, -0.005, 0.005];
   *   sum of squares = 0.005625 + 0.005625 + 0.000025 + 0.000025 = 0.0113; var = 0.0113/3.
   * volatility = sqrt(0.0113/3 * 12) = sqrt(0.0452)
   * sharpe     = 0.025 * 12 / sqrt(0.0452) = 0.3 / sqrt(0.0452)       (mean*ppy / (sd*sqrt(ppy)))
   * sortino    : shortfalls [0, -0.05, 0, 0] -> sqrt(0.0025/4) = 0.025 -> 0.025/0.025*sqrt(12)
   * equity     : 1, 1.1, 1.045, 1.0659, 1.097877 -> total 0.097877, cagr = 1.097877^(12/4) - 1
   * max DD     : 1.045/1.1 - 1 = -0.05; peak at index 1, never regained -> duration 4 - 1 = 3
   * calmar     = cagr / 0.05; hit rate = 3/4
   * beta       : b - mean b (0.02) = [0.03, -0.04, -0.01, 0.02]; Sbb = 0.003;
   *              Sbr = 0.03*0.075 + 0.04*0.075 + 0.01*0.005 + 0.02*0.005 = 0.0054 -> beta = 1.8
   * alpha      = (0.025 - 1.8*0.02) * 12 = -0.011 * 12 = -0.132
   * active     = [0.05, -0.03, 0.01, -0.01], mean 0.005, deviations [0.045,-0.035,0.005,-0.015],
   *              SS = 0.0035 -> IR = 0.005 / sqrt(0.0035/3) * sqrt(12)
   * exposure   = (1 + 1 + 0 + 0.5)/4 = 0.625; turnover = (|1-0| + 0 + |0-1| + |0.5-0|)/4 = 0.625
   * trades     = 3 (0->1, 1->0, 0->0.5)
   * VaR 95%    : sorted [-0.05, 0.02, 0.03, 0.10], h = 3 x 0.05 = 0.15 -> -0.05 + 0.15 x 0.07 = -0.0395
   * ES 95%     : the returns <= -0.0395: [-0.05] -> -0.05
   */
  const m = computeMetrics({
    returns: Float64Array.from([0.1, -0.05, 0.02, 0.03]),
    benchmark: Float64Array.from([0.05, -0.02, 0.01, 0.04]),
    weights: Float64Array.from([1, 1, 0, 0.5]),
    periodsPerYear: 12,
  });

  it('counts a win among the periods with a return only (quantstats), a hit among all of them', () => {
    // Two months in cash (0), two up, one down: hit rate 2/5, win rate 2/3.
    const c = computeMetrics({ returns: Float64Array.from([0, 0.02, 0, -0.01, 0.03]), periodsPerYear: 12 });
    expect(c.hitRate).toBeCloseTo(2 / 5, 15);
    expect(c.winRate).toBeCloseTo(2 / 3, 15);
    expect(computeMetrics({ returns: Float64Array.from([0, 0]), periodsPerYear: 12 }).winRate).toBeNaN();
  });

  it('has exactly the documented keys', () => {
    expect(Object.keys(m).sort()).toEqual([...KEYS].sort());
  });

  it.each<[keyof Metrics, number]>([
    ['totalReturn', 0.097877],
    ['cagr', 1.097877 ** 3 - 1],
    ['volatility', Math.sqrt(0.0452)],
    ['sharpe', 0.3 / Math.sqrt(0.0452)],
    ['sortino', Math.sqrt(12)],
    ['maxDrawdown', -0.05],
    ['maxDrawdownPeriods', 3],
    ['maxDrawdownMonths', 3],
    ['calmar', (1.097877 ** 3 - 1) / 0.05],
    ['exposure', 0.625],
    ['turnover', 0.625],
    ['trades', 3],
    ['hitRate', 0.75],
    ['winRate', 0.75],
    ['alpha', -0.132],
    ['beta', 1.8],
    ['informationRatio', (0.005 / Math.sqrt(0.0035 / 3)) * Math.sqrt(12)],
    ['valueAtRisk95', -0.0395],
    ['expectedShortfall95', -0.05],
  ])('%s', (key, expected) => {
    expect(m[key]).toBeCloseTo(expected, 12);
  });

  it('subtracts a constant cash rate in Sharpe and Sortino but not in volatility', () => {
    // excess = [0.099, -0.051, 0.019, 0.029]: mean 0.024, same sd; shortfall sqrt(0.051^2/4) = 0.0255
    const c = computeMetrics({ returns: [0.1, -0.05, 0.02, 0.03], cash: 0.001, periodsPerYear: 12 });
    expect(c.sharpe).toBeCloseTo((0.024 * 12) / Math.sqrt(0.0452), 12);
    expect(c.sortino).toBeCloseTo((0.024 / 0.0255) * Math.sqrt(12), 12);
    expect(c.volatility).toBeCloseTo(Math.sqrt(0.0452), 12);
  });
});

describe('computeMetrics: closed forms', () => {
  it('constant return r: cagr = (1+r)^ppy - 1, no drawdown, undefined ratios', () => {
    const r = 0.01;
    const m = computeMetrics({ returns: new Float64Array(24).fill(r), periodsPerYear: 12 });
    expect(m.cagr).toBeCloseTo((1 + r) ** 12 - 1, 13);
    expect(m.totalReturn).toBeCloseTo((1 + r) ** 24 - 1, 13);
    expect(m.volatility).toBe(0);
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownMonths).toBe(0);
    expect(m.sharpe).toBeNaN(); // sd = 0
    expect(m.sortino).toBeNaN(); // no shortfall
    expect(m.calmar).toBeNaN(); // no drawdown
    expect(m.hitRate).toBe(1);
  });

  it('a constant return whose mean rounds (0.1/3 style) still has exactly zero volatility', () => {
    const m = computeMetrics({ returns: [0.07, 0.07, 0.07], periodsPerYear: 12 });
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBeNaN();
  });

  it('alternating +a, -a over 2k periods', () => {
    // mean 0 -> Sharpe 0 and Sortino 0; each pair multiplies equity by (1 - a^2);
    // var = 2k a^2 / (2k - 1); the peak 1 + a is reached at index 1 and never regained, and
    // the deepest point is the last: (1 - a^2)^k / (1 + a) - 1, lasting 2k - 1 periods.
    const a = 0.1;
    const k = 30;
    const returns = Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? a : -a));
    const m = computeMetrics({ returns, periodsPerYear: 12 });
    expect(m.sharpe).toBeCloseTo(0, 14);
    expect(m.sortino).toBeCloseTo(0, 14);
    expect(m.totalReturn).toBeCloseTo((1 - a * a) ** k - 1, 13);
    expect(m.cagr).toBeCloseTo((1 - a * a) ** 6 - 1, 13);
    expect(m.volatility).toBeCloseTo(Math.sqrt(((2 * k * a * a) / (2 * k - 1)) * 12), 13);
    expect(m.maxDrawdown).toBeCloseTo((1 - a * a) ** k / (1 + a) - 1, 13);
    expect(m.maxDrawdownMonths).toBe(2 * k - 1);
    expect(m.hitRate).toBe(0.5);
  });

  it('alternating -a, +a: the drawdown starts at the prepended start value 1', () => {
    const a = 0.2;
    const k = 5;
    const returns = Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? -a : a));
    // The running maximum stays at the start value 1; the deepest point follows the last -a,
    // at index 2k - 1: (1 - a^2)^(k-1) (1 - a). Never regained, so it lasts until the end (2k).
    const m = computeMetrics({ returns, periodsPerYear: 12 });
    expect(m.maxDrawdown).toBeCloseTo((1 - a * a) ** (k - 1) * (1 - a) - 1, 13);
    expect(m.maxDrawdownMonths).toBe(2 * k);
  });

  it('buy-and-hold weights: exposure 1, turnover 1/N, one trade; beta 1 and alpha 0 against itself', () => {
    const returns = [0.03, -0.02, 0.05, 0.01, -0.04];
    const m = computeMetrics({ returns, benchmark: returns, weights: new Float64Array(5).fill(1), periodsPerYear: 12 });
    expect(m.exposure).toBe(1);
    expect(m.turnover).toBeCloseTo(1 / 5, 15);
    expect(m.trades).toBe(1);
    expect(m.beta).toBeCloseTo(1, 14);
    expect(m.alpha).toBeCloseTo(0, 14);
    expect(m.informationRatio).toBeNaN(); // zero tracking error
  });

  it('a short strategy (weight -1) has exposure 1 and turnover counts the sign flip as 2', () => {
    const m = computeMetrics({ returns: [0, 0, 0], weights: [-1, 1, 1], periodsPerYear: 12 });
    expect(m.exposure).toBe(1);
    expect(m.turnover).toBeCloseTo((1 + 2 + 0) / 3, 15);
    expect(m.trades).toBe(2);
  });
});

describe('computeMetrics: edge cases', () => {
  it('empty series: no throw; totals 0, everything undefined is NaN', () => {
    const m = computeMetrics({ returns: new Float64Array(0), benchmark: new Float64Array(0), weights: [], periodsPerYear: 12 });
    expect(m.totalReturn).toBe(0);
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownMonths).toBe(0);
    expect(m.trades).toBe(0);
    for (const k of ['cagr', 'volatility', 'sharpe', 'sortino', 'calmar', 'exposure', 'turnover', 'hitRate', 'alpha', 'beta', 'informationRatio'] as const) {
      expect(m[k]).toBeNaN();
    }
  });

  it('one row', () => {
    const m = computeMetrics({ returns: [-0.1], benchmark: [0.02], weights: [1], periodsPerYear: 12 });
    expect(m.totalReturn).toBeCloseTo(-0.1, 15);
    expect(m.cagr).toBeCloseTo(0.9 ** 12 - 1, 14);
    expect(m.volatility).toBeNaN();
    expect(m.sharpe).toBeNaN();
    // one shortfall of -0.1: downside = sqrt(0.01/1) = 0.1 -> -0.1/0.1 * sqrt(12)
    expect(m.sortino).toBeCloseTo(-Math.sqrt(12), 14);
    expect(m.maxDrawdown).toBeCloseTo(-0.1, 15);
    expect(m.maxDrawdownMonths).toBe(1);
    expect(m.calmar).toBeCloseTo((0.9 ** 12 - 1) / 0.1, 13);
    expect(m.hitRate).toBe(0);
    expect(m.trades).toBe(1);
    expect(m.beta).toBeNaN();
    expect(m.informationRatio).toBeNaN();
  });

  it('no benchmark / no weights: their metrics are NaN', () => {
    const m = computeMetrics({ returns: [0.01, 0.02], periodsPerYear: 12 });
    expect(m.alpha).toBeNaN();
    expect(m.beta).toBeNaN();
    expect(m.informationRatio).toBeNaN();
    expect(m.exposure).toBeNaN();
    expect(m.trades).toBeNaN();
  });

  it('rejects NaN, infinities, mismatched lengths and bad periodsPerYear with a RangeError', () => {
    expect(() => computeMetrics({ returns: [0.01, NaN], periodsPerYear: 12 })).toThrow(/returns\[1\] is NaN/);
    expect(() => computeMetrics({ returns: [0.01, Infinity], periodsPerYear: 12 })).toThrow(RangeError);
    expect(() => computeMetrics({ returns: [0.01], benchmark: [NaN], periodsPerYear: 12 })).toThrow(/benchmark\[0\]/);
    expect(() => computeMetrics({ returns: [0.01], weights: [NaN], periodsPerYear: 12 })).toThrow(/weights\[0\]/);
    expect(() => computeMetrics({ returns: [0.01], cash: [NaN], periodsPerYear: 12 })).toThrow(/cash\[0\]/);
    expect(() => computeMetrics({ returns: [0.01, 0.02], benchmark: [0.01], periodsPerYear: 12 })).toThrow(/same periods/);
    expect(() => computeMetrics({ returns: [0.01], cash: [0, 0], periodsPerYear: 12 })).toThrow(RangeError);
    expect(() => computeMetrics({ returns: [0.01], periodsPerYear: 0 })).toThrow(/periodsPerYear/);
  });
});

describe('computeMetrics: agrees with a second, plain implementation on a seeded random series', () => {
  // A deliberately naive re-implementation written from the formulas in MISSION.md, using plain
  // arrays and reduce, sharing no code with the package.
  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
  }
  const rand = lcg(20240601);
  const N = 240;
  const r = Array.from({ length: N }, () => (rand() - 0.45) * 0.12);
  const b = Array.from({ length: N }, (_, i) => 0.6 * (r[i] as number) + (rand() - 0.5) * 0.05);
  const w = Array.from({ length: N }, () => [0, 0.5, 1][Math.floor(rand() * 3)] as number);
  const cash = Array.from({ length: N }, () => rand() * 0.004);
  const ppy = 12;

  const avg = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const sd = (x: number[]) => {
    const m = avg(x);
    return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
  };
  const ex = r.map((v, i) => v - (cash[i] as number));
  const growth = r.reduce((g, v) => g * (1 + v), 1);
  const equity = [1];
  for (const v of r) equity.push((equity[equity.length - 1] as number) * (1 + v));
  let mdd = 0;
  for (let j = 0; j < equity.length; j++) {
    const peak = Math.max(...equity.slice(0, j + 1));
    mdd = Math.min(mdd, (equity[j] as number) / peak - 1);
  }
  const mb = avg(b);
  const mr = avg(r);
  const beta = b.reduce((s, v, i) => s + (v - mb) * ((r[i] as number) - mr), 0) / b.reduce((s, v) => s + (v - mb) ** 2, 0);
  const active = r.map((v, i) => v - (b[i] as number));
  const expected: Partial<Metrics> = {
    totalReturn: growth - 1,
    cagr: growth ** (ppy / N) - 1,
    volatility: sd(r) * Math.sqrt(ppy),
    sharpe: (avg(ex) / sd(ex)) * Math.sqrt(ppy),
    sortino: (avg(ex) / Math.sqrt(ex.reduce((s, v) => s + Math.min(v, 0) ** 2, 0) / N)) * Math.sqrt(ppy),
    maxDrawdown: mdd,
    calmar: (growth ** (ppy / N) - 1) / Math.abs(mdd),
    exposure: avg(w.map(Math.abs)),
    turnover: avg(w.map((v, i) => Math.abs(v - (i === 0 ? 0 : (w[i - 1] as number))))),
    trades: w.filter((v, i) => v !== (i === 0 ? 0 : w[i - 1])).length,
    hitRate: r.filter((v) => v > 0).length / N,
    beta,
    alpha: (mr - beta * mb) * ppy,
    informationRatio: (avg(active) / sd(active)) * Math.sqrt(ppy),
  };
  const m = computeMetrics({
    returns: Float64Array.from(r),
    benchmark: Float64Array.from(b),
    weights: Float64Array.from(w),
    cash: Float64Array.from(cash),
    periodsPerYear: ppy,
  });
  it.each(Object.keys(expected) as (keyof Metrics)[])('%s to 1e-12', (key) => {
    const e = expected[key] as number;
    expect(Number.isFinite(e)).toBe(true);
    expect(Math.abs(m[key] - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
  });
});
