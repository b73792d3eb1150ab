/**
 * Which kinds Fleetplane manages on each cluster, learnt from every
 * comparison and sync (desired objects and inventories), so the drift
 * watcher knows what to watch without the control half telling it. Kinds
 * are only added: a kind no Application uses any more costs one idle watch
 * until the watcher restarts.
 */
import { ObjectRef } from '../manifests/kube-object';

/** A kind as the watcher needs it (the version is the one last seen in a manifest). */
export interface ManagedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

type Listener = (kinds: readonly ManagedKind[]) => void;

export class ManagedKinds {
  private readonly byCluster = new Map<string, Map<string, ManagedKind>>();
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Records the kinds of `refs` for `clusterName`; listeners hear about new ones. */
  note(clusterName: string, refs: readonly Pick<ObjectRef, 'group' | 'version' | 'kind'>[]): void {
    let kinds = this.byCluster.get(clusterName);
    if (!kinds) {
      kinds = new Map();
      this.byCluster.set(clusterName, kinds);
    }
    const added: ManagedKind[] = [];
    for (const ref of refs) {
      const key = `${ref.group}/${ref.kind}`;
      if (kinds.has(key)) continue;
      const kind = { group: ref.group, version: ref.version, kind: ref.kind };
      kinds.set(key, kind);
      added.push(kind);
    }
    if (added.length === 0) return;
    for (const listener of this.listeners.get(clusterName) ?? []) {
      try {
        listener(added);
      } catch {
        // A listener's failure must not fail a sync.
      }
    }
  }

  /** The kinds known for a cluster. */
  kindsOf(clusterName: string): ManagedKind[] {
    return [...(this.byCluster.get(clusterName)?.values() ?? [])];
  }

  /** Calls `listener` with kinds added for `clusterName` from now on; returns the unsubscribe function. */
  subscribe(clusterName: string, listener: Listener): () => void {
    const set = this.listeners.get(clusterName) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(clusterName, set);
    return () => set.delete(listener);
  }

  /** Forgets a removed cluster. */
  forget(clusterName: string): void {
    this.byCluster.delete(clusterName);
  }
}
