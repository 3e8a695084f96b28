/**
 * Work the strategies of one command share (`StrategyContext.shared`): a compare's
 * configurations, a run's seeds. A strategy stores under a key what is a function of that key
 * (and of rows it checks itself) alone, so that another strategy walking the same rows reuses
 * it instead of computing it again; the results are the same either way. What is kept is
 * bounded: beyond `maxValues` 8-byte values in all, the least recently used entries go, and an
 * entry bigger than the bound is not kept.
 */
export class SharedWork {
  readonly #entries = new Map<string, { readonly value: unknown; readonly size: number }>();
  #size = 0;

  /** @param maxValues The bound on what is kept, in 8-byte values (default 2^24: 128 MB). */
  constructor(readonly maxValues = 2 ** 24) {}

  /** The value stored under `key` (now the most recently used), or undefined. */
  get(key: string): unknown {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, which holds about `size` 8-byte values, under `key`. */
  set(key: string, value: unknown, size: number): void {
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#size -= old.size;
    }
    if (!(size >= 0 && size <= this.maxValues)) return;
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [k, e] of this.#entries) {
      if (this.#size <= this.maxValues) break;
      this.#entries.delete(k);
      this.#size -= e.size;
    }
  }
}
