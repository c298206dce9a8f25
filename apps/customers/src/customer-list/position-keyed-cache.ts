/**
 * Results of read-model queries, valid for exactly one projection checkpoint: every change to
 * the read model moves the checkpoint in the same transaction, so an answer computed at
 * position P is the answer for as long as the checkpoint stays at P. Any move empties the
 * cache. Values are promises, so concurrent identical requests share one database round trip.
 * Least recently used entries go first beyond `maxEntries`.
 */
export class PositionKeyedCache<V> {
  private position: bigint | undefined;
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly maxEntries = 500) {}

  /**
   * The cached answer for `key` at `position`, else `compute()` (remembered unless it fails).
   * `position` undefined (checkpoint not known to be current) bypasses the cache.
   */
  get(position: bigint | undefined, key: string, compute: () => Promise<V>): Promise<V> {
    if (position === undefined) return compute();
    if (position !== this.position) {
      this.entries.clear();
      this.position = position;
    }
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, hit);
      return hit;
    }
    const value = compute();
    this.entries.set(key, value);
    value.catch(() => {
      if (this.entries.get(key) === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
