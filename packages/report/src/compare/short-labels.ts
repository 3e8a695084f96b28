/** A configuration's label as `id` and its `name=value` parameters (from `id[a=1 b=2]`). */
export function labelParts(label: string): { id: string; params: string[] } {
  const m = /^([^[\]]+)\[(.*)\]$/.exec(label);
  return m ? { id: m[1]!, params: m[2]!.split(' ').filter((x) => x !== '') } : { id: label, params: [] };
}

/**
 * Labels that stay short: for each strategy, the grid parameters every one of its
 * configurations sets alike are said once (returned as `common`, `<id>: a=1 b=2 in every
 * <unit>`; `shared` has them by strategy), and each label keeps the ones that vary. When that
 * would make two labels alike, the full labels are kept (and nothing is said once).
 */
export function shortLabels(labels: readonly string[], unit = 'column'): { headings: string[]; common: string[]; shared: { id: string; params: string[] }[] } {
  const split = labels.map(labelParts);
  const byId = new Map<string, string[][]>();
  for (const p of split) {
    const all = byId.get(p.id);
    if (all) all.push(p.params);
    else byId.set(p.id, [p.params]);
  }
  const shared = new Map<string, Set<string>>();
  for (const [id, all] of byId) {
    // Said once only when every configuration of the strategy (two or more) sets it alike.
    const common = all.length >= 2 ? all[0]!.filter((x) => all.every((ps) => ps.includes(x))) : [];
    shared.set(id, new Set(common));
  }
  const headings = split.map((p) => {
    const kept = p.params.filter((x) => !shared.get(p.id)!.has(x));
    return kept.length ? `${p.id}[${kept.join(' ')}]` : p.params.length ? `${p.id}[…]` : p.id;
  });
  if (new Set(headings).size !== headings.length) return { headings: [...labels], common: [], shared: [] };
  const said = [...shared].filter(([, set]) => set.size > 0).map(([id, set]) => ({ id, params: [...set] }));
  return { headings, common: said.map((x) => `${x.id}: ${x.params.join(' ')} in every ${unit}`), shared: said };
}
