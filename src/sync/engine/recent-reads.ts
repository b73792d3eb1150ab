/**
 * The live state each Application's last comparison read, kept briefly so
 * the sync pass that follows it can plan from it instead of reading the
 * cluster again. Control compares, decides, then syncs at once, so a second
 * read would only repeat the first; a change that lands in between is still
 * caught, by the drift watch and the next comparison. An entry is used
 * once, only for the same refs, and only while young.
 */
import { ObjectRef, refKey } from '../manifests/kube-object';
import { LiveState } from './live-state';

/** How long a comparison's read may stand in for the sync's. */
export const READ_REUSE_MS = 3_000;

// Entries no sync took are dropped as they age, a sweep every so many reads.
const SWEEP_EVERY = 64;

interface Entry {
  readonly atMs: number;
  readonly refs: string;
  readonly live: LiveState;
}

export class RecentReads {
  private readonly entries = new Map<string, Entry>();
  private sinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers what a comparison of `appName` on `clusterName` read for `refs`. */
  remember(
    clusterName: string,
    appName: string,
    refs: readonly ObjectRef[],
    live: LiveState,
  ): void {
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweep();
    this.entries.set(keyOf(clusterName, appName), { atMs: this.now(), refs: refsKey(refs), live });
  }

  /** The read just remembered for the same refs, once; undefined when there is none or it is old. */
  take(clusterName: string, appName: string, refs: readonly ObjectRef[]): LiveState | undefined {
    const key = keyOf(clusterName, appName);
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || this.now() - entry.atMs > READ_REUSE_MS) return undefined;
    return entry.refs === refsKey(refs) ? entry.live : undefined;
  }

  /** Drops every read of a cluster (it was removed). */
  forgetCluster(clusterName: string): void {
    const prefix = keyOf(clusterName, '');
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Entries kept (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    this.sinceSweep = 0;
    const oldest = this.now() - READ_REUSE_MS;
    for (const [key, entry] of this.entries) if (entry.atMs < oldest) this.entries.delete(key);
  }
}

function keyOf(clusterName: string, appName: string): string {
  return `${clusterName}\u0000${appName}`;
}

function refsKey(refs: readonly ObjectRef[]): string {
  return refs.map(refKey).sort().join('\n');
}
