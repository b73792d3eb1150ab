/**
 * Applications with several sources (`spec.sources`) through the whole
 * control plane: an ApplicationSet whose template combines an app
 * repository with a settings repository, synced to kube-sim clusters; a
 * commit in either repository is followed; status, history and the sync
 * API speak Argo CD's `revisions` lists; a manual sync pins one source by
 * position, and a diff by name; rollback deploys both sources at their
 * earlier commits.
 */
import { TestGitRepo } from '../support/git-repo';
import { AppView, Fleet, imageOn, startFleet, twoSourceAppSet } from './sync-kit';

const settingsMap = (greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: billing-settings
data:
  greeting: ${greeting}
`;

const billingPolicy = { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] };
const manualPolicy = { syncOptions: ['CreateNamespace=true'] };

describe('Applications with several sources', () => {
  let f: Fleet;
  let settings: TestGitRepo;
  let appV1: string;
  let settingsV1: string;

  beforeAll(async () => {
    f = await startFleet({ clusters: 2 });
    appV1 = await f.repo.head();
    settings = await TestGitRepo.create();
    settingsV1 = await settings.commitFiles({ 'billing/settings.yaml': settingsMap('hello') });
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(
        twoSourceAppSet('billing', f.repo.url, settings.url, 'billing', billingPolicy, 'billing'),
      )
      .expect(201);
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(twoSourceAppSet('manual', f.repo.url, settings.url, 'billing', manualPolicy, 'manual'))
      .expect(201);
  });
  afterAll(async () => {
    await f?.close();
    await settings?.cleanup();
  });

  const settingOn = (cluster: number, namespace: string) =>
    (
      f.sim.clusters[cluster].objects.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: 'billing-settings',
      }) as { data?: { greeting?: string } } | undefined
    )?.data?.greeting;
  const syncedAt = (revisions: string[]) => (a: AppView) =>
    a.status.sync?.status === 'Synced' &&
    a.status.health?.status === 'Healthy' &&
    JSON.stringify(a.status.sync?.revisions) === JSON.stringify(revisions);

  it('deploys both sources to every cluster and reports one commit per source', async () => {
    for (const cluster of [0, 1]) {
      const name = `billing-sim-${cluster}`;
      const app = await f.until(name, syncedAt([appV1, settingsV1]), 'Synced at both commits');
      expect(app.status.sync?.revision).toBeUndefined();
      expect(app.status.sync?.comparedTo?.sources).toHaveLength(2);
      expect(app.status.sync?.comparedTo?.source).toBeUndefined();
      expect(app.status.history).toEqual([
        expect.objectContaining({ id: 0, revisions: [appV1, settingsV1] }),
      ]);
      expect(app.status.history?.[0].sources).toHaveLength(2);
      expect(app.status.history?.[0].revision).toBeUndefined();
      expect(imageOn(f.sim.clusters[cluster], 'billing')).toBe('nginx:1.25');
      expect(settingOn(cluster, 'billing')).toBe('hello');
    }
  });

  it('follows a commit in the second repository on every cluster', async () => {
    const settingsV2 = await settings.commitFiles({
      'billing/settings.yaml': settingsMap('bonjour'),
    });
    for (const cluster of [0, 1]) {
      await f.until(`billing-sim-${cluster}`, syncedAt([appV1, settingsV2]), 'Synced at v2');
      expect(settingOn(cluster, 'billing')).toBe('bonjour');
    }
    const history = await f.t.http().get('/api/v1/applications/billing-sim-0/history').expect(200);
    expect(history.body.items.map((e: { revisions: string[] }) => e.revisions)).toEqual([
      [appV1, settingsV1],
      [appV1, settingsV2],
    ]);
  });

  it('warns when two sources produce one object, and applies the later one', async () => {
    await settings.commitFiles({
      'billing/web-settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: from-settings
`,
    });
    const app = await f.until(
      'billing-sim-0',
      (a) =>
        a.status.sync?.status === 'Synced' &&
        (a.status.conditions ?? []).some((c) => c.type === 'RepeatedResourceWarning'),
      'Synced with a RepeatedResourceWarning',
    );
    expect(app.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'RepeatedResourceWarning',
        message: expect.stringContaining('ConfigMap billing/web-settings'),
      }),
    );
    const webSettings = f.sim.clusters[0].objects.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'billing',
      name: 'web-settings',
    }) as unknown as { data: { greeting: string } };
    expect(webSettings.data.greeting).toBe('from-settings');
  });

  it('syncs a pinned commit of one source by position, and refuses a single revision', async () => {
    const app = 'manual-sim-0';
    await f.until(app, (a) => a.status.sync?.status === 'OutOfSync', 'OutOfSync (never synced)');
    const refused = await f.t
      .http()
      .post(`/api/v1/applications/${app}/sync`)
      .send({ revision: settingsV1 })
      .expect(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'revision' })]);
    const tooFar = await f.t
      .http()
      .post(`/api/v1/applications/${app}/sync`)
      .send({ revisions: ['main'], sourcePositions: [3] })
      .expect(422);
    expect(tooFar.body.details).toEqual([
      expect.objectContaining({ field: 'revisions[0]', rule: 'source-position' }),
    ]);
    const unnamed = await f.t
      .http()
      .post(`/api/v1/applications/${app}/sync`)
      .send({ revisions: ['main'], sourceNames: ['values'] })
      .expect(422);
    expect(unnamed.body.details).toEqual([
      {
        field: 'sourceNames[0]',
        rule: 'source-name',
        message: 'no source of spec.sources is named "values" (names: "app", "settings")',
      },
    ]);

    const accepted = await f.t
      .http()
      .post(`/api/v1/applications/${app}/sync`)
      .send({ revisions: [settingsV1], sourcePositions: [2] })
      .expect(202);
    expect(accepted.body.operation.revisions).toEqual([appV1, settingsV1]);
    const synced = await f.until(
      app,
      (a) => a.status.operationState?.phase === 'Succeeded',
      'the pinned sync done',
    );
    expect(synced.status.operationState?.syncResult?.revisions).toEqual([appV1, settingsV1]);
    expect(settingOn(0, 'manual')).toBe('hello');
    // The target revisions moved on, so the Application is OutOfSync with them.
    expect(synced.status.sync?.status).toBe('OutOfSync');
  });

  it('rolls back both sources to an earlier deployment', async () => {
    const app = 'manual-sim-0';
    await f.t.http().post(`/api/v1/applications/${app}/sync`).send({}).expect(202);
    const latest = await f.until(
      app,
      (a) =>
        (a.status.history ?? []).length === 2 && a.status.operationState?.phase === 'Succeeded',
      'the second sync done',
    );
    expect(settingOn(0, 'manual')).not.toBe('hello');
    expect(latest.status.history?.[1].revisions?.[1]).not.toBe(settingsV1);

    const rollback = await f.t
      .http()
      .post(`/api/v1/applications/${app}/rollback`)
      .send({ id: 0 })
      .expect(202);
    expect(rollback.body.operation).toMatchObject({
      kind: 'rollback',
      revisions: [appV1, settingsV1],
      rollbackId: 0,
    });
    const rolledBack = await f.until(
      app,
      (a) =>
        (a.status.history ?? []).length === 3 && a.status.operationState?.phase === 'Succeeded',
      'the rollback done',
    );
    expect(rolledBack.status.history?.[2].revisions).toEqual([appV1, settingsV1]);
    expect(settingOn(0, 'manual')).toBe('hello');
    expect((await f.app(app)).status.sync?.status).toBe('OutOfSync');
  });

  it('diffs at the target revision of every source, or at another of a source picked by name', async () => {
    const app = 'manual-sim-0';
    const diff = await f.t.http().get(`/api/v1/applications/${app}/diff`).expect(200);
    expect(diff.body.revisions).toEqual([appV1, await settings.head()]);
    expect(diff.body.revision).toBeUndefined();
    expect(
      diff.body.items
        .filter((item: { status: string }) => item.status !== 'Synced')
        .map((item: { kind: string; name: string }) => `${item.kind} ${item.name}`),
    ).toEqual(['ConfigMap billing-settings', 'ConfigMap web-settings']);
    // At the commits the rollback deployed, nothing differs
    const pinned = await f.t
      .http()
      .get(`/api/v1/applications/${app}/diff?revisions=${settingsV1}&sourceNames=settings`)
      .expect(200);
    expect(pinned.body.revisions).toEqual([appV1, settingsV1]);
    expect(pinned.body.syncStatus).toBe('Synced');
    const refused = await f.t
      .http()
      .get(`/api/v1/applications/${app}/diff?revision=${settingsV1}`)
      .expect(422);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ field: 'revision', rule: 'multiple-sources' }),
    ]);
    const misspelt = await f.t
      .http()
      .get(`/api/v1/applications/${app}/diff?revisons=${settingsV1}`)
      .expect(422);
    expect(misspelt.body.details).toEqual([
      expect.objectContaining({ field: 'revisons', rule: 'unknown-field' }),
    ]);
  });
});
