import { universeRecord } from './__fixtures__/universe-record';
import { formatRunTable } from './terminal-table';

describe('formatRunTable of a universe', () => {
  it('names the benchmark, and lists each asset’s mean weight, contribution and total return after the metrics', () => {
    const s = universeRecord().summary;
    const text = formatRunTable(s);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ +sma {2}equal weight$/);
    const at = lines.indexOf("The universe's assets; the benchmark is equal weight, rebalanced monthly.");
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Information ratio')));
    expect(lines[at + 1]).toBe('Asset  Mean weight  Contribution  Total return');
    const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
    s.universe!.assets.forEach((a, i) => {
      expect(lines[at + 3 + i]!.split(/ +/)).toEqual([a.name, pct(a.meanWeight), pct(a.contribution), pct(a.totalReturn)]);
    });
    // The warnings stay last.
    expect(lines[lines.length - 1]).toBe('warning: mixed currencies: sp500 and ndx are in USD, gold in EUR; returns are each in its own currency');
    expect(formatRunTable(universeRecord({ benchmark: 'gold' }).summary)).toContain("The universe's assets; the benchmark is buy-and-hold of gold.");
  });

  it('stays within 100 columns however long an asset’s name, and prints its control characters escaped', () => {
    const s = universeRecord().summary;
    const long = `${'x'.repeat(300)}\u001b[31m`;
    const assets = s.universe!.assets.map((a, i) => (i === 1 ? { ...a, name: long } : a));
    const text = formatRunTable({ ...s, universe: { ...s.universe!, assets, benchmark: long } });
    expect(text.includes('\u001b')).toBe(false);
    const table = text.split('\n').filter((l) => !l.startsWith('warning:') && !l.startsWith('* = better'));
    expect(table.filter((l) => l.length > 100)).toEqual([]);
  });
});
