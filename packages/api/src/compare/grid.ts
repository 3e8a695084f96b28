import { UserError } from '@backtest/core';
import { parseAlternatives } from '@backtest/core/internal';

/** One configuration a compare runs: a strategy and the parameters of one grid point. */
export interface Configuration {
  readonly id: string;
  readonly params: Readonly<Record<string, string>>;
  /** `nn-sma` or `nn-sma[hidden=300,100 epochs=100]`: unique within a compare. */
  readonly label: string;
}

/**
 * Parses `--grid "nn-sma:hidden=10|300,100;epochs=20|100"`: a strategy id, then parameters
 * separated by `;`, each with alternatives separated by `|`. The grid is their cartesian product.
 */
export function parseGrid(spec: string): { id: string; points: Record<string, string>[] } {
  const colon = spec.indexOf(':');
  if (colon <= 0) throw new UserError(`--grid expects "strategy:param=a|b;param2=c|d", got "${spec}"`);
  const id = spec.slice(0, colon).trim();
  const points = parseAlternatives(spec.slice(colon + 1), '--grid', spec);
  return { id, points };
}

function configurationLabel(id: string, params: Readonly<Record<string, string>>): string {
  const keys = Object.keys(params);
  return keys.length === 0 ? id : `${id}[${keys.map((k) => `${k}=${params[k]}`).join(' ')}]`;
}

/** Strategies from `--strategies a,b,c` plus every grid point; a strategy with a grid runs only its grid points. */
export function configurations(strategies: readonly string[], grids: readonly string[], common: Readonly<Record<string, string>>): Configuration[] {
  const parsed = grids.map(parseGrid);
  const gridded = new Set(parsed.map((g) => g.id));
  const out: Configuration[] = [];
  const ids = [...strategies, ...parsed.map((g) => g.id).filter((id) => !strategies.includes(id))];
  for (const id of new Set(ids)) {
    if (!gridded.has(id)) {
      out.push({ id, params: { ...common }, label: id });
      continue;
    }
    for (const g of parsed.filter((x) => x.id === id)) {
      for (const point of g.points) {
        const params = { ...common, ...point };
        out.push({ id, params, label: configurationLabel(id, point) });
      }
    }
  }
  const labels = new Set<string>();
  for (const c of out) {
    if (labels.has(c.label)) throw new UserError(`configuration ${c.label} is listed twice`);
    labels.add(c.label);
  }
  if (out.length === 0) throw new UserError('compare needs at least one strategy: --strategies sma,ols-sma,nn-sma');
  return out;
}
