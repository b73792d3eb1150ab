/**
 * Git access as an operator configures it, seen through the preview:
 * repository credentials from FLEETPLANE_GIT_CREDENTIALS_FILE (by URL
 * prefix), file:// refused unless FLEETPLANE_ALLOW_FILE_REPOS=true, ssh
 * refused without known hosts. No secret ever appears in an answer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestApp, TestApp } from '../support/app';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import { appSet, names, preview, template } from './preview-kit';

const TOKEN = 'fp-preview-token-4b7d21';

function directories(repoURL: string) {
  return appSet(
    'private-apps',
    [{ git: { repoURL, directories: [{ path: 'apps/*' }] } }],
    template('{{path.basename}}', { server: 'https://prod.example.com' }),
  );
}

describe('preview: Git access as the operator configures it', () => {
  let t: TestApp;
  let dir: string;
  let server: GitHttpServer;
  let fileRepo: TestGitRepo;

  beforeAll(async () => {
    // Given a Git server that demands a token, with two repositories
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-git-access-'));
    const served = path.join(dir, 'served');
    server = await GitHttpServer.start({ root: served, auth: { bearerToken: TOKEN } });
    for (const name of ['private', 'other']) {
      const repo = await TestGitRepo.create({ parentDir: served, name });
      await repo.commitFiles({ 'apps/billing/kustomization.yaml': '', 'apps/web/k.yaml': '' });
    }
    fileRepo = await TestGitRepo.create({ parentDir: dir, name: 'local' });
    await fileRepo.commitFiles({ 'apps/a/k.yaml': '' });
    // and an operator who gave the token for the first repository only, and no file:// access
    const credentials = path.join(dir, 'credentials.json');
    await writeFile(credentials, JSON.stringify([{ url: server.url('private'), token: TOKEN }]), {
      mode: 0o600,
    });
    t = await startTestApp({
      env: { FLEETPLANE_GIT_CREDENTIALS_FILE: credentials, FLEETPLANE_ALLOW_FILE_REPOS: 'false' },
    });
  });

  afterAll(async () => {
    await t?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a repository with the token configured for its URL, sent as a header', async () => {
    const res = await preview(t, directories(server.url('private')));
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['billing', 'web']);
    expect(
      server.requests
        .filter((r) => r.path.startsWith('/private/'))
        .every((r) => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
  });

  it('fails, without a listing, for a repository no credentials cover', async () => {
    const res = await preview(t, directories(server.url('other')));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      generatorIndex: 0,
      cause: 'Upstream',
      applications: [],
      message: expect.stringContaining('authentication failed'),
    });
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('refuses file:// unless FLEETPLANE_ALLOW_FILE_REPOS=true', async () => {
    const res = await preview(t, directories(fileRepo.url));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      generatorIndex: 0,
      cause: 'Invalid',
      applications: [],
      details: [
        expect.objectContaining({
          field: 'spec.generators[0].git.repoURL',
          rule: 'repo-url-file-repos-disabled',
        }),
      ],
    });
    expect(res.body.message).toContain('FLEETPLANE_ALLOW_FILE_REPOS');
  });

  it('refuses ssh when no known hosts are configured (no trust on first use)', async () => {
    const res = await preview(t, directories('git@git.example.com:org/apps.git'));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ generatorIndex: 0, applications: [] });
    expect(res.body.message).toContain('FLEETPLANE_GIT_SSH_KNOWN_HOSTS_FILE');
  });
});
