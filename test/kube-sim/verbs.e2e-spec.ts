/**
 * kube-sim through @kubernetes/client-node: every verb, selectors,
 * pagination, optimistic concurrency, deletion semantics, dry runs and
 * Status errors, as a real API server answers them (authentication:
 * auth.e2e-spec.ts).
 */
import { KubernetesObject } from '@kubernetes/client-node';
import { KubeSim, SimCluster } from './index';
import { apiError, objectClient } from './testing/client-node';

type Obj = KubernetesObject & {
  metadata: { name: string; namespace?: string } & KubernetesObject['metadata'];
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
};

describe('kube-sim verbs (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let api: ReturnType<typeof objectClient>;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2, readinessDelayMs: 0 });
    cluster = sim.cluster('sim-0');
    api = objectClient(cluster);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } });
  });
  afterAll(() => sim.stop());

  const configMap = (
    name: string,
    labels: Record<string, string> = {},
    data: Record<string, string> = { k: 'v' },
  ): Obj => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'app', labels },
    data,
  });

  it('creates with server-set metadata and refuses a second create with AlreadyExists', async () => {
    const created = await api.create(configMap('created'));
    expect(created.metadata).toEqual(
      expect.objectContaining({
        name: 'created',
        namespace: 'app',
        uid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        resourceVersion: expect.stringMatching(/^\d+$/),
        creationTimestamp: expect.any(Date),
      }),
    );
    expect(await apiError(api.create(configMap('created')))).toEqual({
      code: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'configmaps "created" already exists',
        reason: 'AlreadyExists',
        details: { name: 'created', kind: 'configmaps' },
        code: 409,
      },
    });
  });

  it('answers NotFound with the real Status, and 404 for a namespace that does not exist', async () => {
    expect(
      await apiError(
        api.read({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'nope', namespace: 'app' },
        }),
      ),
    ).toEqual({
      code: 404,
      body: expect.objectContaining({
        message: 'deployments.apps "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'deployments' },
      }),
    });
    const inMissingNamespace = { ...configMap('x'), metadata: { name: 'x', namespace: 'nowhere' } };
    expect(await apiError(api.create(inMissingNamespace))).toEqual({
      code: 404,
      body: expect.objectContaining({
        message: 'namespaces "nowhere" not found',
        reason: 'NotFound',
      }),
    });
  });

  it('lists with every label-selector operator and the metadata field selectors', async () => {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sel' } });
    const inSel = (name: string, labels: Record<string, string>) => ({
      ...configMap(name, labels),
      metadata: { name, namespace: 'sel', labels },
    });
    await api.create(inSel('a', { env: 'prod', tier: 'web' }));
    await api.create(inSel('b', { env: 'dev', tier: 'web' }));
    await api.create(inSel('c', { env: 'prod' }));
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await api.list(
          'v1',
          'ConfigMap',
          'sel',
          undefined,
          undefined,
          undefined,
          fieldSelector,
          labelSelector,
        )
      ).items.map((i) => i.metadata?.name);
    expect(await names('env=prod')).toEqual(['a', 'c']);
    expect(await names('env!=prod')).toEqual(['b']);
    expect(await names('env in (dev,qa)')).toEqual(['b']);
    expect(await names('env notin (dev)')).toEqual(['a', 'c']);
    expect(await names('tier')).toEqual(['a', 'b']);
    expect(await names('!tier')).toEqual(['c']);
    expect(await names('env=prod,tier')).toEqual(['a']);
    expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name!=b,metadata.namespace=sel')).toEqual(['a', 'c']);
    expect(
      await apiError(
        api.list('v1', 'ConfigMap', 'sel', undefined, undefined, undefined, 'spec.x=1'),
      ),
    ).toEqual({
      code: 400,
      body: expect.objectContaining({
        reason: 'BadRequest',
        message: 'field label not supported: spec.x',
      }),
    });
  });

  it('pages with limit and continue, with remainingItemCount', async () => {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pages' } });
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await api.create({ ...configMap(name), metadata: { name, namespace: 'pages' } });
    }
    const first = await api.list(
      'v1',
      'ConfigMap',
      'pages',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      2,
    );
    expect(first.items.map((i) => i.metadata?.name)).toEqual(['p1', 'p2']);
    expect(first.metadata).toEqual(
      expect.objectContaining({ remainingItemCount: 3, _continue: expect.any(String) }),
    );
    const second = await api.list(
      'v1',
      'ConfigMap',
      'pages',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      2,
      first.metadata?._continue,
    );
    const third = await api.list(
      'v1',
      'ConfigMap',
      'pages',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      2,
      second.metadata?._continue,
    );
    expect([...second.items, ...third.items].map((i) => i.metadata?.name)).toEqual([
      'p3',
      'p4',
      'p5',
    ]);
    expect(third.metadata?._continue).toBeUndefined();
  });

  it('updates with optimistic concurrency: a stale resourceVersion is a Conflict', async () => {
    const created = await api.create(configMap('versioned'));
    const updated = await api.replace({ ...created, data: { k: 'v2' } });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(await apiError(api.replace({ ...created, data: { k: 'v3' } }))).toEqual({
      code: 409,
      body: expect.objectContaining({
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on configmaps "versioned": the object has been modified; please apply your changes to the latest version and try again',
      }),
    });
  });

  it('bumps generation on spec changes only, and resourceVersion monotonically per cluster', async () => {
    const deployment: Obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen', namespace: 'app' },
      spec: {
        selector: { matchLabels: { app: 'gen' } },
        template: {
          metadata: { labels: { app: 'gen' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
        },
      },
    };
    const created = await api.create(deployment);
    expect(created.metadata?.generation).toBe(1);
    // The simulated deployment controller writes status at once, so replace the latest version.
    const current = (await api.read(deployment)) as Obj;
    const relabelled = await api.replace({
      ...current,
      metadata: { ...current.metadata, labels: { x: 'y' } },
    });
    expect(relabelled.metadata?.generation).toBe(1);
    const latest = (await api.read(deployment)) as Obj;
    const rescaled = await api.replace({ ...latest, spec: { ...latest.spec, replicas: 3 } } as Obj);
    expect(rescaled.metadata?.generation).toBe(2);
    expect(Number(rescaled.metadata?.resourceVersion)).toBeGreaterThan(
      Number(relabelled.metadata?.resourceVersion),
    );
  });

  it('deletes at once without finalizers, and waits for finalizers with a deletionTimestamp', async () => {
    await api.create(configMap('plain'));
    const status = await api.delete(configMap('plain'));
    expect(status).toEqual(
      expect.objectContaining({
        kind: 'Status',
        status: 'Success',
        details: expect.objectContaining({ name: 'plain', kind: 'configmaps' }),
      }),
    );
    expect((await apiError(api.read(configMap('plain')))).code).toBe(404);

    await api.create({
      ...configMap('held'),
      metadata: { name: 'held', namespace: 'app', finalizers: ['example.com/hold'] },
    });
    await api.delete(configMap('held'));
    const stillThere = await api.read(configMap('held'));
    expect(stillThere.metadata?.deletionTimestamp).toEqual(expect.any(Date));
    expect(stillThere.metadata?.finalizers).toEqual(['example.com/hold']);
    await api.replace({ ...stillThere, metadata: { ...stillThere.metadata, finalizers: [] } });
    expect((await apiError(api.read(configMap('held')))).code).toBe(404);
  });

  it('propagates deletion to dependents: background deletes them, orphan keeps them without the reference', async () => {
    const owner = await api.create(configMap('owner'));
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'owner',
      uid: owner.metadata?.uid as string,
    };
    await api.create({
      ...configMap('dependent'),
      metadata: { name: 'dependent', namespace: 'app', ownerReferences: [ref] },
    });
    await api.delete(configMap('owner'), undefined, undefined, undefined, undefined, 'Background');
    expect((await apiError(api.read(configMap('dependent')))).code).toBe(404);

    const owner2 = await api.create(configMap('owner2'));
    const ref2 = { ...ref, name: 'owner2', uid: owner2.metadata?.uid as string };
    await api.create({
      ...configMap('orphan'),
      metadata: { name: 'orphan', namespace: 'app', ownerReferences: [ref2] },
    });
    await api.delete(configMap('owner2'), undefined, undefined, undefined, undefined, 'Orphan');
    expect((await apiError(api.read(configMap('owner2')))).code).toBe(404);
    expect((await api.read(configMap('orphan'))).metadata?.ownerReferences).toBeUndefined();
  });

  it('deleting a namespace deletes what is in it', async () => {
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await api.create({ ...configMap('inside'), metadata: { name: 'inside', namespace: 'doomed' } });
    const terminating = (await api.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'doomed' },
    })) as unknown as Obj;
    expect(terminating).toEqual(
      expect.objectContaining({ kind: 'Namespace', status: { phase: 'Terminating' } }),
    );
    expect(
      (
        await apiError(
          api.read({ ...configMap('inside'), metadata: { name: 'inside', namespace: 'doomed' } }),
        )
      ).code,
    ).toBe(404);
    expect(
      (
        await apiError(
          api.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } }),
        )
      ).code,
    ).toBe(404);
  });

  it('dryRun=All answers as if written and writes nothing', async () => {
    const dry = await api.create(configMap('dry'), undefined, 'All');
    expect(dry.metadata?.name).toBe('dry');
    expect((await apiError(api.read(configMap('dry')))).code).toBe(404);
  });
});
