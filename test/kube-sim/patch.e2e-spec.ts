/**
 * The three classic patch types through @kubernetes/client-node, as a real
 * API server applies them: JSON merge patch (maps merge, lists replace, null
 * deletes), JSON patch (RFC 6902 operations, a failed `test` is a 422), and
 * strategic merge patch (containers, ports, env and volumes merged by their
 * keys; `$patch: delete`), which custom resources refuse with a 415.
 */
import { V1Deployment } from '@kubernetes/client-node';
import { KubeSim, SimCluster } from './index';
import { PatchStrategy, apiError, patchAs, typedClients } from './testing/client-node';

describe('kube-sim patch types (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let api: ReturnType<typeof typedClients>;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 0 });
    cluster = sim.cluster('sim-0');
    api = typedClients(cluster);
    await api.core.createNamespace({ body: { metadata: { name: 'patches' } } });
  });
  afterAll(() => sim.stop());

  const namespace = 'patches';

  function deployment(name: string): V1Deployment {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'app:1',
                ports: [{ containerPort: 8080, name: 'http' }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
              { name: 'sidecar', image: 'proxy:1' },
            ],
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'cache', emptyDir: {} },
            ],
          },
        },
      },
    };
  }

  it('JSON merge patch merges maps, deletes with null and replaces lists', async () => {
    await api.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'merge', labels: { a: '1', b: '2' } }, data: { x: '1', y: '2' } },
    });
    const patched = await api.core.patchNamespacedConfigMap(
      {
        name: 'merge',
        namespace,
        body: { metadata: { labels: { b: null, c: '3' } }, data: { y: '20' } },
      },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ a: '1', c: '3' });
    expect(patched.data).toEqual({ x: '1', y: '20' });

    await api.apps.createNamespacedDeployment({ namespace, body: deployment('merge') });
    const replaced = await api.apps.patchNamespacedDeployment(
      {
        name: 'merge',
        namespace,
        body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'only:1' }] } } } },
      },
      patchAs(PatchStrategy.MergePatch),
    );
    expect(replaced.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['only']);
  });

  it('JSON patch applies add, replace, remove, copy, move and test in order', async () => {
    await api.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'json' }, data: { a: '1', b: '2' } },
    });
    const patched = await api.core.patchNamespacedConfigMap(
      {
        name: 'json',
        namespace,
        body: [
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/a', value: '10' },
          { op: 'add', path: '/data/c', value: '3' },
          { op: 'remove', path: '/data/b' },
          { op: 'copy', from: '/data/c', path: '/data/d' },
          { op: 'move', from: '/data/d', path: '/data/e' },
          { op: 'add', path: '/metadata/labels', value: { 'app.kubernetes.io/name': 'x' } },
        ],
      },
      patchAs(PatchStrategy.JsonPatch),
    );
    expect(patched.data).toEqual({ a: '10', c: '3', e: '3' });
    expect(patched.metadata?.labels).toEqual({ 'app.kubernetes.io/name': 'x' });
  });

  it('JSON patch: a failed test is a 422 that changes nothing; a body that is not a list is a 400', async () => {
    const before = await api.core.readNamespacedConfigMap({ name: 'json', namespace });
    const failed = await apiError(
      api.core.patchNamespacedConfigMap(
        {
          name: 'json',
          namespace,
          body: [
            { op: 'replace', path: '/data/a', value: 'changed' },
            { op: 'test', path: '/data/a', value: 'not this' },
          ],
        },
        patchAs(PatchStrategy.JsonPatch),
      ),
    );
    expect(failed).toEqual({
      code: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {},
        code: 422,
      },
    });
    const notAList = await apiError(
      api.core.patchNamespacedConfigMap(
        { name: 'json', namespace, body: { op: 'add' } },
        patchAs(PatchStrategy.JsonPatch),
      ),
    );
    expect(notAList).toEqual({
      code: 400,
      body: expect.objectContaining({ reason: 'BadRequest' }),
    });
    const after = await api.core.readNamespacedConfigMap({ name: 'json', namespace });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('strategic merge patch merges containers, ports, env and volumes by key', async () => {
    await api.apps.createNamespacedDeployment({ namespace, body: deployment('smp') });
    const patched = await api.apps.patchNamespacedDeployment(
      {
        name: 'smp',
        namespace,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'app',
                    image: 'app:2',
                    ports: [{ containerPort: 9090, name: 'metrics' }],
                    env: [
                      { name: 'B', value: '20' },
                      { name: 'C', value: '3' },
                    ],
                  },
                ],
                volumes: [{ name: 'config', configMap: { name: 'json' } }],
              },
            },
          },
        },
      },
      patchAs(PatchStrategy.StrategicMergePatch),
    );
    const spec = patched.spec?.template.spec;
    expect(spec?.containers.map((c) => [c.name, c.image])).toEqual([
      ['app', 'app:2'],
      ['sidecar', 'proxy:1'],
    ]);
    const app = spec?.containers[0];
    expect(app?.ports?.map((p) => p.containerPort)).toEqual([9090, 8080]);
    expect(app?.env?.map((e) => `${e.name}=${e.value}`)).toEqual(['A=1', 'B=20', 'C=3']);
    expect(app?.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(spec?.volumes?.map((v) => v.name)).toEqual(['config', 'data', 'cache']);
    expect(patched.metadata?.generation).toBe(2);
  });

  it('strategic merge patch deletes list elements with $patch: delete and fields with null', async () => {
    const patched = await api.apps.patchNamespacedDeployment(
      {
        name: 'smp',
        namespace,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'sidecar', $patch: 'delete' },
                  { name: 'app', env: [{ name: 'A', $patch: 'delete' }], volumeMounts: null },
                ],
                volumes: [{ name: 'cache', $patch: 'delete' }],
              },
            },
          },
        },
      },
      patchAs(PatchStrategy.StrategicMergePatch),
    );
    const spec = patched.spec?.template.spec;
    expect(spec?.containers.map((c) => c.name)).toEqual(['app']);
    expect(spec?.containers[0].env?.map((e) => e.name)).toEqual(['B', 'C']);
    expect(spec?.containers[0].volumeMounts).toBeUndefined();
    expect(spec?.volumes?.map((v) => v.name)).toEqual(['config', 'data']);
  });

  it('custom resources refuse strategic merge patch with 415, as a real server does', async () => {
    await api.extensions.createCustomResourceDefinition({
      body: {
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'gadgets', kind: 'Gadget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
              },
            },
          ],
        },
      },
    });
    const gadget = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g', namespace },
      spec: { n: 1 },
    };
    await api.objects.create(gadget);
    const refused = await apiError(
      api.objects.patch(
        { ...gadget, spec: { n: 2 } },
        undefined,
        undefined,
        'test',
        undefined,
        PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(refused).toEqual({
      code: 415,
      body: expect.objectContaining({
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      }),
    });
    const merged = await api.objects.patch(
      { ...gadget, spec: { n: 2 } },
      undefined,
      undefined,
      'test',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect((merged as unknown as { spec: unknown }).spec).toEqual({ n: 2 });
  });
});
