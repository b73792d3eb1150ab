/**
 * A commit that deletes an ApplicationSet's file deletes the ApplicationSet;
 * its Applications go with it under policy `sync`, and stay (released from
 * the ApplicationSet) under `create-only`, as in Argo CD (semantics.md §3).
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  appNames,
  getAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

describe('a commit deleting ApplicationSet files', () => {
  let t: TestApp;
  let repo: TestGitRepo;

  beforeAll(async () => {
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    await registerClusters(t, { 'eu-1': {} });
    repo = await TestGitRepo.create();
    await repo.commitFiles({
      'appsets/synced.yaml': yamlDocs(listAppSet('synced', ['a', 'b'], 'eu-1')),
      'appsets/kept.yaml': yamlDocs(
        listAppSet('kept', ['a', 'b'], 'eu-1', {
          syncPolicy: { applicationsSync: 'create-only' },
        }),
      ),
      'appsets/stays.yaml': yamlDocs(listAppSet('stays', ['a'], 'eu-1')),
    });
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'fleet', repoURL: repo.url, revision: 'main', path: 'appsets' })
      .expect(201);
    await waitForApps(t, 'synced', ['synced-a', 'synced-b']);
    await waitForApps(t, 'kept', ['kept-a', 'kept-b']);
    await waitForApps(t, 'stays', ['stays-a']);
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it('deletes the Applications of a sync ApplicationSet and keeps those of a create-only one', async () => {
    // When a commit removes two of the three files and the source is refreshed,
    const sha = await repo.commitFiles({ 'appsets/synced.yaml': null, 'appsets/kept.yaml': null });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);

    // then both ApplicationSets are gone,
    await eventually(
      async () => (await getAppSet(t, 'synced')) === null,
      DEADLINE_MS,
      'synced gone',
    );
    await eventually(async () => (await getAppSet(t, 'kept')) === null, DEADLINE_MS, 'kept gone');
    // the sync one's Applications with it,
    await t.http().get('/api/v1/applications/synced-a').expect(404);
    await t.http().get('/api/v1/applications/synced-b').expect(404);
    // the create-only one's Applications kept, owned by no ApplicationSet,
    for (const name of ['kept-a', 'kept-b']) {
      const app = await t.http().get(`/api/v1/applications/${name}`).expect(200);
      expect(app.body.metadata.applicationSet).toBeNull();
    }
    // and the third ApplicationSet is untouched.
    expect(await appNames(t, 'stays')).toEqual(['stays-a']);
    const source = (await t.http().get('/api/v1/sources/fleet').expect(200)).body;
    expect(source.status).toMatchObject({ revision: sha, applicationSets: ['stays'] });
  });

  it('adopts the kept Applications again when the file comes back', async () => {
    await repo.commitFiles({
      'appsets/kept.yaml': yamlDocs(
        listAppSet('kept', ['a', 'b'], 'eu-1', {
          syncPolicy: { applicationsSync: 'create-only' },
        }),
      ),
    });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);
    await waitForApps(t, 'kept', ['kept-a', 'kept-b']);
  });
});
