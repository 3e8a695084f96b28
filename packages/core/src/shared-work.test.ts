import { SharedWork } from './shared-work';

describe('SharedWork', () => {
  it('gives back what was stored under a key, and undefined for any other', () => {
    const shared = new SharedWork(100);
    const value = { rows: [1, 2] };
    shared.set('a', value, 10);
    expect(shared.get('a')).toBe(value);
    expect(shared.get('b')).toBeUndefined();
  });

  it('drops the least recently used entries beyond its bound, and keeps no entry bigger than the bound', () => {
    const shared = new SharedWork(100);
    shared.set('a', 'A', 40);
    shared.set('b', 'B', 40);
    expect(shared.get('a')).toBe('A'); // a is now the most recently used
    shared.set('c', 'C', 40); // 120 > 100: b goes
    expect(shared.get('b')).toBeUndefined();
    expect([shared.get('a'), shared.get('c')]).toEqual(['A', 'C']);
    shared.set('big', 'X', 101);
    expect(shared.get('big')).toBeUndefined();
    expect([shared.get('a'), shared.get('c')]).toEqual(['A', 'C']);
    shared.set('d', 'D', 100); // alone fills the bound: every other entry goes
    expect([shared.get('a'), shared.get('c'), shared.get('d')]).toEqual([undefined, undefined, 'D']);
  });

  it('replaces an entry stored again under its key, counting its new size only', () => {
    const shared = new SharedWork(100);
    shared.set('a', 'A1', 90);
    shared.set('a', 'A2', 90);
    expect(shared.get('a')).toBe('A2');
    shared.set('b', 'B', 10);
    expect([shared.get('a'), shared.get('b')]).toEqual(['A2', 'B']);
    // An oversized or meaningless size stores nothing, and takes the old value away.
    shared.set('a', 'A3', Number.NaN);
    expect(shared.get('a')).toBeUndefined();
  });
});
