/**
 * The public API other suites build on: clusters by name, their server,
 * token and CA, adding and removing clusters at run time, the kubeconfig,
 * isolation between clusters, and out-of-band edits through
 * `cluster.objects` (as a person with kubectl edit would make them: through
 * the API's rules, visible to watches and controllers, not in the log).
 */
import { CoreV1Api, KubeConfig, KubernetesObject, Watch } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { eventually } from '../support/wait';
import { KubeSim, SimCluster } from './index';
import { apiError, objectClient } from './testing/client-node';
import { connectionError, rawRequest } from './testing/raw-http';

describe('KubeSim public API', () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 3, readinessDelayMs: 0 });
  });
  afterAll(() => sim.stop());

  const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'default' };

  it('names clusters sim-0..sim-N, each with its own HTTPS server URL, token and CA data', () => {
    expect(sim.clusters.map((c) => c.name)).toEqual(['sim-0', 'sim-1', 'sim-2']);
    const cluster = sim.cluster('sim-1');
    expect(sim.cluster(cluster.id)).toBe(cluster);
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/clusters\/c1$/);
    expect(cluster.token).toMatch(/^[0-9a-f]{48}$/);
    expect(Buffer.from(cluster.caData ?? '', 'base64').toString()).toMatch(
      /^-----BEGIN CERTIFICATE-----/,
    );
    expect(new Set(sim.clusters.map((c) => c.token)).size).toBe(3);
    expect(() => sim.cluster('nope')).toThrow(
      'kube-sim: no cluster "nope" (have sim-0, sim-1, sim-2)',
    );
  });

  it("keeps each cluster's objects apart", async () => {
    await objectClient(sim.cluster('sim-0')).create({
      ...ref,
      metadata: { name: 'settings', namespace: 'default' },
    } as KubernetesObject);
    expect(sim.cluster('sim-0').objects.get(ref)).toBeDefined();
    expect(sim.cluster('sim-1').objects.get(ref)).toBeUndefined();
  });

  it('writes a kubeconfig with one context per cluster that clients load unchanged', async () => {
    const config = parse(sim.kubeconfig()) as {
      'current-context': string;
      contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
      clusters: {
        name: string;
        cluster: { server: string; 'certificate-authority-data': string };
      }[];
      users: { name: string; user: { token: string } }[];
    };
    expect(config['current-context']).toBe('sim-0');
    expect(config.contexts.map((c) => c.name)).toEqual(['sim-0', 'sim-1', 'sim-2']);
    expect(config.clusters[2].cluster).toEqual({
      server: sim.cluster('sim-2').server,
      'certificate-authority-data': sim.cluster('sim-2').caData,
    });
    expect(config.users[2].user).toEqual({ token: sim.cluster('sim-2').token });

    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    kc.setCurrentContext('sim-2');
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
  });

  it('adds a cluster at run time and removes it (its port then refuses connections)', async () => {
    const edge = await sim.addCluster('edge-1');
    expect(sim.cluster('edge-1')).toBe(edge);
    expect((await rawRequest(edge, '/api/v1/namespaces')).status).toBe(200);
    await expect(sim.addCluster('edge-1')).rejects.toThrow(
      'a cluster named "edge-1" already exists',
    );

    await sim.removeCluster('edge-1');
    expect(sim.clusters.map((c) => c.name)).not.toContain('edge-1');
    expect(await connectionError(rawRequest(edge, '/api/v1/namespaces'))).toBe('ECONNREFUSED');
    // Through the shared port, a removed cluster's path is a 404.
    const viaShared = { ...edge, server: edge.server.replace(/:\d+\//, `:${sim.port}/`) };
    expect((await rawRequest(viaShared, '/api/v1/namespaces')).status).toBe(404);
  });

  describe('out-of-band edits (cluster.objects)', () => {
    let cluster: SimCluster;
    beforeAll(() => {
      cluster = sim.cluster('sim-2');
    });

    it('put creates and replaces through the API rules, without a log entry', async () => {
      cluster.log.reset();
      const created = cluster.objects.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'default' },
        data: { mode: 'a' },
      });
      expect(created.metadata).toEqual(
        expect.objectContaining({ uid: expect.any(String), resourceVersion: expect.any(String) }),
      );
      const replaced = cluster.objects.put({ ...created, data: { mode: 'b' } });
      expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.metadata.resourceVersion),
      );
      expect(replaced.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'kubectl-edit', operation: 'Update' }),
      ]);
      expect(cluster.log.entries()).toEqual([]);
      const read = (await objectClient(cluster).read({
        ...created,
        metadata: { name: 'settings', namespace: 'default' },
      })) as KubernetesObject & { data: unknown };
      expect(read.data).toEqual({ mode: 'b' });
    });

    it('patch and delete are seen by watches as MODIFIED and DELETED', async () => {
      const events: string[] = [];
      const kc = new KubeConfig();
      kc.loadFromString(sim.kubeconfig());
      kc.setCurrentContext('sim-2');
      const controller = await new Watch(kc).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: String(cluster.objects.get(ref)?.metadata.resourceVersion) },
        (type, object: KubernetesObject & { data?: Record<string, string> }) =>
          events.push(`${type} ${JSON.stringify(object.data)}`),
        () => undefined,
      );
      try {
        cluster.objects.patch(ref, { data: { mode: 'c' } });
        cluster.objects.delete(ref);
        await eventually(async () => events.length >= 2, 10_000, 'two events');
        expect(events).toEqual(['MODIFIED {"mode":"c"}', 'DELETED {"mode":"c"}']);
      } finally {
        controller.abort();
      }
      expect(cluster.objects.get(ref)).toBeUndefined();
    });

    it('an invalid edit fails as the API would refuse it', () => {
      expect(() => cluster.objects.patch({ ...ref, name: 'absent' }, { data: {} })).toThrow(
        'configmaps "absent" not found',
      );
      expect(() =>
        cluster.objects.put({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'Bad_Name', namespace: 'default' },
        }),
      ).toThrow(/is invalid/);
      expect(() => cluster.objects.get({ apiVersion: 'v9', kind: 'Nothing', name: 'x' })).toThrow(
        'no resource type serves Nothing in v9',
      );
    });

    it('an edited workload is reconciled again by the simulated controllers', async () => {
      const api = objectClient(cluster);
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'edited', namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'e' } },
          template: {
            metadata: { labels: { app: 'e' } },
            spec: { containers: [{ name: 'c', image: 'app:1' }] },
          },
        },
      };
      await api.create(deployment);
      cluster.objects.patch(
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'edited', namespace: 'default' },
        { spec: { replicas: 4 } },
      );
      const ready = await eventually(
        async () => {
          const live = cluster.objects.get({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'edited',
            namespace: 'default',
          });
          const status = live?.status as
            { observedGeneration?: number; readyReplicas?: number } | undefined;
          return status?.observedGeneration === 2 && status.readyReplicas === 4 && live;
        },
        10_000,
        'the edited deployment to be ready',
      );
      expect(ready.metadata.generation).toBe(2);
      expect(
        (
          await apiError(
            api.read({ ...deployment, metadata: { name: 'other', namespace: 'default' } }),
          )
        ).code,
      ).toBe(404);
    });
  });
});
