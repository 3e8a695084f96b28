/** `backtest compare`: one table over the same months, significance computed, verdicts from the numbers. */
import { backtest } from './helpers';

function compare(args: string[]) {
  const r = backtest(['compare', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('backtest compare', () => {
  it('buy-and-hold against itself: difference 0, interval [0, 0], p-value 1, and no verdict of skill', () => {
    const doc = compare(['--strategies', 'buy-and-hold', '--from', '1990-01', '--to', '2020-12', '--samples', '500']);
    const s = doc.results['buy-and-hold'].significance;
    expect(s.sharpeDiff).toBe(0);
    expect(s.sharpeDiffCI).toEqual([0, 0]);
    expect(s.sharpeDiffPValue).toBe(1);
    expect(doc.verdicts[0].beats).toBe(false);
    expect(doc.verdicts[0].text).toMatch(/^buy-and-hold does not beat buy-and-hold on Sharpe/);
  });

  it('runs every configuration over the same months, with every significance key', () => {
    const doc = compare(['--strategies', 'sma,ols-sma', '--grid', 'sma:window=6|12', '--samples', '500', '--to', '2020-12']);
    expect(doc.configurations).toEqual(['sma[window=6]', 'sma[window=12]', 'ols-sma']);
    // ols-sma's default first decision (1991-01) is the latest: every column starts after it.
    expect(doc.period.start).toBe('1991-02');
    expect(doc.period.end).toBe('2020-12');
    expect(doc.trials).toBe(3);
    for (const label of doc.configurations) {
      const s = doc.results[label].significance;
      for (const k of ['psr', 'psrVsBenchmark', 'dsr', 'sharpeDiff', 'sharpeDiffPValue']) expect(typeof s[k]).toBe('number');
      expect(s.sharpeDiffCI[0]).toBeLessThanOrEqual(s.sharpeDiff);
      expect(s.sharpeDiffCI[1]).toBeGreaterThanOrEqual(s.sharpeDiff);
      // The point difference is the difference of the two annualised Sharpe ratios in the table.
      expect(s.sharpeDiff).toBeCloseTo(doc.results[label].sharpe - doc.benchmark.sharpe, 10);
      const v = doc.verdicts.find((x: { configuration: string }) => x.configuration === label);
      expect(v.beats).toBe(s.sharpeDiff > 0 && Math.min(1, s.sharpeDiffPValue * doc.trials) < 0.05);
    }
    expect(doc.results['ols-sma'].significance.dm).toEqual({ statistic: expect.any(Number), pValue: expect.any(Number) });
    expect(doc.results['sma[window=6]'].significance.dm).toBeUndefined();
  });

  it('deflates harder when more trials were run before', () => {
    const one = compare(['--strategies', 'sma', '--samples', '200', '--to', '2020-12']);
    const many = compare(['--strategies', 'sma', '--samples', '200', '--to', '2020-12', '--trials', '1000']);
    expect(many.trials).toBe(1001);
    // One trial: nothing to deflate, DSR = PSR. A thousand: the bar is the expected maximum.
    expect(one.results.sma.significance.dsr).toBeCloseTo(one.results.sma.significance.psr, 12);
    expect(many.results.sma.significance.dsr).toBeLessThan(one.results.sma.significance.dsr - 0.1);
    expect(many.results.sma.significance.sharpeDiffPValue).toBe(one.results.sma.significance.sharpeDiffPValue);
  });

  it('is reproducible from the seed', () => {
    const a = compare(['--strategies', 'sma', '--samples', '300', '--seed', '5']);
    const b = compare(['--strategies', 'sma', '--samples', '300', '--seed', '5']);
    expect(a).toEqual(b);
  });

  it('rejects a bad grid and an unknown strategy with exit code 2', () => {
    const r = backtest(['compare', '--strategies', 'sma', '--grid', 'sma']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('backtest: --grid expects "strategy:param=a|b;param2=c|d", got "sma"\n');
    const u = backtest(['compare', '--strategies', 'sma,nn-smaa']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown strategy "nn-smaa" \(did you mean "nn-sma"\?\)/);
  });
});

describe('the terminal compare table at 50 configurations', () => {
  it('stays within 120 columns, in pages that show every configuration once with buy-and-hold, its numbers those of the JSON', () => {
    const windows = Array.from({ length: 50 }, (_, i) => i + 2);
    const args = ['compare', '--grid', `sma:window=${windows.join('|')}`, '--strategies', '', '--from', '1990-01', '--to', '2010-12', '--samples', '200', '--no-save'];
    const text = backtest(args, { timeout: 120_000 });
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    const doc = JSON.parse(backtest([...args, '--json'], { timeout: 120_000 }).stdout) as {
      configurations: string[];
      results: Record<string, { sharpe: number }>;
      benchmark: { sharpe: number };
    };
    expect(doc.configurations).toHaveLength(50);
    // Pages "configurations i-j of 50", contiguous from 1 to 50.
    const pages = [...text.stdout.matchAll(/^configurations ([0-9]+)-([0-9]+) of 50:$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]![0]).toBe(1);
    expect(pages[pages.length - 1]![1]).toBe(50);
    pages.slice(1).forEach(([from], k) => expect(from).toBe(pages[k]![1]! + 1));
    // Each page: its headings, then its Sharpe row, equal to the JSON's to the digits shown.
    const headingLines = lines.filter((_, i) => /^configurations /.test(lines[i - 1] ?? ''));
    const sharpeLines = lines.filter((l) => l.startsWith('Sharpe (ann.)'));
    expect(headingLines).toHaveLength(pages.length);
    expect(sharpeLines).toHaveLength(pages.length);
    const shown: string[] = [];
    headingLines.forEach((h, k) => {
      const headings = h.trim().split(/ {2,}/);
      expect(headings[headings.length - 1]).toBe('buy-and-hold');
      const values = sharpeLines[k]!.replace('Sharpe (ann.)', '').trim().split(/ +/);
      expect(values).toHaveLength(headings.length);
      headings.slice(0, -1).forEach((label, c) => {
        shown.push(label);
        expect(values[c]).toBe(doc.results[label]!.sharpe.toFixed(3));
      });
      expect(values[values.length - 1]).toBe(doc.benchmark.sharpe.toFixed(3));
    });
    expect(shown).toEqual(doc.configurations);
  }, 240_000);
});
