/**
 * The verbs beyond single-object CRUD, through @kubernetes/client-node:
 * generateName, lists across namespaces, deletecollection with a selector,
 * the status and scale subresources, validation (422 with causes) and
 * MethodNotAllowed, as a real API server answers them.
 */
import { V1Deployment } from '@kubernetes/client-node';
import { KubeSim, SimCluster } from './index';
import { PatchStrategy, apiError, patchAs, typedClients } from './testing/client-node';
import { rawRequest } from './testing/raw-http';

describe('kube-sim collections and subresources (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let api: ReturnType<typeof typedClients>;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 0 });
    cluster = sim.cluster('sim-0');
    api = typedClients(cluster);
    for (const name of ['team-a', 'team-b'])
      await api.core.createNamespace({ body: { metadata: { name } } });
  });
  afterAll(() => sim.stop());

  const deployment = (name: string, replicas = 1): V1Deployment => ({
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'app:1' }] },
      },
    },
  });

  it('generateName makes a unique name with a five-character suffix', async () => {
    const body = { metadata: { generateName: 'job-config-' }, data: { a: '1' } };
    const first = await api.core.createNamespacedConfigMap({ namespace: 'team-a', body });
    const second = await api.core.createNamespacedConfigMap({ namespace: 'team-a', body });
    expect(first.metadata?.name).toMatch(/^job-config-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(second.metadata?.name).not.toBe(first.metadata?.name);
  });

  it('lists across all namespaces, with a label selector', async () => {
    await api.core.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'shared', labels: { fleet: 'yes' } } },
    });
    await api.core.createNamespacedConfigMap({
      namespace: 'team-b',
      body: { metadata: { name: 'shared', labels: { fleet: 'yes' } } },
    });
    const all = await api.core.listConfigMapForAllNamespaces({ labelSelector: 'fleet=yes' });
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      'team-a/shared',
      'team-b/shared',
    ]);
    expect(all.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('deletecollection deletes what the selector matches, in that namespace only', async () => {
    await api.core.deleteCollectionNamespacedConfigMap({
      namespace: 'team-a',
      labelSelector: 'fleet=yes',
    });
    const left = await api.core.listConfigMapForAllNamespaces({ labelSelector: 'fleet=yes' });
    expect(left.items.map((i) => i.metadata?.namespace)).toEqual(['team-b']);
    expect(cluster.log.find({ verb: 'deletecollection' })).toHaveLength(1);
  });

  it('the status subresource writes only status; the main resource ignores status', async () => {
    await api.apps.createNamespacedDeployment({ namespace: 'team-a', body: deployment('web') });
    const live = await api.apps.readNamespacedDeployment({ name: 'web', namespace: 'team-a' });
    const statusWrite = await api.apps.replaceNamespacedDeploymentStatus({
      name: 'web',
      namespace: 'team-a',
      body: {
        ...live,
        spec: { ...live.spec!, replicas: 9 },
        status: { ...live.status, replicas: 42 },
      },
    });
    expect(statusWrite.status?.replicas).toBe(42);
    expect(statusWrite.spec?.replicas).toBe(1);
    expect(statusWrite.metadata?.generation).toBe(1);

    const mainWrite = await api.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'team-a', body: { status: { replicas: 7 } } },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(mainWrite.status?.replicas).toBe(42);
    expect(mainWrite.metadata?.resourceVersion).toBe(statusWrite.metadata?.resourceVersion);
  });

  it('the scale subresource reads and sets replicas', async () => {
    const scale = await api.apps.readNamespacedDeploymentScale({
      name: 'web',
      namespace: 'team-a',
    });
    expect(scale).toEqual(
      expect.objectContaining({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        spec: { replicas: 1 },
        status: expect.objectContaining({ selector: 'app=web' }),
      }),
    );
    await api.apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace: 'team-a',
      body: { ...scale, spec: { replicas: 4 } },
    });
    const scaled = await api.apps.readNamespacedDeployment({ name: 'web', namespace: 'team-a' });
    expect(scaled.spec?.replicas).toBe(4);
    expect(scaled.metadata?.generation).toBe(2);
  });

  it('an invalid object is a 422 with field causes', async () => {
    const invalid = await apiError(
      api.apps.createNamespacedDeployment({
        namespace: 'team-a',
        body: {
          metadata: { name: 'Bad_Name' },
          spec: {
            selector: { matchLabels: { app: 'x' } },
            template: { metadata: { labels: { app: 'y' } }, spec: { containers: [] } },
          },
        },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body).toEqual(
      expect.objectContaining({
        reason: 'Invalid',
        message: expect.stringMatching(/^Deployment\.apps "Bad_Name" is invalid: /),
        details: expect.objectContaining({ name: 'Bad_Name', group: 'apps', kind: 'Deployment' }),
      }),
    );
    const fields = (invalid.body.details as { causes: { field: string }[] }).causes.map(
      (c) => c.field,
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'metadata.name',
        'spec.template.metadata.labels',
        'spec.template.spec.containers',
      ]),
    );
  });

  it('a verb the resource does not support is 405 MethodNotAllowed', async () => {
    const res = await rawRequest(cluster, '/api/v1/namespaces', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.json()).toEqual(
      expect.objectContaining({
        reason: 'MethodNotAllowed',
        message: 'the server does not allow this method on the requested resource',
        code: 405,
      }),
    );
  });
});
