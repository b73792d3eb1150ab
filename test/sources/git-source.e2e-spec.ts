/**
 * A Git source: every ApplicationSet document under its path (and below it
 * with `recurse`) becomes a managed ApplicationSet whose Applications are
 * created, and those ApplicationSets can only be changed in Git.
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  appNames,
  clusterAppSet,
  getAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

describe('Git source with two ApplicationSets', () => {
  let t: TestApp;
  let repo: TestGitRepo;
  let sha: string;

  beforeAll(async () => {
    // Polling is slow on purpose: everything here follows from registering the source.
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    await registerClusters(t, {
      'eu-1': { env: 'prod' },
      'eu-2': { env: 'prod' },
      'us-1': { env: 'dev' },
    });
    repo = await TestGitRepo.create();
    sha = await repo.commitFiles({
      // Two ApplicationSets in one file, a ConfigMap that is not one (ignored).
      'appsets/fleet.yaml': yamlDocs(
        clusterAppSet('guestbook', { env: 'prod' }),
        listAppSet('tools', ['grafana', 'loki'], 'us-1'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-an-appset' } },
      ),
      // Found only because the source recurses.
      'appsets/team-a/billing.json': JSON.stringify(listAppSet('billing', ['api'], 'eu-1')),
      // Outside the source path, and hidden: both ignored.
      'other/ignored.yaml': yamlDocs(listAppSet('ignored', ['x'], 'eu-1')),
      'appsets/.hidden/ignored.yaml': yamlDocs(listAppSet('hidden', ['x'], 'eu-1')),
      'README.md': '# fleet',
    });
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it('creates the Applications of every ApplicationSet under the path', async () => {
    // When the source is registered,
    const res = await t.http().post('/api/v1/sources').send({
      name: 'platform',
      repoURL: repo.url,
      revision: 'main',
      path: 'appsets',
      recurse: true,
    });
    expect(res.status).toBe(201);

    // then each ApplicationSet's Applications are created,
    await waitForApps(t, 'guestbook', ['guestbook-eu-1', 'guestbook-eu-2']);
    await waitForApps(t, 'tools', ['tools-grafana', 'tools-loki']);
    await waitForApps(t, 'billing', ['billing-api']);
    // nothing outside the path or hidden is read,
    expect(await getAppSet(t, 'ignored')).toBeNull();
    expect(await getAppSet(t, 'hidden')).toBeNull();

    // and the source and each ApplicationSet say where they came from.
    const source = await eventually(async () => {
      const body = (await t.http().get('/api/v1/sources/platform')).body;
      return body.status?.revision === sha ? body : null;
    }, DEADLINE_MS);
    expect(source.status).toMatchObject({
      revision: sha,
      applicationSets: ['billing', 'guestbook', 'tools'],
      error: null,
    });
    expect(source.status.problems).toBeUndefined();
    const guestbook = await getAppSet(t, 'guestbook');
    expect(guestbook?.source).toEqual({
      name: 'platform',
      path: 'appsets/fleet.yaml',
      revision: sha,
    });
    expect((await getAppSet(t, 'billing'))?.source?.path).toBe('appsets/team-a/billing.json');
    const app = await t.http().get('/api/v1/applications/tools-loki').expect(200);
    expect(app.body).toMatchObject({
      metadata: { name: 'tools-loki', applicationSet: 'tools' },
      spec: { destination: { name: 'us-1', namespace: 'apps' } },
      status: { destination: { cluster: 'us-1', server: 'https://us-1.example.com' } },
    });
  });

  it('refuses to change a Git-managed ApplicationSet over REST, naming the source', async () => {
    const doc = listAppSet('tools', ['other'], 'us-1');
    for (const res of [
      await t.http().put('/api/v1/applicationsets/tools').send(doc),
      await t.http().post('/api/v1/applicationsets').send(doc),
      await t.http().delete('/api/v1/applicationsets/tools'),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'Conflict',
        message: expect.stringContaining('Git source "platform" (appsets/fleet.yaml)'),
        source: 'platform',
        path: 'appsets/fleet.yaml',
      });
    }
    expect(await appNames(t, 'tools')).toEqual(['tools-grafana', 'tools-loki']);
  });

  it('deletes the ApplicationSets and their Applications when the source is deleted', async () => {
    await t.http().delete('/api/v1/sources/platform').expect(204);
    await eventually(
      async () => (await getAppSet(t, 'guestbook')) === null,
      DEADLINE_MS,
      'guestbook gone',
    );
    await eventually(async () => (await getAppSet(t, 'tools')) === null, DEADLINE_MS, 'tools gone');
    expect(await appNames(t, 'guestbook')).toEqual([]);
    const all = await t.http().get('/api/v1/applications').expect(200);
    expect(all.body.items).toEqual([]);
    await t.http().get('/api/v1/sources/platform').expect(404);
  });
});
