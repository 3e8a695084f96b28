/**
 * The tearsheet's building blocks (worst drawdowns, calendar returns, histogram, rolling
 * volatility and beta, VaR/ES, round trips), each against hand-computed cases and a second plain
 * implementation written here from the definition.
 */
import { calendarReturns, yearlyReturns } from './calendar';
import { computeMetrics } from './computeMetrics';
import { drawdownEpisodes, maxDrawdown, worstDrawdowns } from './drawdown';
import { histogram } from './histogram';
import { historicalVarEs } from './risk';
import { rollingBeta, rollingVolatility } from './rolling';
import { mulberry32 } from './stats/random';
import { roundTrips } from './trades';

function randomReturns(n: number, seed: number, scale = 0.05, drift = 0.004): number[] {
  const g = mulberry32(seed);
  const rnd = () => g.next();
  return Array.from({ length: n }, () => drift + scale * (rnd() + rnd() + rnd() - 1.5));
}

/** Episodes by brute force: for every point below the running max, which max it is under; group by that peak. */
function plainEpisodes(r: number[]) {
  const e = [1];
  for (const x of r) e.push(e[e.length - 1]! * (1 + x));
  const out: { peak: number; trough: number; recovery: number; depth: number; periods: number }[] = [];
  let i = 1;
  while (i < e.length) {
    // The peak: the last index before i holding the maximum of e[0..i-1].
    const m = Math.max(...e.slice(0, i));
    if (e[i]! >= m) {
      i++;
      continue;
    }
    const peak = e.slice(0, i).lastIndexOf(m);
    let j = i;
    let trough = i;
    while (j < e.length && e[j]! < m) {
      if (e[j]! / m - 1 < e[trough]! / m - 1) trough = j;
      j++;
    }
    const recovery = j < e.length ? j : -1;
    out.push({ peak, trough, recovery, depth: e[trough]! / m - 1, periods: (recovery === -1 ? r.length : recovery) - peak });
    i = j;
  }
  return out;
}

describe('drawdown episodes and the worst five', () => {
  it('a hand case: two episodes, the second deeper and never recovered', () => {
    // Equity 1, 1.1, 0.99, 1.1, 1.21, 0.968, 1.0648
    const r = [0.1, -0.1, 1 / 9, 0.1, -0.2, 0.1];
    const eps = drawdownEpisodes(r);
    expect(eps.map((e) => [e.peakIndex, e.troughIndex, e.recoveryIndex, e.periods])).toEqual([
      [1, 2, 3, 2],
      [4, 5, -1, 2],
    ]);
    expect(eps[0]!.depth).toBeCloseTo(-0.1, 12);
    expect(eps[1]!.depth).toBeCloseTo(-0.2, 12);
    const worst = worstDrawdowns(r);
    expect(worst.map((e) => e.peakIndex)).toEqual([4, 1]);
  });

  it('a loss in the first period is a drawdown from the start value 1 (peak index 0)', () => {
    expect(drawdownEpisodes([-0.1, 0.05, 0.1])).toEqual([{ peakIndex: 0, troughIndex: 1, recoveryIndex: 3, depth: 0.9 - 1, periods: 3 }]);
  });

  it('empty, one row, all positive: no episode; NaN throws', () => {
    expect(worstDrawdowns([])).toEqual([]);
    expect(worstDrawdowns([0.02])).toEqual([]);
    expect(worstDrawdowns([0.01, 0.02, 0, 0.03])).toEqual([]);
    expect(worstDrawdowns([-0.02])).toEqual([{ peakIndex: 0, troughIndex: 1, recoveryIndex: -1, depth: 0.98 - 1, periods: 1 }]);
    expect(() => worstDrawdowns([0.01, NaN])).toThrow(RangeError);
  });

  it.each([1, 2, 3, 4, 5, 6])('random series %i: equals the brute force, and the deepest is maxDrawdown with its duration', (seed) => {
    const r = randomReturns(240, seed);
    const plain = plainEpisodes(r);
    const eps = drawdownEpisodes(r);
    expect(eps.map((e) => [e.peakIndex, e.troughIndex, e.recoveryIndex, e.periods])).toEqual(plain.map((p) => [p.peak, p.trough, p.recovery, p.periods]));
    eps.forEach((e, k) => expect(e.depth).toBeCloseTo(plain[k]!.depth, 12));
    const worst = worstDrawdowns(r, 5);
    expect(worst.length).toBe(Math.min(5, plain.length));
    const depths = plain.map((p) => p.depth).sort((a, b) => a - b);
    worst.forEach((w, k) => expect(w.depth).toBeCloseTo(depths[k]!, 12));
    const m = maxDrawdown(r);
    const metrics = computeMetrics({ returns: r, periodsPerYear: 12 });
    expect(worst[0]!.depth).toBe(metrics.maxDrawdown);
    expect(worst[0]!.periods).toBe(metrics.maxDrawdownPeriods);
    expect([worst[0]!.peakIndex, worst[0]!.troughIndex, worst[0]!.recoveryIndex]).toEqual([m.peakIndex, m.troughIndex, m.recoveryIndex]);
  });

  it('a drawdown that never recovers lasts to the end, as maxDrawdown says', () => {
    const r = [0.05, 0.05, -0.3, 0.1, 0.05];
    const [w] = worstDrawdowns(r);
    expect(w).toEqual(expect.objectContaining({ peakIndex: 2, troughIndex: 3, recoveryIndex: -1, periods: 3 }));
    expect(w!.periods).toBe(computeMetrics({ returns: r, periodsPerYear: 12 }).maxDrawdownPeriods);
  });
});

describe('calendar returns', () => {
  it('compounds the periods of each month and year', () => {
    const labels = ['2019-12-30', '2019-12-31', '2020-01-02', '2020-01-03', '2020-02-03'];
    const r = [0.1, -0.1, 0.02, 0.03, -0.05];
    const months = calendarReturns(labels, r, 'month');
    expect(months.map((m) => [m.key, m.first, m.periods])).toEqual([
      ['2019-12', 0, 2],
      ['2020-01', 2, 2],
      ['2020-02', 4, 1],
    ]);
    expect(months[0]!.value).toBeCloseTo(1.1 * 0.9 - 1, 14);
    expect(months[1]!.value).toBeCloseTo(1.02 * 1.03 - 1, 14);
    expect(months[2]!.value).toBeCloseTo(-0.05, 14);
    const years = calendarReturns(labels, r, 'year');
    expect(years.map((y) => y.key)).toEqual(['2019', '2020']);
    expect(years[1]!.value).toBeCloseTo(1.02 * 1.03 * 0.95 - 1, 14);
    expect(calendarReturns([], [], 'year')).toEqual([]);
    expect(() => calendarReturns(['2020-01'], [NaN], 'month')).toThrow(RangeError);
    expect(() => calendarReturns(['2020-01'], [], 'month')).toThrow(RangeError);
  });

  it('yearly returns of strategy and benchmark, partial first and last years marked', () => {
    const labels: string[] = [];
    for (let y = 2001; y <= 2004; y++) for (let m = 1; m <= 12; m++) labels.push(`${y}-${String(m).padStart(2, '0')}`);
    const run = labels.slice(4, 40); // 2001-05 .. 2003-12 + 2004-01..04
    const s = randomReturns(run.length, 9);
    const b = randomReturns(run.length, 10);
    const years = yearlyReturns(run, s, b, labels[3]);
    expect(years.map((y) => [y.year, y.periods, y.partial])).toEqual([
      ['2001', 8, true],
      ['2002', 12, false],
      ['2003', 12, false],
      ['2004', 4, true],
    ]);
    // Plain: product over the year's labels.
    for (const y of years) {
      const idx = run.map((l, i) => (l.startsWith(y.year) ? i : -1)).filter((i) => i >= 0);
      expect(y.strategy).toBeCloseTo(idx.reduce((g, i) => g * (1 + s[i]!), 1) - 1, 13);
      expect(y.benchmark).toBeCloseTo(idx.reduce((g, i) => g * (1 + b[i]!), 1) - 1, 13);
    }
    // A run from January, the previous row in December: a whole first year; ending in December: a whole last year.
    const whole = yearlyReturns(labels.slice(12, 36), s.slice(0, 24), b.slice(0, 24), labels[11]);
    expect(whole.map((y) => y.partial)).toEqual([false, false]);
    // No previous row known: the first year is not known to be whole.
    expect(yearlyReturns(labels.slice(12, 24), s.slice(0, 12), b.slice(0, 12)).map((y) => y.partial)).toEqual([true]);
    // Daily: the last year ends with a day in the last week of December.
    expect(yearlyReturns(['2020-12-30', '2021-06-01', '2021-12-31'], [0, 0, 0], [0, 0, 0], '2020-12-29').map((y) => y.partial)).toEqual([true, false]);
    expect(yearlyReturns(['2021-01-04', '2021-12-15'], [0, 0], [0, 0], '2020-12-31').map((y) => y.partial)).toEqual([true]);
    expect(yearlyReturns([], [], [])).toEqual([]);
  });
});

describe('histogram', () => {
  it('puts every value of every series in exactly one bin of one round width', () => {
    const a = randomReturns(500, 3, 0.1);
    const b = randomReturns(300, 4, 0.06);
    const h = histogram([a, b]);
    expect(h.starts.length).toBeLessThanOrEqual(50);
    expect([1, 2, 5].some((m) => Math.abs(h.width / 10 ** Math.floor(Math.log10(h.width)) - m) < 1e-9)).toBe(true);
    [a, b].forEach((s, k) => {
      // Plain: count the values in [start, start + width) of each bin, the last bin closed at the top.
      const plain = h.starts.map((lo, j) => s.filter((v) => v >= lo && (j === h.starts.length - 1 ? v <= lo + h.width : v < h.starts[j + 1]!)).length);
      expect(h.counts[k]).toEqual(plain);
      expect(h.counts[k]!.reduce((x, y) => x + y, 0)).toBe(s.length);
    });
    expect(Math.min(...a, ...b)).toBeGreaterThanOrEqual(h.starts[0]!);
    expect(Math.max(...a, ...b)).toBeLessThan(h.starts[h.starts.length - 1]! + h.width);
  });

  it('a hand case, one value, equal values, empty, NaN', () => {
    const h = histogram([[0.01, 0.03, -0.02, 0.03], [0.1]], 12);
    // Span 0.12 over at most 10 bins: width 0.02 (the round width >= 0.012), from -0.02.
    expect(h.width).toBe(0.02);
    expect(h.starts).toEqual([-0.02, 0, 0.02, 0.04, 0.06, 0.08, 0.1]);
    expect(h.counts).toEqual([
      [1, 1, 2, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 1],
    ]);
    const one = histogram([[0.05]]);
    expect(one.counts).toEqual([[1]]);
    expect(one.starts[0]! <= 0.05 && 0.05 < one.starts[0]! + one.width).toBe(true);
    expect(histogram([[0, 0, 0]]).counts).toEqual([[3]]);
    expect(histogram([[], []])).toEqual({ starts: [], width: NaN, counts: [[], []] });
    expect(() => histogram([[NaN]])).toThrow(RangeError);
  });
});

describe('rolling volatility and beta', () => {
  const sd = (x: number[]) => {
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
  };
  it('volatility: sd(n-1) x sqrt(ppy) of each trailing window, NaN in the warm-up', () => {
    const r = randomReturns(60, 5);
    const v = rollingVolatility(r, 12, 12);
    for (let i = 0; i < r.length; i++) {
      if (i < 11) expect(v[i]).toBeNaN();
      else expect(v[i]).toBeCloseTo(sd(r.slice(i - 11, i + 1)) * Math.sqrt(12), 12);
    }
    // Hand case: [0.01, 0.03] has sd sqrt(0.0002).
    expect(rollingVolatility([0.01, 0.03], 2, 4)[1]).toBeCloseTo(Math.sqrt(0.0002) * 2, 14);
    expect(Array.from(rollingVolatility([0.01], 12, 12))).toEqual([NaN]);
    expect(rollingVolatility([], 12, 12).length).toBe(0);
    expect(() => rollingVolatility([0.01, NaN], 2, 12)).toThrow(RangeError);
  });

  it('beta: the OLS slope over each trailing window (closed form: r = 2b + 0.01 gives 2)', () => {
    const b = randomReturns(80, 6);
    const r = randomReturns(80, 7).map((x, i) => 0.5 * b[i]! + x);
    const beta = rollingBeta(r, b, 36);
    for (let i = 0; i < r.length; i++) {
      if (i < 35) {
        expect(beta[i]).toBeNaN();
        continue;
      }
      const rs = r.slice(i - 35, i + 1);
      const bs = b.slice(i - 35, i + 1);
      const mr = rs.reduce((x, y) => x + y, 0) / 36;
      const mb = bs.reduce((x, y) => x + y, 0) / 36;
      const cov = rs.reduce((acc, x, k) => acc + (x - mr) * (bs[k]! - mb), 0);
      const vb = bs.reduce((acc, x) => acc + (x - mb) ** 2, 0);
      expect(beta[i]).toBeCloseTo(cov / vb, 12);
    }
    const exact = rollingBeta(
      b.map((x) => 2 * x + 0.01),
      b,
      10,
    );
    for (let i = 9; i < b.length; i++) expect(exact[i]).toBeCloseTo(2, 12);
    // A constant benchmark, too few rows, NaN.
    expect(Array.from(rollingBeta([0.1, 0.2, 0.3], [0.01, 0.01, 0.01], 2))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(rollingBeta([0.1, 0.2], [0.01, 0.02], 36))).toEqual([NaN, NaN]);
    expect(() => rollingBeta([0.1, NaN], [0.01, 0.02], 2)).toThrow(RangeError);
    expect(() => rollingBeta([0.1], [0.01, 0.02], 2)).toThrow(RangeError);
  });
});

describe('historical VaR and expected shortfall at 95%', () => {
  /** numpy.quantile(x, 0.05) (linear), written out, and the mean of the returns at or below it. */
  function plain(x: number[]) {
    const s = [...x].sort((a, b) => a - b);
    const h = (s.length - 1) * 0.05;
    const lo = Math.floor(h);
    const q = lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
    const tail = x.filter((v) => v <= q);
    return { q, es: tail.reduce((a, b) => a + b, 0) / tail.length };
  }

  it('a hand case: 1..21 percent losses and gains', () => {
    // Sorted -0.10, -0.09, ..., 0.10 (21 values): h = 20 x 0.05 = 1, VaR = the second smallest, -0.09; ES = mean(-0.10, -0.09).
    const x = Array.from({ length: 21 }, (_, i) => (i - 10) / 100).reverse();
    const { valueAtRisk, expectedShortfall } = historicalVarEs(x);
    expect(valueAtRisk).toBeCloseTo(-0.09, 14);
    expect(expectedShortfall).toBeCloseTo(-0.095, 14);
    // 11 values: h = 0.5, halfway between the two smallest.
    const y = [0.05, -0.04, 0.01, 0.02, -0.02, 0.03, 0.0, 0.01, -0.01, 0.02, 0.04];
    const r = historicalVarEs(y);
    expect(r.valueAtRisk).toBeCloseTo(-0.03, 14);
    expect(r.expectedShortfall).toBeCloseTo(-0.04, 14);
  });

  it.each([7, 8, 9])('random series %i: equals the plain implementation, ES <= VaR', (seed) => {
    for (const n of [2, 19, 20, 21, 100, 661]) {
      const x = randomReturns(n, seed * 1000 + n);
      const r = historicalVarEs(x);
      const p = plain(x);
      expect(r.valueAtRisk).toBeCloseTo(p.q, 14);
      expect(r.expectedShortfall).toBeCloseTo(p.es, 14);
      expect(r.expectedShortfall).toBeLessThanOrEqual(r.valueAtRisk);
    }
  });

  it('empty gives NaN, one row gives that return, all positive gives positive numbers, NaN throws; computeMetrics carries both', () => {
    expect(historicalVarEs([])).toEqual({ valueAtRisk: NaN, expectedShortfall: NaN });
    expect(historicalVarEs([-0.03])).toEqual({ valueAtRisk: -0.03, expectedShortfall: -0.03 });
    const pos = historicalVarEs([0.01, 0.02, 0.03]);
    expect(pos.valueAtRisk).toBeCloseTo(0.011, 14);
    expect(pos.expectedShortfall).toBeCloseTo(0.01, 14);
    expect(() => historicalVarEs([0.01, NaN])).toThrow(RangeError);
    const x = randomReturns(50, 11);
    const m = computeMetrics({ returns: x, periodsPerYear: 12 });
    expect(m.valueAtRisk95).toBeCloseTo(plain(x).q, 14);
    expect(m.expectedShortfall95).toBeCloseTo(plain(x).es, 14);
    const empty = computeMetrics({ returns: [], periodsPerYear: 12 });
    expect(empty.valueAtRisk95).toBeNaN();
    expect(empty.expectedShortfall95).toBeNaN();
  });
});

describe('round trips', () => {
  it('a hand case: two trades, the second open, a rebalance inside the first, the exit cost charged', () => {
    const w = [0, 1, 0.5, 0, 0, 1, 1];
    const r = [0.01, 0.1, -0.05, 0.002, 0, 0.02, 0.03];
    const t = roundTrips(w, r, 0.001)!;
    expect(t.map((x) => [x.entry, x.exit, x.open, x.periods])).toEqual([
      [1, 2, false, 2],
      [5, 6, true, 2],
    ]);
    expect(t[0]!.return).toBeCloseTo(1.1 * 0.95 * (1 - 0.001 * 0.5) - 1, 14);
    expect(t[1]!.return).toBeCloseTo(1.02 * 1.03 - 1, 14);
  });

  it('none when never invested, empty, held throughout; undefined when a weight is short; NaN throws', () => {
    expect(roundTrips([0, 0], [0.01, 0.02])).toEqual([]);
    expect(roundTrips([], [])).toEqual([]);
    expect(roundTrips([1], [0.25])).toEqual([{ entry: 0, exit: 0, open: true, periods: 1, return: 0.25 }]);
    expect(roundTrips([1, -1], [0.05, 0.01])).toBeUndefined();
    expect(() => roundTrips([1, NaN], [0.05, 0.01])).toThrow(RangeError);
    expect(() => roundTrips([1], [0.05, 0.01])).toThrow(RangeError);
  });

  it('random long/flat weights: equals a plain scan, and the held periods add up to the periods invested', () => {
    const g = mulberry32(12);
    const rnd = () => g.next();
    const w = Array.from({ length: 300 }, () => (rnd() < 0.4 ? 0 : rnd() < 0.5 ? 1 : 0.5));
    const r = randomReturns(300, 13);
    const t = roundTrips(w, r, 0.0005)!;
    // Plain: walk the periods, opening at 0 -> >0, closing at >0 -> 0.
    const plain: { entry: number; exit: number; ret: number }[] = [];
    let cur: { entry: number; g: number } | undefined;
    for (let i = 0; i <= w.length; i++) {
      const held = i < w.length && w[i]! > 0;
      if (held && !cur) cur = { entry: i, g: 1 };
      if (held) cur!.g *= 1 + r[i]!;
      if (!held && cur) {
        const exitCost = i < w.length ? 1 - 0.0005 * w[i - 1]! : 1;
        plain.push({ entry: cur.entry, exit: i - 1, ret: cur.g * exitCost - 1 });
        cur = undefined;
      }
    }
    expect(t.map((x) => [x.entry, x.exit])).toEqual(plain.map((p) => [p.entry, p.exit]));
    t.forEach((x, k) => expect(x.return).toBeCloseTo(plain[k]!.ret, 13));
    expect(t.reduce((s, x) => s + x.periods, 0)).toBe(w.filter((x) => x > 0).length);
  });
});
