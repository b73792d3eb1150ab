/**
 * Step order in a sync pass against kube-sim: waves run in order and each
 * waits until the previous one is healthy (the last one only for the
 * settle time: the pass succeeds once it is applied), PreSync hooks run first and are
 * cleaned up by their delete policy, a CRD and its custom resource go out
 * in one pass, and an abort stops the pass between steps.
 */
import { DEFAULT_EXECUTION_SETTINGS } from '../../../src/sync/engine/pass-context';
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { ResourceResult } from '../../../src/sync/status/status.types';
import { SimCluster } from '../../kube-sim';
import { ExecutionHarness, application, passRequest, startHarness, under } from './execution-kit';

const configMap = (name: string, wave: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/sync-wave: "${wave}"
data: {step: "${wave}"}
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 1
  selector:
    matchLabels: {app: slow}
  template:
    metadata:
      labels: {app: slow}
    spec:
      containers: [{name: main, image: 'nginx:1.25'}]
`;

describe(`${KubeSyncExecutor.name} steps`, () => {
  let h: ExecutionHarness;
  let cluster: SimCluster;

  beforeAll(async () => {
    h = await startHarness({ clusters: 1 });
    cluster = h.sim.clusters[0];
  });
  afterEach(() => {
    cluster.readinessDelayMs = 50;
  });
  afterAll(() => h.close());

  const appAt = (path: string) =>
    application(
      path,
      { repoURL: h.repo.url, targetRevision: 'main', path },
      { destination: { name: cluster.name, namespace: 'default' } },
    );
  /** An executor of the harness's pool that follows the last wave's rollout for `settleMs`. */
  const settlingFor = (settleMs: number) =>
    new KubeSyncExecutor(h.pool, { ...DEFAULT_EXECUTION_SETTINGS, settleMs }, h.managedKinds);
  const deploymentReady = () =>
    (
      cluster.objects.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'default',
        name: 'slow',
      })?.status as { availableReplicas?: number } | undefined
    )?.availableReplicas === 1;

  it('applies wave by wave, each after the previous one is healthy', async () => {
    // Given a ConfigMap in wave -1, a slow Deployment in wave 0 and a ConfigMap in wave 1
    await h.repo.commitFiles(
      under('waves', {
        'first.yaml': configMap('first', -1),
        'slow.yaml': deployment,
        'last.yaml': configMap('last', 1),
      }),
    );
    cluster.readinessDelayMs = 400;
    const app = appAt('waves');
    const desired = await h.desired(app, cluster);
    cluster.log.reset();
    // When synced, noting whether the Deployment was ready when the last wave was reported
    let readyWhenLastApplied: boolean | undefined;
    const result = await h.executor.sync(
      passRequest(app, cluster, desired, {
        onProgress: (results: readonly ResourceResult[]) => {
          if (readyWhenLastApplied === undefined && results.some((r) => r.name === 'last')) {
            readyWhenLastApplied = deploymentReady();
          }
        },
      }),
    );
    // Then the waves were written in order, and wave 1 only once wave 0 was healthy
    expect(result.phase).toBe('Succeeded');
    expect(cluster.log.find({ verb: 'patch' }).map((r) => `${r.resource}/${r.name}`)).toEqual([
      'configmaps/first',
      'deployments/slow',
      'configmaps/last',
    ]);
    expect(readyWhenLastApplied).toBe(true);
    expect(result.resources.map((r) => r.name)).toEqual(['first', 'slow', 'last']);
  });

  it('offers its slots through `rest` for a long health wait only', async () => {
    // Given a slow Deployment in wave 0 and a ConfigMap in wave 1, and an executor that offers a
    // wait once it has lasted 200 ms
    await h.repo.commitFiles(
      under('long-wave', { 'slow.yaml': deployment, 'last.yaml': configMap('last', 1) }),
    );
    const app = appAt('long-wave');
    const desired = await h.desired(app, cluster);
    const executor = new KubeSyncExecutor(
      h.pool,
      { ...DEFAULT_EXECUTION_SETTINGS, restAfterMs: 200, waveDelayMs: 0, settleMs: 0 },
      h.managedKinds,
    );
    const rests: boolean[] = [];
    const rest = async <T>(wait: () => Promise<T>): Promise<T> => {
      const value = await wait();
      rests.push(deploymentReady());
      return value;
    };
    // When the rollout is quick, nothing is offered
    cluster.readinessDelayMs = 50;
    expect((await executor.sync(passRequest(app, cluster, desired, { rest }))).phase).toBe(
      'Succeeded',
    );
    expect(rests).toEqual([]);
    // When it takes a second, the pauses after the first 200 ms go through `rest`, and the next
    // wave still waits for the Deployment
    cluster.objects.delete({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'slow',
    });
    cluster.readinessDelayMs = 1_000;
    cluster.log.reset();
    const result = await executor.sync(passRequest(app, cluster, desired, { rest }));
    expect(result.phase).toBe('Succeeded');
    expect(rests.length).toBeGreaterThan(0);
    expect(cluster.log.find({ verb: 'patch' }).map((r) => `${r.resource}/${r.name}`)).toEqual([
      'deployments/slow',
      'configmaps/last',
    ]);
    expect(deploymentReady()).toBe(true);
  });

  it('succeeds once the last wave is applied, following its rollout only for the settle time', async () => {
    // Given a Deployment whose rollout takes a minute, in the only wave
    await h.repo.commitFiles(under('async', { 'lazy.yaml': deployment.replace(/slow/g, 'lazy') }));
    cluster.readinessDelayMs = 60_000;
    const app = appAt('async');
    const executor = settlingFor(300);
    // When synced
    const result = await executor.sync(passRequest(app, cluster, await h.desired(app, cluster)));
    // Then the pass succeeded after the settle time, the Application Progressing (gitops-engine:
    // the last wave of a sync without hooks is an asynchronous apply)
    expect(result).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      comparison: { syncStatus: 'Synced', health: { status: 'Progressing' } },
    });
    const lazy = cluster.objects.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'lazy',
    });
    expect(
      (lazy?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0,
    ).toBe(0);
  });

  it('stays Succeeded when aborted while it follows the rollout of its last wave', async () => {
    await h.repo.commitFiles(
      under('settling', { 'idle.yaml': deployment.replace(/slow/g, 'idle') }),
    );
    cluster.readinessDelayMs = 60_000;
    const app = appAt('settling');
    const executor = settlingFor(60_000);
    const controller = new AbortController();
    const result = await executor.sync(
      passRequest(app, cluster, await h.desired(app, cluster), {
        signal: controller.signal,
        onProgress: (results) => {
          if (results.some((r) => r.name === 'idle')) setTimeout(() => controller.abort(), 100);
        },
      }),
    );
    // Everything was applied before the abort: the sync is done, not terminated
    expect(result.phase).toBe('Succeeded');
    expect(result.terminated).toBeUndefined();
    expect(result.comparison?.health.status).toBe('Progressing');
  });

  it('fails the pass when an earlier wave turns Degraded, leaving later waves unapplied', async () => {
    await h.repo.commitFiles(
      under('broken-wave', {
        'broken.yaml': deployment.replace(/slow/g, 'broken').replace('nginx:1.25', 'nginx:fail'),
        'after.yaml': configMap('after', 1),
      }),
    );
    const app = appAt('broken-wave');
    const result = await h.executor.sync(passRequest(app, cluster, await h.desired(app, cluster)));
    expect(result).toMatchObject({
      phase: 'Failed',
      message: expect.stringMatching(/Sync wave 0: Deployment apps default\/broken is Degraded/),
    });
    expect(
      cluster.objects.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'after',
      }),
    ).toBeUndefined();
  });

  it('stops between steps when aborted, leaving later waves unapplied', async () => {
    await h.repo.commitFiles(
      under('abort', {
        'slow.yaml': deployment.replace(/slow/g, 'stuck'),
        'later.yaml': configMap('later', 1),
      }),
    );
    cluster.readinessDelayMs = 60_000;
    const app = appAt('abort');
    const desired = await h.desired(app, cluster);
    const controller = new AbortController();
    // When the pass is aborted while it waits for the Deployment
    const result = await h.executor.sync(
      passRequest(app, cluster, desired, {
        signal: controller.signal,
        onProgress: (results) => {
          if (results.some((r) => r.name === 'stuck')) setTimeout(() => controller.abort(), 100);
        },
      }),
    );
    // Then it reports termination and never applied the later wave
    expect(result).toMatchObject({ phase: 'Failed', terminated: true });
    expect(result.resources.map((r) => r.name)).toEqual(['stuck']);
    expect(
      cluster.objects.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'later',
      }),
    ).toBeUndefined();
  });

  it('runs a PreSync hook to completion first and deletes it when it succeeded', async () => {
    await h.repo.commitFiles(
      under('hooks', {
        'migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: 'busybox:1.36'}]
`,
        'app.yaml': configMap('app-config', 0),
      }),
    );
    const app = appAt('hooks');
    const desired = await h.desired(app, cluster);
    cluster.log.reset();
    const result = await h.executor.sync(passRequest(app, cluster, desired));
    expect(result.phase).toBe('Succeeded');
    expect(result.resources).toEqual([
      expect.objectContaining({
        kind: 'Job',
        syncPhase: 'PreSync',
        hookType: 'PreSync',
        status: 'Synced',
      }),
      expect.objectContaining({ kind: 'ConfigMap', syncPhase: 'Sync', status: 'Synced' }),
    ]);
    const writes = cluster.log
      .entries()
      .filter((r) => r.verb === 'patch' || r.verb === 'delete')
      .map((r) => `${r.verb} ${r.resource}`);
    expect(writes).toEqual(['patch jobs', 'delete jobs', 'patch configmaps']);
    // Hooks are not part of the inventory: they are never pruned
    expect(result.inventory.map((e) => e.ref.kind)).toEqual(['ConfigMap']);
  });

  it('applies a CRD and a custom resource of it in one pass', async () => {
    await h.repo.commitFiles(
      under('crd', {
        'crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.org
spec:
  group: example.org
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`,
        'gadget.yaml':
          'apiVersion: example.org/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  size: 3\n',
      }),
    );
    const app = appAt('crd');
    const desired = await h.desired(app, cluster);
    const result = await h.executor.sync(passRequest(app, cluster, desired));
    expect(result.phase).toBe('Succeeded');
    expect(
      cluster.objects.get({
        apiVersion: 'example.org/v1',
        kind: 'Gadget',
        namespace: 'default',
        name: 'g1',
      }),
    ).toMatchObject({ spec: { size: 3 } });
  });
});
