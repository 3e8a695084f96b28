/**
 * How a forecast return becomes a weight.
 *  - binary: long (1) when the forecast return exceeds `threshold`, else cash (or short, -1).
 *  - proportional: weight = forecast return / fullAt, clipped to [0, 1] (or [-1, 1] with short),
 *    so a forecast of `fullAt` or more is fully invested.
 */
export type Sizing =
  | { readonly kind: 'binary'; readonly threshold: number; readonly short: boolean }
  | { readonly kind: 'proportional'; readonly fullAt: number; readonly short: boolean };

export function weightFromForecast(forecastReturn: number, sizing: Sizing): number {
  if (!Number.isFinite(forecastReturn)) return 0;
  if (sizing.kind === 'binary') return forecastReturn > sizing.threshold ? 1 : sizing.short ? -1 : 0;
  const w = forecastReturn / sizing.fullAt;
  return Math.min(1, Math.max(sizing.short ? -1 : 0, w));
}
