import { ResourceType } from '../../kube/resource-paths';
import { KubeObject, ObjectRef } from '../manifests/kube-object';
import { TRACKING_ANNOTATION } from '../manifests/tracking';
import { LiveCache, newer } from './live-cache';

const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
};

function deployment(
  name: string,
  resourceVersion: string,
  options: { app?: string; namespace?: string; image?: string } = {},
): KubeObject {
  const namespace = options.namespace ?? 'prod';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      resourceVersion,
      managedFields: [{ manager: 'fleetplane', operation: 'Apply' }],
      ...(options.app
        ? {
            annotations: {
              [TRACKING_ANNOTATION]: `${options.app}:apps/Deployment:${namespace}/${name}`,
            },
          }
        : {}),
    },
    spec: { template: { spec: { containers: [{ name: 'web', image: options.image ?? 'a' }] } } },
  };
}

function ref(name: string, namespace = 'prod'): ObjectRef {
  return { group: 'apps', version: 'v1', kind: 'Deployment', namespace, name };
}

const imageOf = (object: KubeObject | null | undefined) =>
  (object?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined)
    ?.template.spec.containers[0].image;

describe('LiveCache', () => {
  let nowMs: number;
  let cache: LiveCache;

  beforeEach(() => {
    nowMs = 1_000_000;
    cache = new LiveCache({
      authoritativeEveryMs: 180_000,
      maxBytes: 1024 * 1024,
      now: () => nowMs,
    });
  });

  it('reads nothing of a kind before its watch listed it', () => {
    expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
    expect(cache.view('c1').lookup(ref('web'))).toBeUndefined();
  });

  it('answers like a list: desired objects and those the app tracks, without managedFields', () => {
    cache.resetKind('c1', DEPLOYMENTS, [
      deployment('web', '10', { app: 'web' }),
      deployment('old', '11', { app: 'web' }),
      deployment('other', '12', { app: 'other' }),
    ]);
    const live = cache.read('c1', 'web', [ref('web')])!;
    expect([...live.byKey.keys()].sort()).toEqual([
      'apps/Deployment/prod/old',
      'apps/Deployment/prod/web',
    ]);
    expect(live.byKey.get('apps/Deployment/prod/web')!.metadata.managedFields).toBeUndefined();
    expect(cache.view('c1').lookup(ref('missing'))).toBeNull();
  });

  it('keeps a tracked object only in the namespaces concerned, as a namespaced list would', () => {
    cache.resetKind('c1', DEPLOYMENTS, [
      deployment('web', '10', { app: 'web' }),
      deployment('stray', '11', { app: 'web', namespace: 'elsewhere' }),
    ]);
    const live = cache.read('c1', 'web', [ref('web')])!;
    expect([...live.byKey.keys()]).toEqual(['apps/Deployment/prod/web']);
  });

  it("sends a read to the cluster for someone else's object the app wants (it is not kept)", () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10')]);
    expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
    expect(cache.view('c1').lookup(ref('web'))).toBeUndefined();
  });

  it('serves only the version the watch reads', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    expect(cache.read('c1', 'web', [{ ...ref('web'), version: 'v1beta1' }])).toBeUndefined();
  });

  it('orders by resourceVersion: an older answer never replaces a newer event', () => {
    cache.resetKind('c1', DEPLOYMENTS, []);
    cache.observe('c1', deployment('web', '20', { app: 'web', image: 'new' }));
    cache.observe('c1', deployment('web', '19', { app: 'web', image: 'old' }));
    expect(imageOf(cache.view('c1').lookup(ref('web')))).toBe('new');
  });

  it('does not revive a deleted object from a late answer, but takes a newer re-creation', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    cache.removed('c1', ref('web'), '12');
    cache.observe('c1', deployment('web', '11', { app: 'web' }));
    expect(cache.view('c1').lookup(ref('web'))).toBeNull();
    expect(cache.read('c1', 'web', [ref('other')])!.byKey.size).toBe(0);
    cache.observe('c1', deployment('web', '13', { app: 'web', image: 'again' }));
    expect(imageOf(cache.view('c1').lookup(ref('web')))).toBe('again');
  });

  it('stops serving a kind whose watch failed, until it is listed again', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    cache.lostKind('c1', 'apps', 'Deployment');
    expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
    expect(cache.stats).toMatchObject({ objects: 0, bytes: 0 });
  });

  it('has each Application read the cluster itself once per interval', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    expect(cache.read('c1', 'web', [ref('web')])).toBeDefined();
    nowMs += 179_999;
    expect(cache.read('c1', 'web', [ref('web')])).toBeDefined();
    nowMs += 1;
    expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
    cache.readCluster('c1', 'web');
    expect(cache.read('c1', 'web', [ref('web')])).toBeDefined();
  });

  it('drops the read clocks of Applications that stopped reading (gone from the cluster)', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    cache.read('c1', 'gone', [ref('web')]);
    nowMs += 2 * 180_000;
    for (let i = 0; i < 1_024; i++) cache.read('c1', 'web', [ref('web')]);
    expect(cache.stats.readClocks).toBe(1);
  });

  it('wakes a health wait when one of its objects changes, and on time otherwise', async () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    const signal = new AbortController().signal;
    const waited = cache.view('c1').changed([ref('web')], 60_000, signal);
    cache.observe('c1', deployment('web', '11', { app: 'web', image: 'b' }));
    await expect(waited).resolves.toBeUndefined();
    const started = Date.now();
    await cache.view('c1').changed([ref('web')], 20, signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('keeps within its memory bound: a kind that outgrows it keeps only which objects exist', () => {
    const full: string[] = [];
    const small = new LiveCache({
      authoritativeEveryMs: 180_000,
      maxBytes: 8_192,
      onFull: (cluster, kind) => full.push(`${cluster} ${kind}`),
    });
    small.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    expect(small.read('c1', 'web', [ref('web')])?.byKey.size).toBe(1);
    for (let i = 0; i < 20; i++)
      small.observe('c1', deployment(`w${i}`, `${20 + i}`, { app: `app${i}` }));
    expect(full).toEqual(['c1 apps/Deployment']);
    expect(small.stats.bytes).toBeLessThanOrEqual(8_192);
    // A present object is read from the cluster; an Application none of whose objects exist
    // yet (a first comparison) is still answered.
    expect(small.read('c1', 'web', [ref('web')])).toBeUndefined();
    expect(small.view('c1').lookup(ref('w3'))).toBeUndefined();
    expect(small.read('c1', 'new', [ref('new')])?.byKey.size).toBe(0);
    expect(small.view('c1').lookup(ref('new'))).toBeNull();
    // Objects the Application tracks but no longer wants must be read too (prune needs them).
    expect(small.read('c1', 'app3', [ref('new')])).toBeUndefined();
    // It goes on following the watch: a deletion is known.
    small.removed('c1', ref('w3'), '99');
    expect(small.view('c1').lookup(ref('w3'))).toBeNull();
    // Listed again, the kind is kept whole.
    small.resetKind('c1', DEPLOYMENTS, [deployment('web', '100', { app: 'web' })]);
    expect(imageOf(small.view('c1').lookup(ref('web')))).toBe('a');
  });

  it('drops a kind that does not fit even as presence only', () => {
    const full: string[] = [];
    const tiny = new LiveCache({
      authoritativeEveryMs: 180_000,
      maxBytes: 1_024,
      onFull: (cluster, kind) => full.push(`${cluster} ${kind}`),
    });
    tiny.resetKind('c1', DEPLOYMENTS, []);
    for (let i = 0; i < 20; i++) tiny.observe('c1', deployment(`w${i}`, `${20 + i}`));
    expect(tiny.read('c1', 'new', [ref('new')])).toBeUndefined();
    expect(tiny.stats).toMatchObject({ objects: 0, bytes: 0 });
    expect(full).toEqual(['c1 apps/Deployment']);
    expect(new LiveCache({ authoritativeEveryMs: 1, maxBytes: 0 }).stats.objects).toBe(0);
  });

  describe('reads waiting for a watch that is listing', () => {
    const signal = () => new AbortController().signal;

    it('lets a read wait for the list, then serves it from the cache', async () => {
      cache.listing('c1', 'apps', 'Deployment');
      const waited = cache.listed('c1', [ref('web')], 60_000, signal());
      cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
      await expect(waited).resolves.toBe(true);
      expect(cache.read('c1', 'web', [ref('web')])?.byKey.size).toBe(1);
    });

    it('waits for every kind being listed, and not for kinds that are not', async () => {
      cache.listing('c1', 'apps', 'Deployment');
      cache.listing('c1', '', 'Namespace');
      let ended = false;
      const waited = cache
        .listed('c1', [ref('web'), { group: '', kind: 'Namespace' }], 60_000, signal())
        .then((all) => (ended = all));
      cache.resetKind('c1', DEPLOYMENTS, []);
      await Promise.resolve();
      expect(ended).toBe(false);
      cache.lostKind('c1', '', 'Namespace');
      await expect(waited).resolves.toBe(true);
      await expect(
        cache.listed('c1', [{ group: '', kind: 'Service' }], 60_000, signal()),
      ).resolves.toBe(false);
    });

    it('ends the wait when the list fails or the cluster goes (the read then goes to the cluster)', async () => {
      cache.listing('c1', 'apps', 'Deployment');
      const failed = cache.listed('c1', [ref('web')], 60_000, signal());
      cache.lostKind('c1', 'apps', 'Deployment');
      await expect(failed).resolves.toBe(true);
      expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
      cache.listing('c1', 'apps', 'Deployment');
      const forgotten = cache.listed('c1', [ref('web')], 60_000, signal());
      cache.forgetCluster('c1');
      await expect(forgotten).resolves.toBe(true);
    });

    it('gives up on time and on abort', async () => {
      cache.listing('c1', 'apps', 'Deployment');
      await expect(cache.listed('c1', [ref('web')], 10, signal())).resolves.toBe(false);
      const abort = new AbortController();
      const aborted = cache.listed('c1', [ref('web')], 60_000, abort.signal);
      abort.abort();
      await expect(aborted).resolves.toBe(false);
    });

    it('does not wait for a list that has not answered for long (a watch that never will)', async () => {
      cache.listing('c1', 'apps', 'Deployment');
      nowMs += 30_000;
      await expect(cache.listed('c1', [ref('web')], 60_000, signal())).resolves.toBe(false);
    });

    it('marks nothing for a kind already served, or when the list would not be kept', async () => {
      cache.resetKind('c1', DEPLOYMENTS, []);
      cache.listing('c1', 'apps', 'Deployment');
      await expect(cache.listed('c1', [ref('web')], 60_000, signal())).resolves.toBe(false);
      const off = new LiveCache({ authoritativeEveryMs: 180_000, maxBytes: 0 });
      off.listing('c1', 'apps', 'Deployment');
      await expect(off.listed('c1', [ref('web')], 60_000, signal())).resolves.toBe(false);
    });
  });

  it('forgets a cluster entirely', () => {
    cache.resetKind('c1', DEPLOYMENTS, [deployment('web', '10', { app: 'web' })]);
    cache.forgetCluster('c1');
    expect(cache.read('c1', 'web', [ref('web')])).toBeUndefined();
    expect(cache.stats).toMatchObject({ objects: 0, bytes: 0 });
  });
});

describe('newer (resourceVersion order)', () => {
  it('compares etcd revisions as numbers and takes anything else as newer', () => {
    expect(newer('10', '9')).toBe(true);
    expect(newer('9', '10')).toBe(false);
    expect(newer('10', '10')).toBe(false);
    expect(newer('abc', '10')).toBe(true);
  });
});
