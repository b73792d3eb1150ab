/**
 * Never delete on failure (argo-cd#18480, #18212, #14318): a Git repository
 * that becomes unreachable, or a generator that fails, records ErrorOccurred
 * and changes no Application; the reconcile is retried with backoff and
 * recovers by itself once the cause is gone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestApp, TestApp } from '../support/app';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import {
  appNames,
  getAppSet,
  gitDirectoryAppSet,
  registerClusters,
  waitForApps,
  waitForCondition,
} from './lifecycle-kit';

/** Retries back off from 5 s; recovery needs a few of them on a loaded machine. */
const RECOVERY_MS = 45_000;

describe('never delete on failure', () => {
  let t: TestApp;
  let root: string;
  let server: GitHttpServer;
  let repo: TestGitRepo;
  let filesRepo: TestGitRepo;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-unreachable-'));
    server = await GitHttpServer.start({ root });
    repo = await TestGitRepo.create({ parentDir: root, name: 'apps' });
    await repo.commitFiles({ 'apps/one/a.yaml': 'a: 1\n', 'apps/two/a.yaml': 'a: 1\n' });
    filesRepo = await TestGitRepo.create();
    await filesRepo.commitFiles({
      'envs/dev/config.json': JSON.stringify({ env: 'dev' }),
      'envs/prod/config.json': JSON.stringify({ env: 'prod' }),
    });
    // Polled every second: every failure below is found by polling alone.
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '1' } });
    await registerClusters(t, { 'eu-1': {} });
  });

  afterAll(async () => {
    await t?.close();
    await server?.stop();
    await repo?.cleanup();
    await filesRepo?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps every Application while the repository is unreachable, then recovers', async () => {
    // Given an ApplicationSet reading the repository over HTTP, with its Applications,
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(gitDirectoryAppSet('remote', server.url('apps'), 'eu-1'))
      .expect(201);
    await waitForApps(t, 'remote', ['remote-one', 'remote-two']);
    await waitForCondition(t, 'remote', 'ErrorOccurred', 'False');

    // when the server goes away and a commit (that nobody can see) removes a directory,
    await server.stop();
    await repo.commitFiles({ 'apps/two/a.yaml': null });

    // then the failure is recorded, naming the repository,
    const error = await waitForCondition(t, 'remote', 'ErrorOccurred', 'True');
    expect(error.message).toContain(server.url('apps'));
    const status = (await getAppSet(t, 'remote'))!.status;
    expect(status.conditions).toContainEqual(
      expect.objectContaining({ type: 'ResourcesUpToDate', status: 'False' }),
    );
    // and no Application was touched.
    expect(await appNames(t, 'remote')).toEqual(['remote-one', 'remote-two']);

    // When the server is back, the retry applies the commit: only now is two deleted.
    await server.restart();
    await waitForApps(t, 'remote', ['remote-one'], RECOVERY_MS);
    await waitForCondition(t, 'remote', 'ErrorOccurred', 'False', RECOVERY_MS);
  });

  it('keeps every Application when a generator fails on what it reads, then recovers', async () => {
    // Given a Git files generator over two config files,
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'envs' },
        spec: {
          generators: [
            {
              git: {
                repoURL: filesRepo.url,
                revision: 'main',
                files: [{ path: 'envs/*/config.json' }],
              },
            },
          ],
          template: {
            metadata: { name: 'envs-{{env}}' },
            spec: {
              project: 'default',
              source: { repoURL: 'https://git.example.com/apps.git', path: '{{path}}' },
              destination: { name: 'eu-1', namespace: '{{env}}' },
            },
          },
        },
      })
      .expect(201);
    await waitForApps(t, 'envs', ['envs-dev', 'envs-prod']);

    // when one file stops being a JSON/YAML object (the generator cannot parse it),
    await filesRepo.commitFiles({ 'envs/prod/config.json': 'just some text' });

    // then the reconcile fails with ErrorOccurred naming the file,
    const error = await waitForCondition(t, 'envs', 'ErrorOccurred', 'True');
    expect(error.message).toContain('envs/prod/config.json');
    expect(
      (await getAppSet(t, 'envs'))!.status.conditions!.find(
        (c) => c.type === 'ParametersGenerated',
      ),
    ).toMatchObject({ status: 'False' });
    // and neither Application was deleted or changed.
    expect(await appNames(t, 'envs')).toEqual(['envs-dev', 'envs-prod']);

    // When the file is fixed (renaming the environment), the change applies.
    await filesRepo.commitFiles({ 'envs/prod/config.json': JSON.stringify({ env: 'production' }) });
    await waitForApps(t, 'envs', ['envs-dev', 'envs-production'], RECOVERY_MS);
    await waitForCondition(t, 'envs', 'ErrorOccurred', 'False', RECOVERY_MS);
  });

  it('keeps every Application when a new version of the ApplicationSet cannot be generated', async () => {
    // A matrix whose children disagree on a key fails only at generation (semantics §1.6).
    const doc = gitDirectoryAppSet('remote', server.url('apps'), 'eu-1');
    const broken = {
      ...doc,
      spec: {
        ...doc.spec,
        generators: [
          {
            matrix: {
              generators: [
                { list: { elements: [{ 'path.basename': 'x' }] } },
                (doc.spec.generators as object[])[0],
              ],
            },
          },
        ],
      },
    };
    await t.http().put('/api/v1/applicationsets/remote').send(broken).expect(200);
    const error = await waitForCondition(t, 'remote', 'ErrorOccurred', 'True');
    expect(error.message).toContain('duplicate key');
    expect(await appNames(t, 'remote')).toEqual(['remote-one']);
  });
});
