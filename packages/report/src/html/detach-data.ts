/**
 * Moves every inline `data: {values}` of a Vega-Lite spec into a named dataset. Vega-Lite's
 * compiler and Vega's parser deep-copy inline values, which on a 55-year run cost the browser
 * more than drawing does; a named source is compiled empty and filled through `view.data()`.
 * Returns the spec without its values; the values land in `datasets` under `<prefix>__<n>`.
 */
export function detachData(spec: unknown, prefix: string, datasets: Record<string, unknown[]>): unknown {
  let n = 0;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'data' && v !== null && typeof v === 'object' && Array.isArray((v as { values?: unknown }).values)) {
        const { values, ...rest } = v as { values: unknown[] };
        const name = `${prefix}__${n++}`;
        datasets[name] = values;
        out[k] = { ...rest, name };
      } else out[k] = walk(v);
    }
    return out;
  };
  return walk(spec);
}
