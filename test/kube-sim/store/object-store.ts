/**
 * One virtual cluster's objects, like etcd behind the API server: objects by
 * resource and key, a cluster-wide `resourceVersion` that every committed
 * change advances by one, and a bounded history of change events that watches
 * resume from (older positions answer 410 Expired, as after a compaction).
 * Stored objects are never mutated; a commit stores a new object.
 */
import { KubeObject, objectName, objectNamespace } from '../api/kube-object';
import { expired } from '../api/status';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A committed change. `previous` is the object before it (absent for ADDED). */
export interface StoreEvent {
  readonly type: WatchEventType;
  readonly resource: string;
  readonly resourceVersion: number;
  readonly object: KubeObject;
  readonly previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

/** `group/plural`: objects of all versions of a resource share one keyspace. */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

/** `namespace/name`, or `name` for cluster-scoped objects: etcd's key order. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectStore {
  private revision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  /** The newest revision no longer in the history (0 while nothing was dropped). */
  private compactedRevision = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly historyLimit: number) {}

  /** The newest committed resourceVersion. */
  get resourceVersion(): number {
    return this.revision;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(objectKey(namespace, name));
  }

  /** Objects of a resource (in one namespace when given), in key order. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = this.objects.get(resource);
    if (!all) return [];
    const out: KubeObject[] = [];
    for (const object of all.values()) {
      if (namespace === undefined || objectNamespace(object) === namespace) out.push(object);
    }
    return out.sort((a, b) => compareKeys(a, b));
  }

  /** The resources that have (or had) objects, as `group/plural` keys. */
  resources(): string[] {
    return [...this.objects.keys()];
  }

  /** Number of stored objects (all resources). */
  size(): number {
    let n = 0;
    for (const byKey of this.objects.values()) n += byKey.size;
    return n;
  }

  /**
   * Stores `object` (a new object or a new version), stamping the next
   * resourceVersion, records the event and tells the listeners. Returns the
   * stored object.
   */
  put(resource: string, object: KubeObject): KubeObject {
    const key = objectKey(objectNamespace(object), objectName(object));
    const byKey = this.objects.get(resource) ?? new Map<string, KubeObject>();
    this.objects.set(resource, byKey);
    const previous = byKey.get(key);
    const rv = ++this.revision;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    byKey.set(key, stored);
    this.record({
      type: previous ? 'MODIFIED' : 'ADDED',
      resource,
      resourceVersion: rv,
      object: stored,
      previous,
    });
    return stored;
  }

  /**
   * Removes an object; the DELETED event carries `object` (its final state) at
   * a new resourceVersion. Returns undefined when it was not stored.
   */
  remove(resource: string, object: KubeObject): KubeObject | undefined {
    const key = objectKey(objectNamespace(object), objectName(object));
    const byKey = this.objects.get(resource);
    const previous = byKey?.get(key);
    if (!byKey || !previous) return undefined;
    byKey.delete(key);
    const rv = ++this.revision;
    const gone: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    this.record({ type: 'DELETED', resource, resourceVersion: rv, object: gone, previous });
    return gone;
  }

  /**
   * Events of `resource` after `resourceVersion`, oldest first. Throws 410
   * Expired when the history no longer reaches back that far.
   */
  eventsSince(resource: string, resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.compactedRevision) {
      throw expired(`too old resource version: ${resourceVersion} (${this.compactedRevision + 1})`);
    }
    const out: StoreEvent[] = [];
    for (let i = this.historyStart; i < this.history.length; i++) {
      const event = this.history[i];
      if (event.resourceVersion > resourceVersion && event.resource === resource) out.push(event);
    }
    return out;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.compactedRevision;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.compactedRevision = this.history[this.historyStart].resourceVersion;
      this.historyStart++;
      // Reclaim the dropped prefix in batches rather than shifting on every event.
      if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of this.listeners) listener(event);
  }
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const ka = objectKey(objectNamespace(a), objectName(a));
  const kb = objectKey(objectNamespace(b), objectName(b));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
