import { UserError } from './errors';

/**
 * Parses parameter alternatives `param=a|b;param2=c|d` (a grid of compare, a nested selection)
 * into their cartesian product, in order: the first parameter varies slowest. `what` names the
 * flag in messages (`--grid`, `--select`).
 */
export function parseAlternatives(text: string, what: string, whole = text): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UserError(`${what}: "${part}" in "${whole}" is not param=a|b`);
    const name = part.slice(0, eq).trim();
    const values = part
      .slice(eq + 1)
      .split('|')
      .map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UserError(`${what}: parameter "${name}" in "${whole}" has an empty alternative`);
    if (seen.has(name)) throw new UserError(`${what}: parameter "${name}" appears twice in "${whole}"; list its values once, separated by |`);
    seen.add(name);
    // Own properties whatever the name (a spread keeps "__proto__" as a key; resolveParams refuses it).
    points = points.flatMap((p) => values.map((v) => ({ ...p, ...Object.fromEntries([[name, v]]) })));
  }
  return points;
}
