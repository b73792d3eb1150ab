/**
 * `spec.ignoreDifferences` through the whole control plane against
 * kube-sim: a Deployment scaled behind Git's back (as an HPA does) stays
 * Synced, self-heal leaves its replicas alone while it reverts a real edit,
 * and with `RespectIgnoreDifferences=true` a new commit changes the image
 * but keeps the live replicas; the same when the rule names the autoscaler's
 * field manager (`managedFieldsManagers`) instead of the field and it scales
 * through `/scale`, while a change by anyone else is reverted. A rule Fleetplane cannot follow is
 * refused before any Application is written.
 */
import { rawRequest } from '../kube-sim/testing/raw-http';
import { eventually } from '../support/wait';
import {
  Fleet,
  configMapIn,
  deploymentIn,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
} from './sync-kit';

const NAMESPACE = 'scaled';

function scaledAppSet(
  name: string,
  repoURL: string,
  ignoreDifferences: unknown[],
  namespace = NAMESPACE,
) {
  const appSet = webAppSet(
    name,
    repoURL,
    {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
    },
    namespace,
  );
  return {
    ...appSet,
    spec: {
      ...appSet.spec,
      template: {
        ...appSet.spec.template,
        spec: { ...appSet.spec.template.spec, ignoreDifferences },
      },
    },
  };
}

describe('spec.ignoreDifferences', () => {
  let f: Fleet;
  const app = 'scaled-sim-0';

  beforeAll(async () => {
    f = await startFleet({ clusters: 1 });
  });
  afterAll(() => f?.close());

  const replicas = () =>
    (f.sim.clusters[0].objects.get(deploymentIn(NAMESPACE))?.spec as { replicas?: number })
      ?.replicas;

  it("keeps a field scaled behind Git's back out of the comparison, of self-heal and of syncs", async () => {
    const head = await f.repo.head();
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(
        scaledAppSet('scaled', f.repo.url, [
          { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        ]),
      )
      .expect(201);
    await f.until(app, syncedHealthy(head), 'Synced and Healthy');
    expect(replicas()).toBe(2);

    // When an autoscaler scales the Deployment, and someone edits the ConfigMap
    const [cluster] = f.sim.clusters;
    cluster.objects.patch(deploymentIn(NAMESPACE), { spec: { replicas: 5 } });
    cluster.objects.patch(configMapIn(NAMESPACE), { data: { greeting: 'edited' } });
    // Then self-heal reverts the ConfigMap and leaves the replicas as scaled
    await f.until(
      app,
      (a) => (a.status.history?.length ?? 0) >= 2 && syncedHealthy(head)(a),
      'self-healed',
    );
    expect(
      (cluster.objects.get(configMapIn(NAMESPACE))?.data as { greeting: string }).greeting,
    ).toBe('hello');
    expect(replicas()).toBe(5);
    // And the diff shows nothing for the Deployment
    const diff = await f.t.http().get(`/api/v1/applications/${app}/diff`).expect(200);
    expect(diff.body.syncStatus).toBe('Synced');
    expect(
      diff.body.items.find((item: { kind: string }) => item.kind === 'Deployment').status,
    ).toBe('Synced');

    // When Git changes the image, the sync applies it and keeps the live replicas
    // (RespectIgnoreDifferences=true)
    const next = await f.repo.commitFiles(webManifests('nginx:1.26'), 'new image');
    await f.until(app, syncedHealthy(next), 'the new image Synced');
    expect(imageOn(cluster, NAMESPACE)).toBe('nginx:1.26');
    expect(replicas()).toBe(5);
  });

  it("leaves out what a named field manager changed, and reverts anyone else's change", async () => {
    const managed = 'by-manager-sim-0';
    const namespace = 'by-manager';
    const [cluster] = f.sim.clusters;
    const replicasIn = () =>
      (cluster.objects.get(deploymentIn(namespace))?.spec as { replicas?: number })?.replicas;
    const head = await f.repo.head();
    const appSet = scaledAppSet(
      'by-manager',
      f.repo.url,
      [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }],
      namespace,
    );
    await f.t.http().post('/api/v1/applicationsets').send(appSet).expect(201);
    await f.until(managed, syncedHealthy(head), 'Synced and Healthy');
    expect(replicasIn()).toBe(2);
    const image = imageOn(cluster, namespace);

    // When an autoscaler scales the Deployment as the HPA controller does (through /scale)
    const scale = await rawRequest(
      cluster,
      `/apis/apps/v1/namespaces/${namespace}/deployments/web/scale?fieldManager=kube-controller-manager`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { replicas: 6 } }),
      },
    );
    expect(scale.status).toBe(200);
    // Then it stays Synced (the diff shows nothing) and self-heal leaves it
    await eventually(
      async () => {
        const diff = await f.t.http().get(`/api/v1/applications/${managed}/diff`).expect(200);
        return diff.body.syncStatus === 'Synced' && replicasIn() === 6;
      },
      10_000,
      'the scaled Deployment compared as Synced',
    );
    const synced = (await f.t.http().get(`/api/v1/applications/${managed}`).expect(200)).body;
    expect(synced.status.sync.status).toBe('Synced');
    const syncs = synced.status.history?.length ?? 0;

    // When someone else changes the image, self-heal reverts it and still keeps the replicas
    cluster.objects.patch(deploymentIn(namespace), {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:edited' }] } } },
    });
    await f.until(
      managed,
      (a) => (a.status.history?.length ?? 0) > syncs && syncedHealthy(head)(a),
      'self-healed',
    );
    expect(imageOn(cluster, namespace)).toBe(image);
    expect(replicasIn()).toBe(6);
  });

  it('refuses a rule it cannot follow, naming the field, instead of ignoring nothing', async () => {
    const res = await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(
        scaledAppSet('unfollowable', f.repo.url, [
          { kind: 'Deployment', jqPathExpressions: ['.spec.replicas | tostring'] },
        ]),
      );
    // The ApplicationSet is stored; its Application is not written, and its status says why
    expect(res.status).toBe(201);
    const skipped = async () =>
      JSON.stringify(
        (await f.t.http().get('/api/v1/applicationsets/unfollowable').expect(200)).body.status ??
          {},
      );
    await eventually(
      async () => (await skipped()).includes('spec.ignoreDifferences[0].jqPathExpressions[0]'),
      20_000,
      'the refusal in the status',
    );
    const status = JSON.parse(await skipped());
    expect(status.skippedApplications).toEqual([
      {
        name: 'unfollowable-sim-0',
        problems: [
          expect.objectContaining({
            field: 'spec.ignoreDifferences[0].jqPathExpressions[0]',
            rule: 'jq-path',
            message: expect.stringContaining('Fleetplane reads jq paths'),
          }),
        ],
      },
    ]);
    await f.t.http().get('/api/v1/applications/unfollowable-sim-0').expect(404);
  });
});
