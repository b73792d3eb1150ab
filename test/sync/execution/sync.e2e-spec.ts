/**
 * Sync passes against kube-sim with manifests from a real Git repository:
 * deploy and reach Healthy, follow a commit, write nothing when nothing
 * changed, prune (or report what requires pruning), revert an out-of-band
 * edit, succeed on a rollout that turns Degraded (and report it), mask Secrets, create the destination
 * namespace, and leave the cluster alone on a dry run.
 */
import { Application } from '../../../src/argo/application.types';
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { TRACKING_ANNOTATION } from '../../../src/sync/manifests/tracking';
import { SimCluster } from '../../kube-sim';
import {
  ExecutionHarness,
  application,
  passRequest,
  startHarness,
  syncClusterOf,
  under,
  webApp,
} from './execution-kit';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-settings' };

describe(KubeSyncExecutor.name, () => {
  let h: ExecutionHarness;
  let cluster: SimCluster;

  beforeAll(async () => {
    h = await startHarness({ clusters: 1 });
    cluster = h.sim.clusters[0];
  });
  afterAll(() => h.close());

  const shopApp = (path: string, spec: Partial<Application['spec']> = {}): Application =>
    application(
      path.replace(/\//g, '-'),
      { repoURL: h.repo.url, targetRevision: 'main', path },
      {
        destination: { name: cluster.name, namespace: 'shop' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        ...spec,
      },
    );

  /** Compares the Application with the cluster. */
  const compareApp = (
    app: Application,
    desired: Parameters<KubeSyncExecutor['compare']>[2],
    inventory: Parameters<KubeSyncExecutor['compare']>[3],
  ) => h.executor.compare(app, syncClusterOf(cluster), desired, inventory);

  /** Renders, syncs and returns the result with the desired state used. */
  async function syncApp(app: Application, inventory: Parameters<typeof passRequest>[3] = {}) {
    const desired = await h.desired(app, cluster);
    const result = await h.executor.sync(passRequest(app, cluster, desired, inventory));
    return { desired, result };
  }

  describe('a Deployment, a Service and a ConfigMap', () => {
    const app = () => shopApp('web');
    let inventory: Awaited<ReturnType<typeof syncApp>>['result']['inventory'];

    it('are applied into the created namespace and become Synced and Healthy', async () => {
      // Given the manifests in Git and a cluster without the namespace
      await h.repo.commitFiles(under('web', webApp()));
      // When the Application is synced
      const { desired, result } = await syncApp(app());
      // Then the pass succeeds, having followed the rollout until every resource was healthy
      expect(result).toMatchObject({
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
      });
      expect(result.resources.map((r) => `${r.kind} ${r.status} ${r.message}`).sort()).toEqual([
        'ConfigMap Synced configmap/web-settings created',
        'Deployment Synced deployment.apps/web created',
        'Namespace Synced namespace/shop created',
        'Service Synced service/web created',
      ]);
      expect(cluster.objects.get(DEPLOYMENT)?.metadata.annotations).toMatchObject({
        [TRACKING_ANNOTATION]: 'web:apps/Deployment:shop/web',
      });
      // And the comparison agrees, with an inventory that records what was applied
      const comparison = await compareApp(app(), desired, result.inventory);
      expect(comparison).toMatchObject({
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
        wouldPruneEverything: false,
      });
      // (the pass built the same comparison from what it read and wrote, so control need not list again)
      expect(result.comparison).toEqual(comparison);
      // (sorted by group, kind, namespace, name; the managed namespace is never tracked)
      expect(result.inventory.map((e) => `${e.ref.kind} ${e.ref.name}`)).toEqual([
        'ConfigMap web-settings',
        'Service web',
        'Deployment web',
      ]);
      expect(result.inventory.every((e) => typeof e.digest === 'string')).toBe(true);
      inventory = result.inventory;
    });

    it('send no write to the cluster when nothing changed', async () => {
      cluster.log.reset();
      const { result } = await syncApp(app(), { inventory });
      expect(result.phase).toBe('Succeeded');
      expect(result.resources.every((r) => r.message.endsWith('unchanged'))).toBe(true);
      const counters = cluster.log.counters();
      expect(counters.patch + counters.create + counters.update + counters.delete).toBe(0);
    });

    it('follow a commit that changes the image, patching only the Deployment', async () => {
      await h.repo.commitFiles(
        under('web', { 'deploy.yaml': webApp('nginx:1.27')['deploy.yaml'] }),
      );
      cluster.log.reset();
      const { result } = await syncApp(app(), { inventory });
      expect(result.phase).toBe('Succeeded');
      expect(cluster.log.find({ verb: 'patch' }).map((r) => r.resource)).toEqual(['deployments']);
      const live = cluster.objects.get(DEPLOYMENT) as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      expect(live.spec.template.spec.containers[0].image).toBe('nginx:1.27');
      expect(result.comparison).toMatchObject({
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
      });
      inventory = result.inventory;
    });

    it('show an out-of-band edit as OutOfSync and revert it on sync', async () => {
      // Given someone edits the ConfigMap behind Git's back
      cluster.objects.patch(CONFIG, { data: { greeting: 'edited' } });
      const desired = await h.desired(app(), cluster);
      // When compared
      const comparison = await compareApp(app(), desired, inventory);
      // Then the ConfigMap is OutOfSync with the differing field named
      expect(comparison.syncStatus).toBe('OutOfSync');
      const diff = comparison.diffs.find((d) => d.ref.kind === 'ConfigMap')!;
      expect(diff).toMatchObject({
        status: 'OutOfSync',
        differences: [{ path: 'data.greeting', desired: 'hello', live: 'edited' }],
      });
      // And a sync right after writes only the ConfigMap back, reading nothing the comparison just read
      cluster.log.reset();
      const result = await h.executor.sync(passRequest(app(), cluster, desired, { inventory }));
      expect(result.phase).toBe('Succeeded');
      expect(cluster.log.find({ verb: 'list' })).toEqual([]);
      expect(cluster.log.find({ verb: 'patch' }).map((r) => r.resource)).toEqual(['configmaps']);
      expect(cluster.objects.get(CONFIG)?.data).toEqual({ greeting: 'hello' });
    });

    it('report a removed file as requiring pruning without prune, and delete it with prune', async () => {
      // Given the ConfigMap's file is deleted from Git
      await h.repo.commitFiles(under('web', { 'config.yaml': null }));
      const desired = await h.desired(app(), cluster);
      // When synced without prune
      const kept = await h.executor.sync(passRequest(app(), cluster, desired, { inventory }));
      // Then it stays, reported as skipped, and the Application is OutOfSync
      expect(kept.phase).toBe('Succeeded');
      expect(kept.resources).toContainEqual(
        expect.objectContaining({
          kind: 'ConfigMap',
          status: 'PruneSkipped',
          message: 'ignored (requires pruning)',
        }),
      );
      const comparison = await compareApp(app(), desired, kept.inventory);
      expect(comparison.syncStatus).toBe('OutOfSync');
      expect(comparison.resources).toContainEqual(
        expect.objectContaining({ kind: 'ConfigMap', requiresPruning: true }),
      );
      expect(cluster.objects.get(CONFIG)).toBeDefined();
      // When synced with prune
      const pruned = await h.executor.sync(
        passRequest(app(), cluster, desired, { inventory: kept.inventory, prune: true }),
      );
      // Then it is deleted and no longer in the inventory
      expect(pruned.phase).toBe('Succeeded');
      expect(pruned.resources).toContainEqual(
        expect.objectContaining({ kind: 'ConfigMap', status: 'Pruned', message: 'pruned' }),
      );
      expect(cluster.objects.get(CONFIG)).toBeUndefined();
      expect(pruned.inventory.map((e) => e.ref.kind).sort()).toEqual(['Deployment', 'Service']);
      // And the pass's own comparison no longer has it, as a fresh one does not
      const after = await compareApp(app(), desired, pruned.inventory);
      expect(after.syncStatus).toBe('Synced');
      expect(pruned.comparison).toEqual(after);
    });
  });

  it('succeeds when a rollout turns Degraded after the apply, and reports it', async () => {
    // (gitops-engine: the last wave of a sync without hooks is an asynchronous apply)
    await h.repo.commitFiles(under('broken', webApp('nginx:fail')));
    const app = shopApp('broken', { destination: { name: cluster.name, namespace: 'broken' } });
    const { desired, result } = await syncApp({
      ...app,
      spec: { ...app.spec, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    });
    expect(result).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      comparison: { syncStatus: 'Synced', health: { status: 'Degraded' } },
    });
    expect(result.failure).toBeUndefined();
    const comparison = await compareApp(app, desired, result.inventory);
    expect(comparison.health.status).toBe('Degraded');
  });

  it('masks Secret values in the diff', async () => {
    await h.repo.commitFiles({
      'secret/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: from-git\n',
    });
    const app = shopApp('secret');
    const { desired, result } = await syncApp(app);
    expect(result.phase).toBe('Succeeded');
    cluster.objects.patch(
      { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'creds' },
      { data: { password: Buffer.from('changed-by-hand').toString('base64') } },
    );
    const comparison = await compareApp(app, desired, result.inventory);
    const text = JSON.stringify(comparison.diffs);
    expect(comparison.syncStatus).toBe('OutOfSync');
    expect(text).not.toContain(Buffer.from('from-git').toString('base64'));
    expect(text).not.toContain(Buffer.from('changed-by-hand').toString('base64'));
    expect(comparison.diffs[0].differences).toEqual([
      { path: 'data.password', desired: '++++++++', live: '++++++++++++' },
    ]);
  });

  it('labels the created namespace from managedNamespaceMetadata, then leaves it alone', async () => {
    await h.repo.commitFiles(under('labelled', { 'cm.yaml': webApp()['config.yaml'] }));
    const app = shopApp('labelled', {
      destination: { name: cluster.name, namespace: 'labelled' },
      syncPolicy: {
        syncOptions: ['CreateNamespace=true'],
        managedNamespaceMetadata: { labels: { team: 'shop' } },
      },
    });
    const first = await syncApp(app);
    expect(first.result.phase).toBe('Succeeded');
    expect(
      cluster.objects.get({ apiVersion: 'v1', kind: 'Namespace', name: 'labelled' })?.metadata
        .labels,
    ).toMatchObject({ team: 'shop' });
    cluster.log.reset();
    const again = await h.executor.sync(
      passRequest(app, cluster, first.desired, { inventory: first.result.inventory }),
    );
    expect(again.phase).toBe('Succeeded');
    expect(cluster.log.counters().patch).toBe(0);
  });

  it('tells the caller about every request it makes to the cluster', async () => {
    await h.repo.commitFiles(under('counted', { 'cm.yaml': webApp()['config.yaml'] }));
    const app = shopApp('counted', {
      destination: { name: cluster.name, namespace: 'default' },
      syncPolicy: {},
    });
    const desired = await h.desired(app, cluster);
    const seen: { verb: string; statusCode: number }[] = [];
    cluster.log.reset();
    const result = await h.executor.sync({
      ...passRequest(app, cluster, desired),
      cluster: { ...syncClusterOf(cluster), onApiRequest: (request) => seen.push(request) },
    });
    expect(result.phase).toBe('Succeeded');
    const counters = cluster.log.counters();
    // (server-side apply answers 201 when it created the object)
    expect(seen.filter((r) => r.verb === 'patch')).toEqual([{ verb: 'patch', statusCode: 201 }]);
    expect(seen.filter((r) => r.verb === 'list').length).toBe(counters.list);
    expect(seen.filter((r) => r.verb === 'get').length).toBe(counters.get);
  });

  it('changes nothing on a dry run', async () => {
    await h.repo.commitFiles(under('dry', webApp()));
    const app = shopApp('dry', {
      destination: { name: cluster.name, namespace: 'default' },
      syncPolicy: {},
    });
    const { result } = await syncApp(app, { dryRun: true });
    expect(result).toMatchObject({ phase: 'Succeeded', message: 'successfully synced (dry run)' });
    expect(result.resources.every((r) => r.message.endsWith('(dry run)'))).toBe(true);
    expect(cluster.objects.get({ ...DEPLOYMENT, namespace: 'default' })).toBeUndefined();
  });
});
