import { DEEP_NETWORK, SINGLE_NEURON, SMALL_NETWORK } from '../networks';
import { architectureSvg } from './architecture-svg';

const count = (svg: string, what: RegExp) => (svg.match(what) ?? []).length;

describe('architectureSvg', () => {
  test('the 2-10-1 network draws every node and every connection, each layer named with size and activation', () => {
    const svg = architectureSvg(SMALL_NETWORK);
    expect(count(svg, /<circle /g)).toBe(2 + 10 + 1);
    expect(count(svg, /<line /g)).toBe(2 * 10 + 10 * 1);
    expect(svg).toContain('10 units · ReLU');
    expect(svg).toContain('1 unit · linear');
    expect(svg).not.toContain('⋮');
  });

  test('the single neuron is two inputs wired to one linear output', () => {
    const svg = architectureSvg(SINGLE_NEURON);
    expect(count(svg, /<circle /g)).toBe(3);
    expect(count(svg, /<line /g)).toBe(2);
    expect(svg).toContain('close (z)');
    expect(svg).toContain('SMA (z)');
  });

  test('the 300- and 100-unit layers draw seven nodes, an ellipsis and how many are not drawn', () => {
    const svg = architectureSvg(DEEP_NETWORK);
    expect(count(svg, /<circle /g)).toBe(2 + 7 + 7 + 1);
    expect(count(svg, /<line /g)).toBe(2 * 7 + 7 * 7 + 7 * 1);
    expect(count(svg, /⋮/g)).toBe(2);
    expect(svg).toContain('>293 more<');
    expect(svg).toContain('>93 more<');
    expect(svg).toContain('300 units · ReLU');
    expect(svg).toContain('100 units · ReLU');
  });
});
