/**
 * What the drift watch's list-and-watch streams last told about each
 * cluster, kept so comparisons, namespace lookups and health waits read
 * memory instead of the cluster (gitops-engine's cluster cache): a fleet
 * sync then costs its clusters the writes only, and a health wait ends on
 * the watch event instead of the next poll.
 *
 * Trust is narrow on purpose:
 * - a kind is served only while its watch is established (listed, no error
 *   since), and only in the version the watch reads;
 * - the answers of Fleetplane's own writes go in at once, so a comparison
 *   right after a sync sees it (objects are ordered by resourceVersion: a
 *   late, older answer never replaces a newer event, nor revives a deletion);
 * - each Application reads the cluster itself at least once per
 *   `authoritativeEveryMs` (the periodic comparison), which bounds how long
 *   a watch that went silent, or a cluster that hangs, can go unnoticed.
 *
 * While a kind's watch is listing it, a read may wait for the list (`listed`)
 * instead of reading the cluster: when a worker starts, its Applications'
 * first comparisons then cost the cluster one list per kind instead of one
 * per Application and kind (gitops-engine compares only once its cache has
 * synced). The wait is bounded by its caller, and a mark left by a watch that
 * never answers expires after `MAX_LISTING_MS`.
 *
 * Memory is bounded, as gitops-engine's is by keeping manifests of managed
 * objects only: an object tracked by an Application is kept whole (without
 * Fleetplane's own and status `managedFields` entries, see managed-fields.ts;
 * as JSON outside the V8 heap: see packed-json.ts), any other only as present (reading it goes to the cluster). Past `maxBytes`,
 * the kind that outgrew it keeps only which objects exist, until its watch
 * lists it again: a read that finds none of its objects there (a new
 * Application's first comparison) is still answered, a read of a present
 * object goes to the cluster. A kind that does not fit even so is dropped
 * and read from the cluster.
 */
import { packJson, unpackJson } from '../../common/packed-json';
import { ResourceType } from '../../kube/resource-paths';
import { KubeObject, ObjectRef, refKey, refOf } from '../manifests/kube-object';
import { withoutOwnManagedFields } from '../diff/managed-fields';
import { trackedAppOf } from '../manifests/tracking';
import { LiveState } from './live-state';

export interface LiveCacheOptions {
  /** Longest time an Application goes on reading the cache before it reads the cluster again. */
  readonly authoritativeEveryMs: number;
  /** Bound of the estimated memory of every cached object (0: nothing is cached). */
  readonly maxBytes: number;
  /** Told when a kind of a cluster is not cached, or no longer, for want of room. */
  readonly onFull?: (clusterName: string, kindKey: string) => void;
  readonly now?: () => number;
}

/** One cluster's cache as a sync pass uses it. */
export interface ClusterLiveView {
  /** The cached object; null when the kind is cached and the object absent; undefined when unknown. */
  lookup(ref: ObjectRef): KubeObject | null | undefined;
  /** An object the server answered a write or read with. */
  observe(object: KubeObject): void;
  /** An object the server confirmed gone (deleted, or 404). */
  gone(ref: ObjectRef): void;
  /** Resolves when one of `refs` changes, after `ms`, or on abort, whichever comes first. */
  changed(refs: readonly ObjectRef[], ms: number, signal: AbortSignal): Promise<void>;
}

interface Entry {
  /** The object, when an Application tracks it (others are only known to exist). */
  readonly packed: Buffer | undefined;
  readonly resourceVersion: string;
  readonly appName: string | undefined;
  readonly bytes: number;
}

/** The cached objects of one kind on one cluster, by `namespace/name`. */
interface KindStore {
  readonly version: string;
  readonly namespaced: boolean;
  /** False once the kind outgrew the budget: entries say which objects exist, without them. */
  whole: boolean;
  readonly objects: Map<string, Entry>;
  /** Keys of the objects each Application tracks. */
  readonly tracked: Map<string, Set<string>>;
  /** resourceVersion at which recently deleted objects went away (a late answer must not revive them). */
  readonly tombstones: Map<string, string>;
  bytes: number;
}

/** A kind whose watch is listing it, and the reads waiting for that list. */
interface Listing {
  readonly sinceMs: number;
  readonly waiters: Set<() => void>;
}

interface ClusterState {
  readonly kinds: Map<string, KindStore>;
  /** Kinds being listed by their watch, not served yet. */
  readonly listing: Map<string, Listing>;
  /** When each Application last read the cluster itself. */
  readonly authoritative: Map<string, number>;
  readonly waiters: Map<string, Set<() => void>>;
  readsSinceSweep: number;
}

// Above this many namespaces for one kind, a read covers the whole cluster, as `readLiveState`'s lists do.
const MAX_NAMESPACED_SCOPES = 4;
// Tombstones outlive any answer still in flight; beyond this many a store forgets the oldest.
const MAX_TOMBSTONES = 1_024;
// Read clocks of Applications gone from the cluster are dropped on a sweep every so many reads.
const SWEEP_EVERY_READS = 1_024;
// Memory of an entry besides its JSON: key, resourceVersion, the entry, the buffer's wrappers.
const ENTRY_OVERHEAD_BYTES = 320;
// Memory of an entry that only says the object exists: key, resourceVersion, the entry.
const PRESENCE_BYTES = 128;
// A list still unanswered after this long is not waited for (the watch's own timeout is longer).
const MAX_LISTING_MS = 30_000;

export class LiveCache {
  private readonly clusters = new Map<string, ClusterState>();
  private readonly now: () => number;
  private bytes = 0;

  constructor(private readonly options: LiveCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  // --- fed by the drift watch ---

  /**
   * The watch of a kind started listing it: reads of the kind may wait for
   * the list (`listed`) until `resetKind`, `lostKind` or `forgetCluster`.
   * Nothing is marked when the list would not be kept (no room).
   */
  listing(clusterName: string, group: string, kind: string): void {
    if (this.bytes >= this.options.maxBytes) return;
    const state = this.cluster(clusterName);
    const key = kindKeyOf(group, kind);
    if (state.kinds.has(key) || state.listing.has(key)) return;
    state.listing.set(key, { sinceMs: this.now(), waiters: new Set() });
  }

  /**
   * Waits, at most `ms`, for the lists under way of the kinds of `refs`.
   * True when there was at least one and all of them ended (the kinds may
   * be served now); false at once when none of the kinds is being listed,
   * and on timeout or abort.
   */
  listed(
    clusterName: string,
    refs: readonly Pick<ObjectRef, 'group' | 'kind'>[],
    ms: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const listings = this.clusters.get(clusterName)?.listing;
    if (!listings) return Promise.resolve(false);
    const nowMs = this.now();
    const pending = new Set<Listing>();
    for (const ref of refs) {
      const key = kindKeyOf(ref.group, ref.kind);
      const listing = listings.get(key);
      if (!listing) continue;
      if (nowMs - listing.sinceMs >= MAX_LISTING_MS) listings.delete(key);
      else pending.add(listing);
    }
    if (pending.size === 0 || signal?.aborted) return Promise.resolve(false);
    return boundedWait(ms, signal, (finish) => {
      let left = pending.size;
      const ended = () => {
        if (--left === 0) finish(true);
      };
      for (const listing of pending) listing.waiters.add(ended);
      return () => {
        for (const listing of pending) listing.waiters.delete(ended);
      };
    });
  }

  /** A (re)list of `type`: the kind's cache starts over from `objects` and is served from now on. */
  resetKind(clusterName: string, type: ResourceType, objects: readonly KubeObject[]): void {
    this.dropKind(clusterName, type.group, type.kind);
    try {
      if (this.bytes >= this.options.maxBytes) {
        if (this.options.maxBytes > 0)
          this.options.onFull?.(clusterName, kindKeyOf(type.group, type.kind));
        return;
      }
      const store: KindStore = {
        version: type.version,
        namespaced: type.namespaced,
        whole: true,
        objects: new Map(),
        tracked: new Map(),
        tombstones: new Map(),
        bytes: 0,
      };
      this.cluster(clusterName).kinds.set(kindKeyOf(type.group, type.kind), store);
      for (const object of objects) this.observe(clusterName, object);
    } finally {
      this.endListing(clusterName, type.group, type.kind);
    }
  }

  /** The watch of a kind failed (or the kind outgrew the budget): read it from the cluster until it is listed again. */
  lostKind(clusterName: string, group: string, kind: string): void {
    this.dropKind(clusterName, group, kind);
    this.endListing(clusterName, group, kind);
  }

  private dropKind(clusterName: string, group: string, kind: string): void {
    const kinds = this.clusters.get(clusterName)?.kinds;
    const store = kinds?.get(kindKeyOf(group, kind));
    if (!kinds || !store) return;
    kinds.delete(kindKeyOf(group, kind));
    this.bytes -= store.bytes;
  }

  private endListing(clusterName: string, group: string, kind: string): void {
    const listings = this.clusters.get(clusterName)?.listing;
    const key = kindKeyOf(group, kind);
    const listing = listings?.get(key);
    if (!listing) return;
    listings!.delete(key);
    endWaits(listing);
  }

  /** An object as a watch event or a server answer has it; older than what is cached, it is ignored. */
  observe(clusterName: string, object: KubeObject): void {
    const state = this.clusters.get(clusterName);
    const ref = refOf(object);
    const store = state?.kinds.get(kindKeyOf(ref.group, ref.kind));
    if (!state || !store || ref.version !== store.version) return;
    const key = storeKey(ref);
    const resourceVersion = String(object.metadata.resourceVersion ?? '');
    const current = store.objects.get(key);
    if (current && !newer(resourceVersion, current.resourceVersion)) return;
    const tombstone = store.tombstones.get(key);
    if (tombstone !== undefined) {
      if (!newer(resourceVersion, tombstone)) return;
      store.tombstones.delete(key);
    }
    const appName = trackedAppOf(object);
    const packed = appName && store.whole ? packJson(withoutOwnManagedFields(object)) : undefined;
    const entry: Entry = {
      packed,
      resourceVersion,
      appName,
      bytes: packed ? ENTRY_OVERHEAD_BYTES + packed.length : PRESENCE_BYTES,
    };
    if (current?.appName !== entry.appName) {
      if (current?.appName) untrack(store, current.appName, key);
      if (entry.appName) track(store, entry.appName, key);
    }
    store.objects.set(key, entry);
    this.account(store, entry.bytes - (current?.bytes ?? 0));
    this.wake(state, refKey(ref));
    if (this.bytes > this.options.maxBytes) {
      if (store.whole) this.keepPresenceOnly(store);
      if (this.bytes > this.options.maxBytes) this.lostKind(clusterName, ref.group, ref.kind);
      this.options.onFull?.(clusterName, kindKeyOf(ref.group, ref.kind));
    }
  }

  /** Lets go of a kind's objects, keeping which exist (see the memory bound above). */
  private keepPresenceOnly(store: KindStore): void {
    store.whole = false;
    for (const [key, entry] of store.objects) {
      if (!entry.packed) continue;
      store.objects.set(key, { ...entry, packed: undefined, bytes: PRESENCE_BYTES });
      this.account(store, PRESENCE_BYTES - entry.bytes);
    }
  }

  /** A DELETED event (or a deletion the server confirmed). */
  removed(clusterName: string, ref: ObjectRef, resourceVersion = ''): void {
    const state = this.clusters.get(clusterName);
    const store = state?.kinds.get(kindKeyOf(ref.group, ref.kind));
    if (!state || !store) return;
    const key = storeKey(ref);
    const current = store.objects.get(key);
    if (current && resourceVersion && !newer(resourceVersion, current.resourceVersion)) return;
    if (current) {
      store.objects.delete(key);
      this.account(store, -current.bytes);
      if (current.appName) untrack(store, current.appName, key);
    }
    const stamp = resourceVersion || current?.resourceVersion;
    if (stamp) {
      store.tombstones.delete(key);
      store.tombstones.set(key, stamp);
      if (store.tombstones.size > MAX_TOMBSTONES) {
        store.tombstones.delete(store.tombstones.keys().next().value!);
      }
    }
    this.wake(state, refKey(ref));
  }

  /** A cluster removed, or its watches stopped: nothing of it is served any more. */
  forgetCluster(clusterName: string): void {
    const state = this.clusters.get(clusterName);
    this.clusters.delete(clusterName);
    for (const store of state?.kinds.values() ?? []) this.bytes -= store.bytes;
    // Waiting health checks and reads go back to reading the cluster.
    for (const waiters of state?.waiters.values() ?? []) for (const wake of waiters) wake();
    for (const listing of state?.listing.values() ?? []) endWaits(listing);
  }

  // --- read by sync passes ---

  /**
   * The live state of `appName` for `refs` (desired ∪ inventory), as
   * `readLiveState` would read it, or undefined when the cluster must be read:
   * a kind is not cached, or the Application's authoritative read is due.
   */
  read(clusterName: string, appName: string, refs: readonly ObjectRef[]): LiveState | undefined {
    const state = this.clusters.get(clusterName);
    if (!state) return undefined;
    const nowMs = this.now();
    if (++state.readsSinceSweep >= SWEEP_EVERY_READS) this.sweepClocks(state, nowMs);
    const last = state.authoritative.get(appName);
    if (last === undefined) state.authoritative.set(appName, nowMs);
    else if (nowMs - last >= this.options.authoritativeEveryMs) return undefined;
    const byKind = new Map<string, { store: KindStore; namespaces: Set<string> }>();
    for (const ref of refs) {
      const kindKey = kindKeyOf(ref.group, ref.kind);
      let entry = byKind.get(kindKey);
      if (!entry) {
        const store = state.kinds.get(kindKey);
        if (!store || store.version !== ref.version) return undefined;
        entry = { store, namespaces: new Set() };
        byKind.set(kindKey, entry);
      }
      entry.namespaces.add(ref.namespace);
    }
    const wanted = new Set(refs.map(refKey));
    const byKey = new Map<string, KubeObject>();
    for (const ref of refs) {
      const cached = byKind.get(kindKeyOf(ref.group, ref.kind))!.store.objects.get(storeKey(ref));
      if (!cached) continue;
      // Someone else's object where the app wants one, or a kind kept as presence only: the cluster has it.
      if (!cached.packed) return undefined;
      byKey.set(refKey(ref), unpackJson<KubeObject>(cached.packed));
    }
    for (const [kindKey, { store, namespaces }] of byKind) {
      const everywhere = !store.namespaced || namespaces.size > MAX_NAMESPACED_SCOPES;
      for (const key of store.tracked.get(appName) ?? []) {
        // Decided from the keys (a refKey is the kind's key and the store's), unpacking only what is kept.
        if (!everywhere && !namespaces.has(key.slice(0, key.indexOf('/')))) continue;
        const ref = `${kindKey}/${key}`;
        if (wanted.has(ref)) continue;
        const packed = store.objects.get(key)!.packed;
        if (!packed) return undefined;
        byKey.set(ref, unpackJson<KubeObject>(packed));
      }
    }
    return { byKey, unknownKinds: new Set() };
  }

  /** Records that `appName` read the cluster itself (its next reads may use the cache again). */
  readCluster(clusterName: string, appName: string): void {
    this.cluster(clusterName).authoritative.set(appName, this.now());
  }

  /** The view of one cluster a sync pass works with. */
  view(clusterName: string): ClusterLiveView {
    return {
      lookup: (ref) => {
        const store = this.clusters.get(clusterName)?.kinds.get(kindKeyOf(ref.group, ref.kind));
        if (!store || store.version !== ref.version) return undefined;
        const cached = store.objects.get(storeKey(ref));
        if (!cached) return null;
        return cached.packed ? unpackJson<KubeObject>(cached.packed) : undefined;
      },
      observe: (object) => this.observe(clusterName, object),
      gone: (ref) => this.removed(clusterName, ref),
      changed: (refs, ms, signal) => this.changed(clusterName, refs, ms, signal),
    };
  }

  /**
   * Objects known, the estimated memory they take, Applications' read
   * clocks and the kinds being listed (reads may wait for those), for
   * metrics and tests.
   */
  get stats(): { objects: number; bytes: number; readClocks: number; listing: number } {
    let objects = 0;
    let readClocks = 0;
    let listing = 0;
    for (const state of this.clusters.values()) {
      readClocks += state.authoritative.size;
      listing += state.listing.size;
      for (const store of state.kinds.values()) objects += store.objects.size;
    }
    return { objects, bytes: this.bytes, readClocks, listing };
  }

  /**
   * Drops the read clocks of Applications that have not read for two
   * intervals: gone from the cluster (a live one compares every interval).
   */
  private sweepClocks(state: ClusterState, nowMs: number): void {
    state.readsSinceSweep = 0;
    for (const [appName, last] of state.authoritative) {
      if (nowMs - last >= 2 * this.options.authoritativeEveryMs)
        state.authoritative.delete(appName);
    }
  }

  private account(store: KindStore, delta: number): void {
    store.bytes += delta;
    this.bytes += delta;
  }

  private changed(
    clusterName: string,
    refs: readonly ObjectRef[],
    ms: number,
    signal: AbortSignal,
  ): Promise<void> {
    const state = this.clusters.get(clusterName);
    const keys = refs.map(refKey);
    return boundedWait(ms, signal, (finish) => {
      const woken = () => finish(true);
      for (const key of keys) {
        if (!state) break;
        let set = state.waiters.get(key);
        if (!set) {
          set = new Set();
          state.waiters.set(key, set);
        }
        set.add(woken);
      }
      return () => {
        for (const key of keys) state?.waiters.get(key)?.delete(woken);
      };
    }).then(() => undefined);
  }

  private wake(state: ClusterState, key: string): void {
    const waiters = state.waiters.get(key);
    if (!waiters) return;
    state.waiters.delete(key);
    for (const wake of waiters) wake();
  }

  private cluster(clusterName: string): ClusterState {
    let state = this.clusters.get(clusterName);
    if (!state) {
      state = {
        kinds: new Map(),
        listing: new Map(),
        authoritative: new Map(),
        waiters: new Map(),
        readsSinceSweep: 0,
      };
      this.clusters.set(clusterName, state);
    }
    return state;
  }
}

/** Ends every read waiting for a listing (a copy: each removes itself while ending). */
function endWaits(listing: Listing): void {
  for (const ended of [...listing.waiters]) ended();
}

/**
 * Waits for what `subscribe` arms to call `finish`, at most `ms`, or until
 * `signal` aborts (both resolve false); `subscribe` returns what disarms it.
 */
function boundedWait(
  ms: number,
  signal: AbortSignal | undefined,
  subscribe: (finish: (value: boolean) => void) => () => void,
): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let unsubscribe: () => void = () => undefined;
    let settled = false;
    const finish = (value: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      unsubscribe();
      resolve(value);
    };
    const aborted = () => finish(false);
    const timer = setTimeout(aborted, ms);
    if (signal?.aborted) return aborted();
    signal?.addEventListener('abort', aborted, { once: true });
    unsubscribe = subscribe(finish);
    if (settled) unsubscribe();
  });
}

function kindKeyOf(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function storeKey(ref: ObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}

function track(store: KindStore, appName: string, key: string): void {
  let keys = store.tracked.get(appName);
  if (!keys) {
    keys = new Set();
    store.tracked.set(appName, keys);
  }
  keys.add(key);
}

function untrack(store: KindStore, appName: string, key: string): void {
  const keys = store.tracked.get(appName);
  keys?.delete(key);
  if (keys?.size === 0) store.tracked.delete(appName);
}

/**
 * True when `candidate` is a later resourceVersion than `current`. They are
 * opaque to clients, but every API server backed by etcd issues increasing
 * integers; anything else is taken as newer (the latest word wins).
 */
export function newer(candidate: string, current: string): boolean {
  if (!/^\d+$/.test(candidate) || !/^\d+$/.test(current)) return true;
  if (candidate.length !== current.length) return candidate.length > current.length;
  return candidate > current;
}
