import { nextPositionText, positionText } from './position-text';

describe('positionText', () => {
  it('names the whole positions, and a part one with what is left in cash', () => {
    expect([0, 1, -1, 0.4, -0.25, 1.5].map(positionText)).toEqual([
      'cash',
      '100% long',
      '100% short',
      '40.0% long, the rest in cash',
      '25.0% short, the rest in cash',
      '150.0% long',
    ]);
  });
});

describe('nextPositionText', () => {
  it('one series: the weight, the period after the last decision, when it was decided', () => {
    expect(nextPositionText({ asOf: '2026-03', weight: 1 }, 'monthly')).toBe('hold 100% long over the month after 2026-03 (decided at its close)');
    expect(nextPositionText({ asOf: '2026-03-31', weight: 0 }, 'daily')).toBe('hold cash over the day after 2026-03-31 (decided at its close)');
  });

  it('a universe: each asset, and cash as what the absolute weights leave', () => {
    const s = {
      asOf: '2026-03',
      weight: 0.5,
      assets: [
        { name: 'sp500', weight: 0.75 },
        { name: 'ndx', weight: -0.25 },
      ],
    };
    expect(nextPositionText(s, 'monthly')).toBe('hold sp500 75.0%, ndx -25.0%, cash 0.0% over the month after 2026-03 (decided at its close)');
  });
});
