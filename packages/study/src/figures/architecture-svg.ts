import { type Html, html } from '@backtest/report';
import type { StudyNetwork } from '../networks';

/** Most nodes drawn in one layer (the 10-unit layer in full); a wider layer shows 4 + 3 nodes around an ellipsis. */
const MAX_DRAWN = 10;
const WIDTH = 620;
const HEIGHT = 330;
const TOP = 48;
const BOTTOM = 250;
const RADIUS = 9;

interface Column {
  readonly x: number;
  readonly units: number;
  /** y of each drawn node; `gapAt` is the index before which the ellipsis sits. */
  readonly ys: number[];
  readonly gapAt?: number;
  readonly name: string;
  readonly detail: string;
  readonly fill: string;
  readonly nodeLabels?: readonly string[];
}

/** Node positions of a layer of `units`, centred vertically; big layers keep 4 + 3 nodes around a gap. */
function layerYs(units: number): { ys: number[]; gapAt?: number } {
  const mid = (TOP + BOTTOM) / 2;
  if (units <= MAX_DRAWN) {
    const step = Math.min(24, (BOTTOM - TOP) / Math.max(1, units - 1));
    return { ys: Array.from({ length: units }, (_, i) => mid + (i - (units - 1) / 2) * step) };
  }
  // 7 nodes and one empty slot for the ellipsis, evenly over the height.
  const slots = 8;
  const step = (BOTTOM - TOP) / (slots - 1);
  const ys = Array.from({ length: slots }, (_, i) => TOP + i * step).filter((_, i) => i !== 4);
  return { ys, gapAt: 4 };
}

function columns(net: StudyNetwork): Column[] {
  const layers = net.spec.layers;
  const count = layers.length + 1;
  const x = (i: number) => 95 + (i * (WIDTH - 190)) / (count - 1);
  const cols: Column[] = [
    { x: x(0), units: net.spec.inputSize, ...layerYs(net.spec.inputSize), name: 'Input', detail: `${net.spec.inputSize} units`, fill: '#dfe9f7', nodeLabels: net.inputs },
  ];
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const activation = layer.activation ?? 'linear';
    cols.push({
      x: x(i + 1),
      units: layer.units,
      ...layerYs(layer.units),
      name: last ? 'Output' : `Hidden ${i + 1}`,
      detail: `${layer.units} ${layer.units === 1 ? 'unit' : 'units'} · ${activation === 'relu' ? 'ReLU' : activation}`,
      fill: last ? '#fbe3cc' : '#dcefe2',
      ...(last ? { nodeLabels: ['target (z)'] } : {}),
    });
  });
  return cols;
}

/**
 * A network as an SVG diagram: nodes in columns, every drawn pair of adjacent nodes connected,
 * each layer named with its size and activation. Layers wider than eight nodes draw seven and an
 * ellipsis with the true count, so a 300-unit layer stays readable. Built with @backtest/report's
 * `html` tag (every value escaped), as it goes into the study page as it is.
 */
export function architectureSvgHtml(net: StudyNetwork): Html {
  const cols = columns(net);
  const parts: Html[] = [];
  for (let i = 0; i + 1 < cols.length; i++) {
    const a = cols[i]!;
    const b = cols[i + 1]!;
    for (const ya of a.ys) for (const yb of b.ys) parts.push(html`<line x1="${a.x + RADIUS}" y1="${ya.toFixed(1)}" x2="${b.x - RADIUS}" y2="${yb.toFixed(1)}"/>`);
  }
  const edges = html`<g class="edges" stroke="#9aa5b1" stroke-opacity="${cols.some((c) => c.gapAt !== undefined) ? 0.28 : 0.6}" stroke-width="1">${parts}</g>`;
  const nodes: Html[] = [];
  for (const c of cols) {
    c.ys.forEach((y, i) => {
      nodes.push(html`<circle cx="${c.x}" cy="${y.toFixed(1)}" r="${RADIUS}" fill="${c.fill}" stroke="#44505c" stroke-width="1.2"/>`);
      const label = c.nodeLabels?.[i];
      if (label) {
        const left = c === cols[0];
        nodes.push(
          html`<text x="${left ? c.x - RADIUS - 6 : c.x + RADIUS + 6}" y="${(y + 4).toFixed(1)}" text-anchor="${left ? 'end' : 'start'}" font-size="12" fill="#333">${label}</text>`,
        );
      }
    });
    if (c.gapAt !== undefined) {
      const y = (c.ys[c.gapAt - 1]! + c.ys[c.gapAt]!) / 2;
      nodes.push(html`<text x="${c.x}" y="${(y + 6).toFixed(1)}" text-anchor="middle" font-size="20" fill="#44505c">⋮</text>`);
      nodes.push(html`<text x="${c.x + 14}" y="${(y + 4).toFixed(1)}" font-size="11" fill="#44505c">${c.units - c.ys.length} more</text>`);
    }
    nodes.push(html`<text x="${c.x}" y="${BOTTOM + 38}" text-anchor="middle" font-size="13" font-weight="600" fill="#222">${c.name}</text>`);
    nodes.push(html`<text x="${c.x}" y="${BOTTOM + 56}" text-anchor="middle" font-size="12" fill="#444">${c.detail}</text>`);
  }
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" data-network="${net.id}"><title>${`Network ${net.title}`}</title><text x="12" y="22" font-size="14" font-weight="600" fill="#222">${net.title}</text>${edges}<g class="nodes">${nodes}</g></svg>`;
}

/** The diagram as the text of an .svg file (see architectureSvgHtml). */
export function architectureSvg(net: StudyNetwork): string {
  return architectureSvgHtml(net).text;
}
