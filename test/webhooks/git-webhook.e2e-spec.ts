/**
 * `POST /api/v1/webhooks/git`: GitHub (HMAC `X-Hub-Signature-256`) and
 * GitLab (`X-Gitlab-Token`) pushes, verified on the raw body before anything
 * parses it. A verified push polls the repository at once (one fetch for all
 * its readers), so the change lands without waiting for the poll interval,
 * here set to an hour.
 */
import { createHmac } from 'node:crypto';
import { Server, request } from 'node:http';
import { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestApp, TestApp } from '../support/app';
import { GitHttpServer } from '../support/git-http-server';
import { ApplicationSetReconciler } from '../../src/applicationsets/reconcile/applicationset-reconciler';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  appNames,
  gitDirectoryAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

const GITHUB_SECRET = 'github-webhook-secret';
const GITLAB_TOKEN = 'gitlab-webhook-token';

describe('Git webhooks', () => {
  let t: TestApp;
  let root: string;
  let server: GitHttpServer;
  let repo: TestGitRepo;

  const sign = (body: string, secret = GITHUB_SECRET) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const githubPush = (ref = 'refs/heads/main') =>
    JSON.stringify({
      ref,
      before: '0'.repeat(40),
      after: '1'.repeat(40),
      repository: { html_url: server.url('fleet'), default_branch: 'main' },
      commits: [],
    });
  const github = (body: string | Buffer, signature?: string, event = 'push') => {
    const req = t
      .http()
      .post('/api/v1/webhooks/git')
      .set('content-type', 'application/json')
      .set('x-github-event', event);
    return (signature === undefined ? req : req.set('x-hub-signature-256', signature)).send(body);
  };
  /** Waits until no fetch happened for a while (the readers have settled). */
  const settledFetchCount = () =>
    eventually(async () => {
      const before = server.fetchCount('fleet');
      await new Promise((r) => setTimeout(r, 500));
      return server.fetchCount('fleet') === before ? before + 1 : null;
    }, DEADLINE_MS).then((n) => n - 1);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-webhook-'));
    server = await GitHttpServer.start({ root });
    repo = await TestGitRepo.create({ parentDir: root, name: 'fleet' });
    await repo.commitFiles({
      'appsets/apps.yaml': yamlDocs(gitDirectoryAppSet('apps', server.url('fleet'), 'eu-1')),
      'apps/one/a.yaml': 'a: 1\n',
    });
    t = await startTestApp({
      env: {
        FLEETPLANE_GIT_POLL_SECONDS: '3600',
        FLEETPLANE_RESYNC_SECONDS: '0',
        FLEETPLANE_WEBHOOK_GITHUB_SECRET: GITHUB_SECRET,
        FLEETPLANE_WEBHOOK_GITLAB_TOKEN: GITLAB_TOKEN,
      },
    });
    await registerClusters(t, { 'eu-1': {} });
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'fleet', repoURL: server.url('fleet'), revision: 'main', path: 'appsets' })
      .expect(201);
    await waitForApps(t, 'apps', ['apps-one']);
    // Readers of nothing pushed below: a list generator, and a Git generator on another repository.
    const other = await TestGitRepo.create({ parentDir: root, name: 'other' });
    await other.commitFiles({ 'apps/x/a.yaml': 'a: 1\n' });
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet('unrelated', ['a'], 'eu-1'))
      .expect(201);
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(gitDirectoryAppSet('elsewhere', server.url('other'), 'eu-1'))
      .expect(201);
    await waitForApps(t, 'unrelated', ['unrelated-a']);
    await waitForApps(t, 'elsewhere', ['elsewhere-x']);
  });

  afterAll(async () => {
    await t?.close();
    await server?.stop();
    await repo?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses a push with a bad or missing signature, before looking at it', async () => {
    const fetches = await settledFetchCount();
    await repo.commitFiles({ 'apps/two/a.yaml': 'a: 1\n' });
    const body = githubPush();
    for (const signature of [
      sign(body, 'wrong-secret'),
      undefined,
      'sha256=zz',
      sign(`${body} `),
    ]) {
      const res = await github(body, signature);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        code: 'Unauthorized',
        message: expect.stringContaining('X-Hub-Signature-256'),
      });
    }
    // Not even JSON: the signature check comes first.
    expect((await github('{not json', sign('{other'))).status).toBe(401);
    const gitlab = await t
      .http()
      .post('/api/v1/webhooks/git')
      .set('x-gitlab-event', 'Push Hook')
      .set('x-gitlab-token', 'not-the-token')
      .send({ project: { web_url: server.url('fleet') } });
    expect(gitlab.status).toBe(401);
    expect(gitlab.body).toMatchObject({
      code: 'Unauthorized',
      message: expect.stringContaining('X-Gitlab-Token'),
    });

    // Nothing was fetched and nothing changed.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.fetchCount('fleet')).toBe(fetches);
    expect(await appNames(t, 'apps')).toEqual(['apps-one']);
  });

  it('applies a pushed commit at once with a good GitHub signature, in one fetch', async () => {
    // Given the commit above, unseen (the poll interval is an hour),
    const fetches = await settledFetchCount();
    const reconciler = t.app.get(ApplicationSetReconciler);
    const original = reconciler.reconcile.bind(reconciler);
    const reconciled: string[] = [];
    const names = new Map<string, string>(
      (await t.http().get('/api/v1/applicationsets').expect(200)).body.items.map(
        (a: { metadata: { uid: string; name: string } }) => [a.metadata.uid, a.metadata.name],
      ),
    );
    const spy = jest.spyOn(reconciler, 'reconcile').mockImplementation(async (id, now, fresh) => {
      reconciled.push(names.get(id) ?? id);
      return original(id, now, fresh);
    });
    // when GitHub announces the push,
    const body = githubPush();
    const res = await github(body, sign(body));

    // then it is accepted, naming what reads the repository,
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      event: 'push',
      repositories: [server.url('fleet')],
      sources: ['fleet'],
      applicationSets: 1,
    });
    // the Application of the new directory appears,
    await waitForApps(t, 'apps', ['apps-one', 'apps-two']);
    // the repository was fetched once for the source and the ApplicationSet together,
    expect(await settledFetchCount()).toBe(fetches + 1);
    spy.mockRestore();
    // and only the ApplicationSet reading the pushed repository was re-evaluated.
    expect(new Set(reconciled)).toEqual(new Set(['apps']));
  });

  it('applies a change to the source itself on a GitLab push with the right token', async () => {
    await repo.commitFiles({
      'appsets/tools.yaml': yamlDocs(listAppSet('tools', ['grafana'], 'eu-1')),
    });
    const res = await t
      .http()
      .post('/api/v1/webhooks/git')
      .set('x-gitlab-event', 'Push Hook')
      .set('x-gitlab-token', GITLAB_TOKEN)
      .send({
        ref: 'refs/heads/main',
        project: {
          web_url: server.url('fleet'),
          git_http_url: `${server.url('fleet')}.git`,
          default_branch: 'main',
        },
      });
    expect(res.status).toBe(202);
    expect(res.body.sources).toEqual(['fleet']);
    await waitForApps(t, 'tools', ['tools-grafana']);
  });

  it('answers pings and pushes to repositories nobody reads without doing anything', async () => {
    const ping = JSON.stringify({ zen: 'hi', repository: { html_url: server.url('fleet') } });
    expect((await github(ping, sign(ping), 'ping')).body).toEqual({
      event: 'ping',
      repositories: [],
      sources: [],
      applicationSets: 0,
    });
    const other = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { html_url: 'https://github.com/example/other' },
    });
    const res = await github(other, sign(other));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ event: 'push', repositories: [], sources: [], applicationSets: 0 });
  });

  it('does not list a source that follows another branch than the one pushed', async () => {
    const body = githubPush('refs/heads/feature');
    const res = await github(body, sign(body));
    expect(res.status).toBe(202);
    expect(res.body.sources).toEqual([]);
  });

  it('answers malformed but authentic payloads with 400/422, never 500', async () => {
    const notJson = '{"ref": ';
    const bad = await github(notJson, sign(notJson));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining('not JSON'),
    });

    for (const payload of [
      '[]',
      '{"repository": "x"}',
      '{"repository": {"html_url": 42}}',
      'null',
    ]) {
      const res = await github(payload, sign(payload));
      expect(res.status).toBe(422);
      expect(res.body.details).toContainEqual(
        expect.objectContaining({ field: 'repository', rule: 'required' }),
      );
    }
    const noProvider = await t.http().post('/api/v1/webhooks/git').send({});
    expect(noProvider.status).toBe(400);
    expect(noProvider.body.message).toContain('X-GitHub-Event');
  });

  it('refuses a body over the size cap with 413 (discarded as it streams, never buffered)', async () => {
    // 26 MB, the cap being 25 MB (GitHub's own limit for push payloads).
    const http = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/webhooks/git',
            headers: {
              'content-type': 'application/json',
              'content-length': String(26 * 1024 * 1024),
              'x-github-event': 'push',
              'x-hub-signature-256': sign('irrelevant'),
            },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(Buffer.alloc(26 * 1024 * 1024, 0x20));
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 413, code: 'PayloadTooLarge' });
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('Git webhooks of a provider that is not configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses them with 403 naming the setting', async () => {
    const res = await t
      .http()
      .post('/api/v1/webhooks/git')
      .set('x-github-event', 'push')
      .set('x-hub-signature-256', 'sha256=00')
      .send('{}');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining('FLEETPLANE_WEBHOOK_GITHUB_SECRET'),
    });
  });
});
