/** A strategy's returns next to buy-and-hold's over the same periods: what the three performance charts draw. */
export interface Comparison {
  readonly labels: readonly string[];
  readonly strategy: { readonly name: string; readonly returns: ArrayLike<number> };
  readonly benchmark: { readonly name: string; readonly returns: ArrayLike<number> };
}
