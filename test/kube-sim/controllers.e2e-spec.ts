/**
 * The simulated controllers, read through @kubernetes/client-node as a
 * health assessment would read them: workloads progress, then become ready
 * after the configured delay (never before it: a cluster whose delay is an
 * hour stays progressing), an image tagged `fail` ends in
 * ProgressDeadlineExceeded, Jobs complete, PVCs bind and LoadBalancer
 * Services get an ingress address.
 */
import { eventually } from '../support/wait';
import { KubeSim, SimCluster } from './index';
import { Named, objectClient } from './testing/client-node';

type Status = Record<string, unknown> & {
  conditions?: { type: string; status: string; reason?: string }[];
};
type Workload = Named<{ spec?: Record<string, unknown>; status?: Status }>;

const template = (image: string) => ({
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'main', image }] },
});
const deployment = (name: string, image = 'nginx:1.27', replicas = 3): Workload => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'x' } }, template: template(image) },
});
const workload = (kind: string, name: string, extra: Record<string, unknown> = {}): Workload => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {
    ...(kind === 'Job' ? {} : { selector: { matchLabels: { app: 'x' } } }),
    template:
      kind === 'Job'
        ? { spec: { containers: [{ name: 'main', image: 'busybox:1' }], restartPolicy: 'Never' } }
        : template('nginx:1.27'),
    ...extra,
  },
});
const condition = (status: Status | undefined, type: string) =>
  status?.conditions?.find((c) => c.type === type);

describe('kube-sim simulated controllers (client-node)', () => {
  let sim: KubeSim;
  let fast: SimCluster;
  let slow: SimCluster;
  let api: ReturnType<typeof objectClient>;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2, readinessDelayMs: 200, nodes: 3 });
    fast = sim.cluster('sim-0');
    slow = sim.cluster('sim-1');
    slow.readinessDelayMs = 3_600_000;
    api = objectClient(fast);
  });
  afterAll(() => sim.stop());

  /** The object once `ready` holds for it (re-read until then). */
  const until = (object: Workload, ready: (o: Workload) => boolean, client = api) =>
    eventually(
      async () => {
        const live = (await client.read(object)) as Workload;
        return ready(live) && live;
      },
      15_000,
      `${object.kind} ${object.metadata?.name} to be ready`,
    );

  it('a Deployment progresses, then reaches observedGeneration and ready/updated/available counts', async () => {
    const created = await api.create(deployment('web'));
    expect(created.metadata?.generation).toBe(1);
    const ready = await until(deployment('web'), (d) => d.status?.readyReplicas === 3);
    expect(ready.status).toEqual(
      expect.objectContaining({
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      }),
    );
    expect(condition(ready.status, 'Available')).toEqual(
      expect.objectContaining({ status: 'True', reason: 'MinimumReplicasAvailable' }),
    );
    expect(condition(ready.status, 'Progressing')).toEqual(
      expect.objectContaining({ status: 'True', reason: 'NewReplicaSetAvailable' }),
    );

    await api.patch(
      { ...deployment('web'), spec: { replicas: 5 } },
      undefined,
      undefined,
      'test',
      undefined,
      'application/merge-patch+json',
    );
    const rescaled = await until(
      deployment('web'),
      (d) => d.status?.observedGeneration === 2 && d.status?.readyReplicas === 5,
    );
    expect(rescaled.metadata?.generation).toBe(2);
  });

  it('before the delay has passed a Deployment is only progressing', async () => {
    const slowApi = objectClient(slow);
    await slowApi.create(deployment('waiting'));
    const progressing = await until(
      deployment('waiting'),
      (d) => d.status?.observedGeneration === 1,
      slowApi,
    );
    expect(progressing.status?.readyReplicas).toBeUndefined();
    expect(progressing.status?.unavailableReplicas).toBe(3);
    expect(condition(progressing.status, 'Progressing')).toEqual(
      expect.objectContaining({ status: 'True', reason: 'ReplicaSetUpdated' }),
    );
    expect(condition(progressing.status, 'Available')).toEqual(
      expect.objectContaining({ status: 'False' }),
    );
  });

  it('an image tagged fail ends with Progressing=False, ProgressDeadlineExceeded', async () => {
    await api.create(deployment('broken', 'registry.example.com/app:fail'));
    const failed = await until(
      deployment('broken'),
      (d) => condition(d.status, 'Progressing')?.status === 'False',
    );
    expect(condition(failed.status, 'Progressing')).toEqual(
      expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded' }),
    );
    expect(failed.status?.readyReplicas).toBeUndefined();
    expect(failed.status?.observedGeneration).toBe(1);
  });

  it('StatefulSets, DaemonSets and ReplicaSets become ready', async () => {
    await api.create(workload('StatefulSet', 'db', { replicas: 2, serviceName: 'db' }));
    await api.create(workload('DaemonSet', 'agent'));
    await api.create(workload('ReplicaSet', 'rs', { replicas: 2 }));
    const sts = await until(workload('StatefulSet', 'db'), (s) => s.status?.readyReplicas === 2);
    expect(sts.status).toEqual(
      expect.objectContaining({
        observedGeneration: 1,
        replicas: 2,
        currentReplicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
      }),
    );
    expect(sts.status?.currentRevision).toBe(sts.status?.updateRevision);
    const ds = await until(workload('DaemonSet', 'agent'), (d) => d.status?.numberReady === 3);
    expect(ds.status).toEqual(
      expect.objectContaining({
        observedGeneration: 1,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
      }),
    );
    const rs = await until(workload('ReplicaSet', 'rs'), (r) => r.status?.readyReplicas === 2);
    expect(rs.status).toEqual(
      expect.objectContaining({ observedGeneration: 1, replicas: 2, availableReplicas: 2 }),
    );
  });

  it('a Job completes', async () => {
    await api.create(workload('Job', 'migrate', { completions: 1 }));
    const done = await until(
      workload('Job', 'migrate'),
      (j) => condition(j.status, 'Complete')?.status === 'True',
    );
    expect(done.status).toEqual(
      expect.objectContaining({
        succeeded: 1,
        startTime: expect.anything(),
        completionTime: expect.anything(),
      }),
    );
  });

  it('a PersistentVolumeClaim binds to a volume', async () => {
    const claim: Workload = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    };
    const created = (await api.create(claim)) as Workload;
    expect(created.status?.phase).toBe('Pending');
    const bound = await until(claim, (c) => c.status?.phase === 'Bound');
    expect(bound.status).toEqual(
      expect.objectContaining({ phase: 'Bound', capacity: { storage: '5Gi' } }),
    );
    expect(bound.spec?.volumeName).toMatch(/^pvc-/);
  });

  it('a LoadBalancer Service gets an ingress address', async () => {
    const service: Workload = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'public', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 443 }] },
    };
    const created = (await api.create(service)) as Workload;
    expect(created.status).toEqual({ loadBalancer: {} });
    const exposed = await until(
      service,
      (s) => !!(s.status?.loadBalancer as { ingress?: unknown[] })?.ingress,
    );
    expect(exposed.status?.loadBalancer).toEqual({
      ingress: [expect.objectContaining({ ip: expect.stringMatching(/^198\.51\.100\./) })],
    });
    expect((exposed.spec?.ports as { nodePort?: number }[])[0].nodePort).toBeGreaterThanOrEqual(
      30000,
    );
  });
});
