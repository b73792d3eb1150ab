/**
 * Keeps recent tree listings in memory. A tree at a commit SHA never
 * changes, so a listing can be shared by every ApplicationSet that reads the
 * same repository at the same commit, and concurrent requests for one
 * listing share one git process. Bounded by the total number of entries.
 */

export class TreeListingCache<T> {
  private readonly entries = new Map<string, { promise: Promise<readonly T[]>; weight: number }>();
  private totalWeight = 0;

  /** @param maxEntries total tree entries kept across all listings; 0 disables caching. */
  constructor(private readonly maxEntries: number) {}

  /**
   * The listing for `key`, loaded with `load` when not cached. A failed load
   * is not kept. Listings larger than the whole budget are returned but not
   * kept.
   */
  get(key: string, load: () => Promise<readonly T[]>): Promise<readonly T[]> {
    const cached = this.entries.get(key);
    if (cached) {
      // Re-insert: Map iteration order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.promise;
    }
    const slot = { promise: load(), weight: 0 };
    this.entries.set(key, slot);
    slot.promise.then(
      (listing) => {
        if (this.entries.get(key) !== slot) return;
        if (listing.length > this.maxEntries) {
          this.entries.delete(key);
          return;
        }
        slot.weight = listing.length;
        this.totalWeight += slot.weight;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === slot) this.entries.delete(key);
      },
    );
    return slot.promise;
  }

  private evict(): void {
    for (const [key, slot] of this.entries) {
      if (this.totalWeight <= this.maxEntries) return;
      this.entries.delete(key);
      this.totalWeight -= slot.weight;
    }
  }
}
