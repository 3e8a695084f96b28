import { prepareStudyData, trailingStats } from './prepare';

/** `count` month labels starting at year-month. */
function months(year: number, month: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const m = month - 1 + i;
    return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}

describe('trailingStats', () => {
  test('mean and n-1 sd of 1..10 are 5.5 and sqrt(55/6)', () => {
    const { mean, sd } = trailingStats(
      Float64Array.from({ length: 12 }, (_, i) => i + 1),
      10,
    );
    expect(Number.isNaN(mean[8]!)).toBe(true);
    expect(mean[9]).toBeCloseTo(5.5, 12);
    // Sum of squared deviations of 1..10 from 5.5 is 82.5; / 9 = 9.1666...
    expect(sd[9]).toBeCloseTo(Math.sqrt(82.5 / 9), 12);
    expect(mean[11]).toBeCloseTo(7.5, 12);
  });
});

describe('prepareStudyData', () => {
  // Squares grow unevenly, so every window has a different mean and sd.
  const n = 60;
  const close = Float64Array.from({ length: n }, (_, i) => 100 + (i + 1) ** 2 / 7 + (i % 3));
  const labels = months(1989, 1, n);
  const data = prepareStudyData(labels, close);

  test('the first usable row is the 19th month: the SMA needs 10 closes and its z-score 10 SMAs', () => {
    expect(data.rows[0]!.label).toBe(labels[18]);
    // The last month has no next close, so its target is missing.
    expect(data.rows[data.rows.length - 1]!.label).toBe(labels[n - 2]);
    expect(data.rows).toHaveLength(n - 19);
  });

  test('each column is z-scored by its own trailing window; the target window holds the next close', () => {
    const t = 30;
    const row = data.rows.find((r) => r.label === labels[t])!;
    const window = (values: number[]) => {
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      const s = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
      return { m, s };
    };
    const closes = Array.from(close);
    const c = window(closes.slice(t - 9, t + 1));
    expect(row.sma).toBeCloseTo(c.m, 10);
    expect(row.z.close).toBeCloseTo((closes[t]! - c.m) / c.s, 10);
    const smas = Array.from({ length: 10 }, (_, k) => window(closes.slice(t - 9 - k, t + 1 - k)).m).reverse();
    const s = window(smas);
    expect(row.z.sma).toBeCloseTo((row.sma - s.m) / s.s, 10);
    // Target column at rows t-9..t is close[t-8..t+1]: the target's own close is in its scaling.
    const targetWindow = window(closes.slice(t - 8, t + 2));
    expect(row.target).toBe(closes[t + 1]);
    expect(row.targetStats.mean).toBeCloseTo(targetWindow.m, 10);
    expect(row.z.target).toBeCloseTo((closes[t + 1]! - targetWindow.m) / targetWindow.s, 10);
    const rets = Array.from({ length: 10 }, (_, k) => (closes[t - 9 + k]! / closes[t - 10 + k]! - 1) * 100);
    const r = window(rets);
    expect(row.ret).toBeCloseTo(rets[9]!, 10);
    expect(row.z.ret).toBeCloseTo((rets[9]! - r.m) / r.s, 10);
  });

  test('the split is by label with both ends inclusive: 1991 is in training and validation', () => {
    expect(data.train.every((r) => r.label <= '1991-12')).toBe(true);
    expect(data.train[data.train.length - 1]!.label).toBe('1991-12');
    expect(data.valid[0]!.label).toBe('1991-01');
    expect(data.valid.filter((r) => r.label.startsWith('1991'))).toHaveLength(12);
    expect(data.test).toHaveLength(0);
    expect(data.train.length + data.valid.length).toBe(data.rows.length + 12);
  });

  test('too few training rows is a user error that names the range', () => {
    expect(() => prepareStudyData(months(1995, 1, 40), close.slice(0, 40))).toThrow(/training rows up to 1991-12/);
  });
});
