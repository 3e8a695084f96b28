import type { TopLevelSpec } from './vega-types';
import { CHART_CONFIG, STRATEGY_COLOR } from './theme';

/** One layer of a dense network, inputs first: its width, its activation, and optionally a name. */
export interface NetworkLayer {
  readonly units: number;
  readonly activation?: string;
  readonly name?: string;
}

/** Layers wider than this draw this many nodes and a "…" for the rest; the label still gives the true width. */
const MAX_NODES = 10;

/**
 * A dense network as the article draws it: a column of nodes per layer, every node joined to
 * every node of the next layer, each layer labelled with its width and activation.
 */
export function networkDiagram(o: { title: string; subtitle?: string; layers: readonly NetworkLayer[] }): TopLevelSpec {
  const n = o.layers.length;
  const nodes: { layer: number; x: number; y: number }[] = [];
  const edges: { x: number; y: number; x2: number; y2: number }[] = [];
  const dots: { x: number; y: number }[] = [];
  const labels: { x: number; line1: string; line2: string }[] = [];
  const column = o.layers.map((layer, i) => {
    const shown = Math.min(layer.units, MAX_NODES);
    const truncated = layer.units > MAX_NODES;
    // Rows centred on 0; a truncated layer leaves a gap before its last node for the "…".
    const rows = truncated ? shown + 1 : shown;
    const ys = Array.from({ length: shown }, (_, k) => (truncated && k === shown - 1 ? k + 1 : k) - (rows - 1) / 2);
    if (truncated) dots.push({ x: i, y: shown - 1 - (rows - 1) / 2 });
    return ys.map((y) => ({ layer: i, x: i, y }));
  });
  column.forEach((c) => nodes.push(...c));
  for (let i = 0; i + 1 < n; i++) for (const a of column[i]!) for (const b of column[i + 1]!) edges.push({ x: a.x, y: a.y, x2: b.x, y2: b.y });
  o.layers.forEach((layer, i) => {
    const role = layer.name ?? (i === 0 ? 'Input' : i === n - 1 ? 'Output' : `Hidden ${i}`);
    labels.push({ x: i, line1: `${role}: ${layer.units} ${layer.units === 1 ? 'unit' : 'units'}`, line2: i === 0 ? '' : (layer.activation ?? 'linear') });
  });
  const half = (Math.min(MAX_NODES, Math.max(...o.layers.map((l) => l.units))) + 1) / 2 + 0.3;
  const x = { field: 'x', type: 'quantitative' as const, axis: null, scale: { domain: [-0.5, n - 0.5] } };
  const y = { field: 'y', type: 'quantitative' as const, axis: null, scale: { domain: [-half - 1.2, half] } };
  return {
    title: o.subtitle ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: Math.max(240, 170 * n),
    height: Math.max(160, 26 * (2 * half + 1.2)),
    config: CHART_CONFIG,
    layer: [
      { data: { values: edges }, mark: { type: 'rule', color: '#b8c4d6', strokeWidth: 0.6 }, encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } } },
      { data: { values: nodes }, mark: { type: 'circle', size: 220, color: STRATEGY_COLOR, opacity: 1, stroke: '#fff', strokeWidth: 1 }, encoding: { x, y } },
      { data: { values: dots }, mark: { type: 'text', text: '⋮', fontSize: 16, color: '#555' }, encoding: { x, y } },
      {
        data: { values: labels },
        transform: [
          { calculate: `${-half - 0.5}`, as: 'y' },
          { calculate: 'datum.line2 ? [datum.line1, datum.line2] : datum.line1', as: 'lines' },
        ],
        mark: { type: 'text', fontSize: 12, baseline: 'top', lineHeight: 15, color: '#222' },
        encoding: { x, y, text: { field: 'lines' } },
      },
    ],
  } as TopLevelSpec;
}
