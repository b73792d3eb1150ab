/**
 * A push webhook reaches the Applications: with Git polled only hourly, a
 * commit is deployed as soon as GitHub announces it, although no Git source
 * or ApplicationSet reads the repository (the Applications' own manifests).
 */
import { createHmac } from 'node:crypto';
import { TestGitRepo } from '../support/git-repo';
import {
  AppView,
  Fleet,
  imageOn,
  startFleet,
  syncedHealthy,
  twoSourceAppSet,
  webAppSet,
  webManifests,
} from './sync-kit';

const SECRET = 'push-secret';

describe('sync: a push webhook', () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({
      clusters: 1,
      env: { FLEETPLANE_GIT_POLL_SECONDS: '3600', FLEETPLANE_WEBHOOK_GITHUB_SECRET: SECRET },
    });
  });
  afterAll(() => f?.close());

  const push = (repoUrl: string) => {
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { clone_url: repoUrl, default_branch: 'main' },
      commits: [],
    });
    return f.t
      .http()
      .post('/api/v1/webhooks/git')
      .set('content-type', 'application/json')
      .set('x-github-event', 'push')
      .set(
        'x-hub-signature-256',
        `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      )
      .send(body);
  };

  it('deploys the pushed commit at once instead of at the next poll', async () => {
    // Given an Application synced at the first commit, with Git polled hourly
    const first = await f.repo.head();
    await f.t.http().post('/api/v1/applicationsets').send(webAppSet('web', f.repo.url)).expect(201);
    await f.until('web-sim-0', syncedHealthy(first), 'Synced at the first commit');
    // When a commit changes the image, nothing moves without a push (the poll is an hour away)
    const next = await f.repo.commitFiles(webManifests('nginx:1.27'), 'new image');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await f.app('web-sim-0')).status.sync?.revision).toBe(first);
    // And when GitHub announces the push
    await push(f.repo.url).expect(202);
    // Then the Application is synced at the pushed commit
    await f.until('web-sim-0', syncedHealthy(next), 'Synced at the pushed commit', 15_000);
    expect(imageOn(f.sim.clusters[0])).toBe('nginx:1.27');
  });

  it('leaves Applications of other repositories alone', async () => {
    // Given a new commit nobody has announced yet
    const before = (await f.app('web-sim-0')).status.sync?.revision;
    const next = await f.repo.commitFiles(webManifests('nginx:1.28'), 'another image');
    // When a push of another repository is announced, the Application stays where it was
    await push('https://github.com/example/unrelated.git').expect(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await f.app('web-sim-0')).status.sync?.revision).toBe(before);
    // And only the push of its own repository moves it
    await push(f.repo.url).expect(202);
    await f.until('web-sim-0', syncedHealthy(next), 'Synced at the pushed commit', 15_000);
  });

  it('wakes an Application with several sources when its second repository is pushed', async () => {
    // Given an Application combining the app repository with a settings repository
    const settings = await TestGitRepo.create();
    try {
      const settingsMap = (greeting: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  greeting: ${greeting}\n`;
      const v1 = await settings.commitFiles({ 'extra/cm.yaml': settingsMap('hello') });
      await f.t
        .http()
        .post('/api/v1/applicationsets')
        .send(twoSourceAppSet('two', f.repo.url, settings.url, 'extra'))
        .expect(201);
      const appHead = await f.repo.head();
      const at = (shas: string[]) => (a: AppView) =>
        JSON.stringify(a.status.sync?.revisions) === JSON.stringify(shas);
      await f.until('two-sim-0', (a) => syncedHealthy()(a) && at([appHead, v1])(a), 'Synced');
      // When the settings repository gets a commit and GitHub announces it
      const v2 = await settings.commitFiles({ 'extra/cm.yaml': settingsMap('bonjour') });
      await push(settings.url).expect(202);
      // Then the Application follows it without waiting for the hourly poll
      await f.until(
        'two-sim-0',
        (a) => syncedHealthy()(a) && at([appHead, v2])(a),
        'Synced at the pushed settings commit',
        15_000,
      );
    } finally {
      await settings.cleanup();
    }
  });
});
