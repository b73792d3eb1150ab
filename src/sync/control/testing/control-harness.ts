/**
 * A cluster worker wired to the fake engine and an in-memory "database" of
 * writes, with a hand-driven clock: service specs of the control half run
 * real decisions, real passes and real scheduling without Postgres or a
 * cluster. Test code only.
 */
import { appendEntries } from '../../status/history';
import { Application } from '../../../argo/application.types';
import { KubeObject } from '../../manifests/kube-object';
import { StatusWrite } from '../persistence/sync-state.repository';
import { ApplicationPass } from '../runtime/app-pass';
import { ClusterWorker } from '../runtime/cluster-worker';
import { ConcurrencyGate } from '../runtime/concurrency-gate';
import { RevisionTracker } from '../runtime/revision-tracker';
import {
  ApplicationSyncStatus,
  EMPTY_SYNC_STATE,
  SyncState,
  SyncedApplication,
} from '../sync-control.types';
import { OperationMemory } from '../runtime/operation-runner';
import { FakeDriftWatcher, FakeExecutor, FakeRenderer } from './fake-engine';

export const CLUSTER = 'c1';

/** A Deployment, Service and ConfigMap, as a typical Application renders them. */
export function webObjects(image = 'nginx:1.27', extra: KubeObject[] = []): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { greeting: 'hello' } },
    ...extra,
  ];
}

export function application(
  name: string,
  syncPolicy?: Application['spec']['syncPolicy'],
  path = 'web',
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/apps.git', targetRevision: 'main', path },
      destination: { name: CLUSTER, namespace: 'web' },
      ...(syncPolicy ? { syncPolicy } : {}),
    },
  };
}

export function stored(
  manifest: Application,
  over: Partial<SyncedApplication> = {},
  state: Partial<SyncState> = {},
): SyncedApplication {
  return {
    id: `id-${manifest.metadata.name}`,
    name: manifest.metadata.name,
    clusterName: CLUSTER,
    destServer: 'https://c1.example.com',
    applicationSetId: 'owner-1',
    manifest,
    rowHash: 'h1',
    status: {},
    state: { ...EMPTY_SYNC_STATE, ...state },
    ...over,
  };
}

export class ControlHarness {
  nowMs = Date.parse('2026-06-01T12:00:00Z');
  readonly renderer = new FakeRenderer();
  readonly executor = new FakeExecutor();
  readonly watcher = new FakeDriftWatcher();
  readonly writes: StatusWrite[] = [];
  /** The last written status and memory per Application id. */
  readonly db = new Map<string, { status?: unknown; state?: unknown }>();
  readonly removed: string[] = [];
  readonly owners: (string | null)[] = [];
  readonly connection: { ok: boolean; message: string }[] = [];
  readonly operations: string[] = [];
  leaseHeld = true;
  readonly revisions: RevisionTracker;
  readonly worker: ClusterWorker;

  constructor(
    settings: { syncTimeoutMs?: number; clusterApps?: number; gate?: ConcurrencyGate } = {},
  ) {
    const now = () => this.nowMs;
    this.revisions = new RevisionTracker(
      (source) => this.renderer.resolveRevision(source),
      (followers) => followers.forEach((id) => this.worker.enqueue(id)),
      { ttlMs: 60_000, concurrency: 2 },
      now,
    );
    const write = async (w: StatusWrite) => {
      if (!this.leaseHeld) return false;
      this.writes.push(w);
      const row = this.db.get(w.id) ?? {};
      // As the status batch does: the stored history is kept, with the write's entries added.
      const history = (row.status as ApplicationSyncStatus | undefined)?.history ?? [];
      this.db.set(w.id, {
        ...row,
        ...(w.status
          ? { status: { ...w.status, history: appendEntries(history, w.historyAppend) } }
          : {}),
        ...(w.state ? { state: w.state } : {}),
      });
      return true;
    };
    const pass = new ApplicationPass({
      renderer: this.renderer,
      executor: this.executor,
      revisions: this.revisions,
      write,
      removeDeleted: async (id) => {
        this.removed.push(id);
        return { ownerId: 'owner-1' };
      },
      onRemoved: (owner) => this.owners.push(owner),
      metrics: { operationFinished: (_n, _d, phase) => this.operations.push(phase) },
      settings: { compareIntervalMs: 180_000, syncTimeoutMs: settings.syncTimeoutMs ?? 0 },
      now,
      random: () => 0.5,
    });
    this.worker = new ClusterWorker(CLUSTER, {
      pass,
      gate: settings.gate ?? new ConcurrencyGate(16),
      access: async (name) => ({
        name,
        access: { server: 'https://c1.example.com', insecureSkipTLSVerify: false },
      }),
      watcher: this.watcher,
      write,
      connection: (_c, ok, message) => this.connection.push({ ok, message }),
      passFinished: () => undefined,
      forget: (id) => this.revisions.forget(id),
      settings: { clusterApps: settings.clusterApps ?? 4, compareIntervalMs: 180_000 },
      now,
      random: () => 0.5,
    });
  }

  get cluster() {
    return this.executor.cluster(CLUSTER);
  }

  /** The status last written for an Application. */
  status(id: string): ApplicationSyncStatus {
    return this.db.get(id)?.status as ApplicationSyncStatus;
  }

  /** The memory last written for an Application. */
  state(id: string): OperationMemory {
    return this.db.get(id)?.state as OperationMemory;
  }

  /** Waits until the worker has nothing running or queued. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const worker = this.worker as unknown as {
        running: Map<string, unknown>;
        ready: Set<string>;
      };
      if (worker.running.size === 0 && worker.ready.size === 0) return;
    }
    throw new Error('the worker did not settle');
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }

  /** Moves the clock and starts the looks that fall due by then (`advance` leaves them to real time). */
  elapse(ms: number): void {
    this.advance(ms);
    (this.worker as unknown as { timers: { fireDue(): void } }).timers.fireDue();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}
