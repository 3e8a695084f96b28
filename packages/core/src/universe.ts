/**
 * Strategies over a universe of assets built from strategies over one: `eachAsset` times every
 * asset with its own instance, each seeing that asset alone, and holds it at 1/N of the weight
 * its instance chose (Faber's tactical allocation, for the SMA rule).
 */
import type { MarketView } from './market-view';
import type { AssetWeights, ForecastRecord, SelectionRecord, Strategy, StrategyOutput } from './plugin';
import { streamSeed } from './seeds';

/**
 * The seed of asset `asset`'s instance in a run seeded `seed`: from the asset's name, not its
 * position, so adding an asset to a universe changes no other asset's models.
 */
export function assetSeed(seed: number, asset: string): number {
  return streamSeed(seed, `asset:${asset}`);
}

/** Every asset timed by its own strategy (`create(asset, i)`), each at 1/N of its weight. */
export function eachAsset(assets: readonly string[], create: (asset: string, index: number) => Strategy): Strategy {
  const n = assets.length;
  const inner = assets.map((a, i) => create(a, i));
  return overAssets(assets, inner, (view) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = inner[i]!.decide(view.asset(i));
      if (typeof w !== 'number') throw new Error(`${assets[i]}: a strategy timing one asset must return one weight, got ${JSON.stringify(w)}`);
      out[i] = w / n;
    }
    return out;
  });
}

/**
 * A strategy over a universe built from one strategy per asset (`inner[i]` sees asset i alone):
 * it needs the most history of them, starts at the latest of their default starts, prepares each
 * on its own asset's views, merges their outputs (`mergeOutputs`), and decides by `decide`, which
 * consults them (`inner[i].decide(view.asset(i))`) and returns the universe's weights.
 */
export function overAssets(assets: readonly string[], inner: readonly Strategy[], decide: (view: MarketView) => AssetWeights): Strategy {
  const starts = inner.map((s) => s.defaultTestStart).filter((s): s is string => s !== undefined);
  return {
    minHistory: Math.max(...inner.map((s) => s.minHistory)),
    // The latest of the labels (they sort as strings).
    ...(starts.length ? { defaultTestStart: starts.sort()[starts.length - 1]! } : {}),
    async prepare(views: readonly MarketView[]): Promise<void> {
      for (let i = 0; i < inner.length; i++) await inner[i]!.prepare?.(views.map((v) => v.asset(i)));
    },
    decide,
    finish: () =>
      mergeOutputs(
        assets,
        inner.map((s) => s.finish?.() ?? {}),
      ),
  };
}

/**
 * The outputs of one strategy per asset as one: every record tagged with its asset, fits numbered
 * across the assets (asset 0's first, then asset 1's, ...), so a fit index names one model.
 */
export function mergeOutputs(assets: readonly string[], outputs: readonly StrategyOutput[]): StrategyOutput {
  const forecasts: ForecastRecord[] = [];
  const training: NonNullable<StrategyOutput['training']>[number][] = [];
  const models: NonNullable<StrategyOutput['models']>[number][] = [];
  const saved: NonNullable<StrategyOutput['savedModels']>[number][] = [];
  const choices: SelectionRecord['choices'][number][] = [];
  let fits: number | undefined;
  let offset = 0;
  outputs.forEach((o, i) => {
    const asset = assets[i]!;
    const shift = (fit: number | undefined) => (fit === undefined ? {} : { fit: fit + offset });
    for (const f of o.forecasts ?? []) forecasts.push({ ...f, ...shift(f.fit), asset });
    for (const t of o.training ?? []) training.push({ ...t, fit: t.fit + offset, asset });
    for (const m of o.models ?? []) models.push({ ...m, fit: m.fit + offset, asset });
    for (const m of o.savedModels ?? []) saved.push({ ...m, fit: m.fit + offset });
    for (const c of o.selection?.choices ?? []) choices.push({ ...c, asset });
    if (o.fits !== undefined) fits = (fits ?? 0) + o.fits;
    offset += o.fits ?? o.models?.length ?? 0;
  });
  const first = outputs[0];
  return {
    ...(forecasts.length ? { forecasts } : {}),
    ...(training.length ? { training } : {}),
    ...(fits !== undefined ? { fits } : {}),
    ...(models.length ? { models } : {}),
    ...(saved.length ? { savedModels: saved } : {}),
    ...(first?.model ? { model: first.model } : {}),
    ...(first?.selection ? { selection: { ...first.selection, choices } } : {}),
  };
}
