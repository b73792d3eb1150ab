/**
 * A least-recently-used cache bounded by an estimate of the memory its
 * values hold, with single-flight loading: concurrent requests for one key
 * share one render. Failures are not cached (a fixed source or a newly
 * installed tool is picked up by the next request). Rendered manifests at a
 * commit never change, so entries need no expiry.
 */
export class RenderCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private bytes = 0;

  /**
   * @param maxBytes bound of the estimated size of all entries (0 disables caching)
   * @param sizeOf estimate of the memory one value holds
   */
  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  /** Entries and their estimated size (for metrics and tests). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** The cached value of `key`, or the result of `load` (shared with concurrent callers). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: a Map iterates in insertion order, so the first entry is the least recent.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load().then(
      (value) => {
        this.loading.delete(key);
        this.store(key, value);
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  private store(key: string, value: V): void {
    const bytes = this.sizeOf(value);
    // A value larger than the whole budget is served but never kept.
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
