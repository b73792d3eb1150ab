/**
 * CustomResourceDefinitions: creating one makes its kind servable and
 * discoverable at once (legacy and aggregated discovery, client-node's
 * generic client), the CRD is Established, custom resources get the usual
 * verbs and a status subresource when declared, and deleting the CRD deletes
 * its custom resources and stops serving the kind.
 */
import { KubernetesObject, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { eventually } from '../support/wait';
import { KubeSim, SimCluster } from './index';
import { apiError, objectClient, typedClients } from './testing/client-node';
import { rawRequest } from './testing/raw-http';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const widgets: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      shortNames: ['wd'],
      categories: ['all'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

const widget = (name: string, size: number): KubernetesObject & { spec: { size: number } } => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'default' },
  spec: { size },
});

describe('kube-sim CRDs (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1 });
    cluster = sim.cluster('sim-0');
  });
  afterAll(() => sim.stop());

  const groupNames = async () =>
    (await rawRequest(cluster, '/apis'))
      .json<{ groups: { name: string }[] }>()
      .groups.map((g) => g.name);
  const aggregatedGroups = async () =>
    (await rawRequest(cluster, '/apis', { headers: { accept: AGGREGATED } })).json<{
      items: { metadata: { name: string }; versions: { resources: Record<string, unknown>[] }[] }[];
    }>().items;

  it('a kind is neither served nor discoverable before its CRD exists', async () => {
    expect(await groupNames()).not.toContain('example.com');
    const missing = await rawRequest(cluster, '/apis/example.com/v1/namespaces/default/widgets');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual(
      expect.objectContaining({ kind: 'Status', reason: 'NotFound', code: 404 }),
    );
  });

  it('creating the CRD makes its kind discoverable and servable at once', async () => {
    const { extensions } = typedClients(cluster);
    await extensions.createCustomResourceDefinition({ body: widgets });

    // No wait: the very next requests see it.
    expect(await groupNames()).toContain('example.com');
    const resources = (await rawRequest(cluster, '/apis/example.com/v1')).json<{
      resources: {
        name: string;
        kind: string;
        namespaced: boolean;
        shortNames?: string[];
        categories?: string[];
      }[];
    }>().resources;
    expect(resources).toEqual([
      expect.objectContaining({
        name: 'widgets',
        kind: 'Widget',
        namespaced: true,
        shortNames: ['wd'],
        categories: ['all'],
      }),
      expect.objectContaining({ name: 'widgets/status', kind: 'Widget' }),
    ]);
    const aggregated = (await aggregatedGroups()).find((g) => g.metadata.name === 'example.com');
    expect(aggregated?.versions[0].resources).toEqual([
      expect.objectContaining({
        resource: 'widgets',
        responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
        scope: 'Namespaced',
        subresources: [expect.objectContaining({ subresource: 'status' })],
      }),
    ]);

    const api = objectClient(cluster);
    const created = await api.create(widget('first', 1));
    expect(created.metadata?.uid).toEqual(expect.any(String));
    const listed = await api.list('example.com/v1', 'Widget', 'default');
    expect(listed.items.map((i) => i.metadata?.name)).toEqual(['first']);

    const crd = await extensions.readCustomResourceDefinition({ name: 'widgets.example.com' });
    const conditions = Object.fromEntries(
      (crd.status?.conditions ?? []).map((c) => [c.type, c.status]),
    );
    expect(conditions).toEqual(
      expect.objectContaining({ NamesAccepted: 'True', Established: 'True' }),
    );
    expect(crd.status?.acceptedNames?.kind).toBe('Widget');
  });

  it('custom resources get update with optimistic concurrency and a status subresource', async () => {
    const { custom } = typedClients(cluster);
    const read = (await custom.getNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      name: 'first',
    })) as KubernetesObject & { spec: { size: number }; status?: { ready: boolean } };
    const updated = (await custom.replaceNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      name: 'first',
      body: { ...read, spec: { size: 2 }, status: { ready: true } },
    })) as typeof read;
    expect(updated.spec).toEqual({ size: 2 });
    // The main resource ignores status when the status subresource is declared.
    expect(updated.status).toBeUndefined();
    expect(updated.metadata?.generation).toBe(2);
    const withStatus = (await custom.replaceNamespacedCustomObjectStatus({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      name: 'first',
      body: { ...updated, status: { ready: true } },
    })) as typeof read;
    expect(withStatus.status).toEqual({ ready: true });
    expect(withStatus.metadata?.generation).toBe(2);
    const stale = await apiError(
      custom.replaceNamespacedCustomObject({
        group: 'example.com',
        version: 'v1',
        namespace: 'default',
        plural: 'widgets',
        name: 'first',
        body: { ...read, spec: { size: 3 } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
  });

  it('custom resources are pruned and validated by their schema, as the API server does', async () => {
    const path = '/apis/example.com/v1/namespaces/default/widgets';
    const post = (body: object, query = '') =>
      rawRequest(cluster, `${path}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const typo = { ...widget('typo', 1), spec: { size: 1, colour: 'red' } };

    // Given a field the schema does not declare, when created, then it is pruned...
    const pruned = await post(typo);
    expect(pruned.status).toBe(201);
    expect(pruned.json().spec).toEqual({ size: 1 });
    // ...and refused with fieldValidation=Strict (what kubectl sends).
    const strict = await post({ ...typo, metadata: { name: 'typo-2' } }, '?fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(strict.json()).toEqual(
      expect.objectContaining({
        reason: 'BadRequest',
        message:
          'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"',
      }),
    );
    // A server-side apply of it fails to become a typed object.
    const applied = await rawRequest(cluster, `${path}/typo-3?fieldManager=test`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ ...typo, metadata: { name: 'typo-3' } }),
    });
    expect(applied.status).toBe(500);
    expect(applied.json().message).toBe(
      'failed to create typed patch object (default/typo-3; example.com/v1, Kind=Widget): .spec.colour: field not declared in schema',
    );
    // A value of the wrong type is a 422 with kube-openapi's words.
    const wrongType = await post({ ...widget('wrong', 1), spec: { size: 'three' } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json().message).toBe(
      'Widget.example.com "wrong" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    );
  });

  it('deleting the CRD deletes its custom resources and stops serving the kind', async () => {
    const { extensions } = typedClients(cluster);
    await objectClient(cluster).create(widget('second', 2));
    await extensions.deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    await eventually(
      async () =>
        (
          await rawRequest(
            cluster,
            '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
          )
        ).status === 404,
      10_000,
      'the CRD to be gone',
    );
    expect(cluster.objects.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toEqual([]);
    expect(await groupNames()).not.toContain('example.com');
    expect((await aggregatedGroups()).map((g) => g.metadata.name)).not.toContain('example.com');
    expect(
      (await rawRequest(cluster, '/apis/example.com/v1/namespaces/default/widgets')).status,
    ).toBe(404);
    expect(cluster.ctx.store.list('example.com/widgets')).toEqual([]);
  });

  it('a cluster-scoped CRD serves objects without a namespace', async () => {
    const { extensions } = typedClients(cluster);
    await extensions.createCustomResourceDefinition({
      body: {
        metadata: { name: 'regions.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Cluster',
          names: { plural: 'regions', kind: 'Region' },
          versions: [
            {
              name: 'v1alpha1',
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
    const api = objectClient(cluster);
    const created = await api.create({
      apiVersion: 'example.com/v1alpha1',
      kind: 'Region',
      metadata: { name: 'eu' },
    });
    expect((created as KubernetesObject).metadata?.namespace).toBeUndefined();
    expect((await rawRequest(cluster, '/apis/example.com/v1alpha1/regions/eu')).status).toBe(200);
  });
});
