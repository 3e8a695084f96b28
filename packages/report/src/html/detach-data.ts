/**
 * Moves every inline `data: {values}` of a Vega-Lite spec into a named dataset. Vega-Lite's
 * compiler and Vega's parser deep-copy inline values, which on a 55-year run cost the browser
 * more than drawing does; a named source is compiled empty and filled through `view.data()`.
 * Returns the spec without its values; the values land in `datasets` under `<prefix>__<n>`.
 *
 * Strings and keys of both lose their line and paragraph separators (U+2028, U+2029, as
 * spaces): Vega-Lite writes names into Vega expressions (a filter on a series, a tooltip's
 * titles), whose string literals may not hold them, and one in a strategy's name would stop
 * the chart from drawing. The same change everywhere keeps every field name matching its data.
 */
export function detachData(spec: unknown, prefix: string, datasets: Record<string, unknown[]>): unknown {
  let n = 0;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'string') return withoutSeparators(node);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'data' && v !== null && typeof v === 'object' && Array.isArray((v as { values?: unknown }).values)) {
        const { values, ...rest } = v as { values: unknown[] };
        const name = `${prefix}__${n++}`;
        datasets[name] = plainText(values) as unknown[];
        out[k] = walk({ ...rest, name });
      } else out[withoutSeparators(k)] = walk(v);
    }
    return out;
  };
  return walk(spec);
}

const SEPARATORS = /[\u2028\u2029]/g;

function withoutSeparators(s: string): string {
  return s.includes('\u2028') || s.includes('\u2029') ? s.replace(SEPARATORS, ' ') : s;
}

/**
 * `value` with U+2028 and U+2029 in its strings and keys made spaces; the very same value (no
 * copy) when it has none, which is every run's data but a hostile one's.
 */
function plainText(value: unknown): unknown {
  if (typeof value === 'string') return withoutSeparators(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = plainText(value[i]);
      if (v !== value[i]) {
        out ??= value.slice();
        out[i] = v;
      }
    }
    return out ?? value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const k2 = withoutSeparators(k);
    const v2 = plainText(v);
    if (k2 !== k || v2 !== v) changed = true;
    return [k2, v2] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}
