/**
 * Polling: a commit that adds a directory read by a Git directory generator
 * adds an Application, found by the repository's periodic poll alone (no
 * webhook, no refresh).
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  getAppSet,
  gitDirectoryAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

describe('a commit adding a directory', () => {
  let t: TestApp;
  let repo: TestGitRepo;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    // The ApplicationSet lives in the repository it reads (app of apps).
    await repo.commitFiles({
      'appsets/apps.yaml': yamlDocs(gitDirectoryAppSet('apps', repo.url, 'in-cluster')),
      'apps/alpha/deployment.yaml': 'kind: Deployment\n',
      'apps/beta/deployment.yaml': 'kind: Deployment\n',
    });
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '1' } });
    await registerClusters(t, { 'in-cluster': {} });
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'apps', repoURL: repo.url, revision: 'main', path: 'appsets' })
      .expect(201);
    await waitForApps(t, 'apps', ['apps-alpha', 'apps-beta']);
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it('adds its Application on the next poll, and records the commit it read', async () => {
    // Given the ApplicationSet read the first commit,
    const before = await getAppSet(t, 'apps');
    expect(before?.status.revisions).toEqual([
      { repoURL: repo.url, revision: 'main', sha: await repo.head() },
    ]);

    // when a commit adds apps/gamma,
    const sha = await repo.commitFiles({ 'apps/gamma/deployment.yaml': 'kind: Deployment\n' });

    // then the poll finds it and the Application is added,
    await waitForApps(t, 'apps', ['apps-alpha', 'apps-beta', 'apps-gamma']);
    const gamma = (await t.http().get('/api/v1/applications/apps-gamma').expect(200)).body;
    expect(gamma.spec.source).toMatchObject({ path: 'apps/gamma' });
    // and the status names the commit and what the reconcile wrote.
    const after = await eventually(async () => {
      const body = await getAppSet(t, 'apps');
      return body?.status.revisions?.[0]?.sha === sha ? body : null;
    }, DEADLINE_MS);
    expect(after.status.lastChange).toEqual({ created: 1, updated: 0, deleted: 0, orphaned: 0 });
    expect(Date.parse(after.status.reconciledAt!)).toBeGreaterThan(
      Date.parse(before!.status.reconciledAt!),
    );
  });

  it('removes the Application when a commit removes the directory', async () => {
    await repo.commitFiles({ 'apps/alpha/deployment.yaml': null });
    await waitForApps(t, 'apps', ['apps-beta', 'apps-gamma']);
  });
});
