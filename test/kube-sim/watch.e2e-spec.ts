/**
 * Watches through @kubernetes/client-node's Watch, as against a real API
 * server: the initial ADDED events, events after a given resourceVersion,
 * resumption after a disconnect without loss or repetition, 410 Expired for a
 * version older than the retained history, bookmarks, and label selectors
 * (an object that stops matching is DELETED for that watcher).
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { eventually } from '../support/wait';
import { KubeSim, SimCluster } from './index';
import { Named, kubeConfigFor, objectClient } from './testing/client-node';

interface Event {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata?: Record<string, unknown>;
    data?: Record<string, string>;
  };
}

/** A running watch that collects its events. */
async function watchEvents(
  kc: KubeConfig,
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
) {
  const events: Event[] = [];
  let closed: unknown;
  const controller = await new Watch(kc).watch(
    path,
    params,
    (type, object) => events.push({ type, object }),
    (error) => {
      closed = error ?? 'closed';
    },
  );
  return {
    events,
    closed: () => closed,
    /** The events once there are at least `count` of them. */
    until: (count: number) =>
      eventually(async () => events.length >= count && events, 10_000, `${count} watch events`),
    stop: () => controller.abort(),
  };
}

const summary = (events: Event[]) =>
  events.map((e) => `${e.type} ${String(e.object.metadata?.name ?? '')}`.trim());

describe('kube-sim watch (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let kc: KubeConfig;
  let api: ReturnType<typeof objectClient>;
  const path = '/api/v1/namespaces/watched/configmaps';
  const cm = (
    name: string,
    data: Record<string, string> = {},
    labels: Record<string, string> = {},
  ): Named<{ data: Record<string, string> }> => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'watched', labels },
    data,
  });

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, watchHistory: 20, bookmarkIntervalMs: 100 });
    cluster = sim.cluster('sim-0');
    kc = kubeConfigFor(cluster);
    api = objectClient(cluster);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
  });
  afterAll(() => sim.stop());

  it('starts with ADDED for what exists, then streams changes as they happen', async () => {
    await api.create(cm('existing'));
    const watch = await watchEvents(kc, path);
    try {
      await watch.until(1);
      await api.create(cm('new'));
      await api.patch(
        cm('new', { k: 'v' }),
        undefined,
        undefined,
        'test',
        undefined,
        'application/merge-patch+json',
      );
      await api.delete(cm('new'));
      const events = await watch.until(4);
      expect(summary(events)).toEqual([
        'ADDED existing',
        'ADDED new',
        'MODIFIED new',
        'DELETED new',
      ]);
      expect(events[2].object.data).toEqual({ k: 'v' });
      const versions = events.map((e) => Number(e.object.metadata?.resourceVersion));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      watch.stop();
    }
  });

  it('from a resourceVersion, sends only what happened after it', async () => {
    const created = await api.create(cm('versioned', { n: '1' }));
    const since = created.metadata?.resourceVersion as string;
    await api.replace({ ...created, data: { n: '2' } });
    await api.delete(cm('versioned'));
    const watch = await watchEvents(kc, path, { resourceVersion: since });
    try {
      const events = await watch.until(2);
      expect(summary(events)).toEqual(['MODIFIED versioned', 'DELETED versioned']);
      expect(events[0].object.data).toEqual({ n: '2' });
    } finally {
      watch.stop();
    }
  });

  it('resumes after a disconnect from the last version seen, missing and repeating nothing', async () => {
    const first = await watchEvents(kc, path, {
      resourceVersion: String(cluster.ctx.store.resourceVersion),
    });
    await api.create(cm('resume-1'));
    const [seen] = await first.until(1);
    first.stop();
    await eventually(async () => first.closed() !== undefined, 10_000, 'the first watch to close');

    await api.create(cm('resume-2'));
    await api.create(cm('resume-3'));
    const second = await watchEvents(kc, path, {
      resourceVersion: String(seen.object.metadata?.resourceVersion),
    });
    try {
      await api.create(cm('resume-4'));
      const events = await second.until(3);
      expect(summary(events)).toEqual(['ADDED resume-2', 'ADDED resume-3', 'ADDED resume-4']);
    } finally {
      second.stop();
    }
  });

  it('answers a version older than the retained history with 410 Expired', async () => {
    const created = await api.create(cm('churn'));
    const old = created.metadata?.resourceVersion as string;
    for (let i = 0; i < 25; i++) {
      await api.patch(
        cm('churn', { i: String(i) }),
        undefined,
        undefined,
        'test',
        undefined,
        'application/merge-patch+json',
      );
    }
    const watch = await watchEvents(kc, path, { resourceVersion: old });
    const [error] = await watch.until(1);
    expect(error.type).toBe('ERROR');
    expect(error.object).toEqual(
      expect.objectContaining({
        kind: 'Status',
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
      }),
    );
    await eventually(
      async () => watch.closed() !== undefined,
      10_000,
      'the expired watch to close',
    );
    // Relisting and watching from the list's version works again.
    const list = await api.list('v1', 'ConfigMap', 'watched');
    const again = await watchEvents(kc, path, { resourceVersion: list.metadata?.resourceVersion });
    try {
      await api.delete(cm('churn'));
      expect(summary(await again.until(1))).toEqual(['DELETED churn']);
    } finally {
      again.stop();
    }
  });

  it('sends bookmarks when allowed, and the initial-events-end bookmark for sendInitialEvents', async () => {
    const watch = await watchEvents(kc, path, {
      allowWatchBookmarks: true,
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    try {
      const events = await eventually(
        async () => watch.events.filter((e) => e.type === 'BOOKMARK').length >= 2 && watch.events,
        10_000,
        'two bookmarks',
      );
      const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
      expect(bookmarks[0].object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          resourceVersion: expect.stringMatching(/^\d+$/),
          creationTimestamp: null,
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      });
      expect(bookmarks[1].object.metadata).toEqual({
        resourceVersion: expect.stringMatching(/^\d+$/),
        creationTimestamp: null,
      });
      const initial = events.slice(0, events.indexOf(bookmarks[0]));
      expect(initial.every((e) => e.type === 'ADDED')).toBe(true);
    } finally {
      watch.stop();
    }
  });

  it('with a label selector, an object that stops matching is DELETED and one that starts is ADDED', async () => {
    const watch = await watchEvents(kc, path, {
      labelSelector: 'tier=web',
      resourceVersion: String(cluster.ctx.store.resourceVersion),
    });
    try {
      await api.create(cm('labelled', {}, { tier: 'web' }));
      await api.create(cm('other', {}, { tier: 'db' }));
      await api.patch(
        cm('labelled', {}, { tier: 'db' }),
        undefined,
        undefined,
        'test',
        undefined,
        'application/merge-patch+json',
      );
      await api.patch(
        cm('other', {}, { tier: 'web' }),
        undefined,
        undefined,
        'test',
        undefined,
        'application/merge-patch+json',
      );
      expect(summary(await watch.until(3))).toEqual([
        'ADDED labelled',
        'DELETED labelled',
        'ADDED other',
      ]);
    } finally {
      watch.stop();
    }
  });
});
