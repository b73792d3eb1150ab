/**
 * Bad requests to `/api/v1/sources[/{name}[/refresh]]`: 400, 404, 409 or
 * 422 with a JSON body naming the field, never a 500. A repository that
 * cannot be read is an error on the source's status, never an empty source.
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import { DEADLINE_MS } from '../applicationsets/lifecycle-kit';

describe('Git sources API: bad input', () => {
  let t: TestApp;
  let repo: TestGitRepo;

  const post = (body: unknown) =>
    t
      .http()
      .post('/api/v1/sources')
      .send(body as object);

  beforeAll(async () => {
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    repo = await TestGitRepo.create();
    await repo.commitFiles({ 'README.md': 'empty\n' });
    await post({ name: 'fleet', repoURL: repo.url }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it.each<[string, unknown, string[]]>([
    ['an empty object', {}, ['name', 'repoURL']],
    [
      'a name that is not a Kubernetes name',
      { name: 'Fleet_1', repoURL: 'https://git.example.com/a.git' },
      ['name'],
    ],
    ['a remote helper URL', { name: 'x', repoURL: 'ext::sh -c touch% /tmp/pwned' }, ['repoURL']],
    ['a javascript: URL', { name: 'x', repoURL: 'javascript:alert(1)' }, ['repoURL']],
    [
      'a path leaving the repository',
      { name: 'x', repoURL: 'https://git.example.com/a.git', path: '../etc' },
      ['path'],
    ],
    [
      'a revision that is an option',
      { name: 'x', repoURL: 'https://git.example.com/a.git', revision: '--upload-pack=x' },
      ['revision'],
    ],
    [
      'recurse that is not a boolean',
      { name: 'x', repoURL: 'https://git.example.com/a.git', recurse: 'yes' },
      ['recurse'],
    ],
    [
      'an unknown field',
      { name: 'x', repoURL: 'https://git.example.com/a.git', branch: 'main' },
      ['branch'],
    ],
    ['a JSON array', [], ['']],
  ])('answers %s with 422 naming the field', async (_what, body, fields) => {
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'Invalid' });
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(fields);
    expect((await t.http().get('/api/v1/sources/x')).status).toBe(404);
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await t
      .http()
      .post('/api/v1/sources')
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BadRequest');
  });

  it('answers a duplicate name with 409 naming the field', async () => {
    const res = await post({ name: 'fleet', repoURL: repo.url });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'AlreadyExists' });
    expect(res.body.details).toContainEqual(
      expect.objectContaining({ field: 'name', rule: 'unique' }),
    );
  });

  it('answers a PUT whose body names another source with 422', async () => {
    const res = await t
      .http()
      .put('/api/v1/sources/fleet')
      .send({ name: 'other', repoURL: repo.url });
    expect(res.status).toBe(422);
    expect(res.body.details).toContainEqual(
      expect.objectContaining({ field: 'name', rule: 'match-path' }),
    );
  });

  it('answers an unknown source with 404 on every verb', async () => {
    for (const res of [
      await t.http().get('/api/v1/sources/nope'),
      await t.http().put('/api/v1/sources/nope').send({ name: 'nope', repoURL: repo.url }),
      await t.http().post('/api/v1/sources/nope/refresh'),
      await t.http().delete('/api/v1/sources/nope'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NotFound', message: 'source "nope" not found' });
    }
  });

  it('records an unreadable repository or revision as an error, not as an empty source', async () => {
    await post({ name: 'gone', repoURL: `${repo.url}-missing` }).expect(201);
    await post({ name: 'no-branch', repoURL: repo.url, revision: 'no-such-branch' }).expect(201);
    for (const [name, text] of [
      ['gone', 'fetch'],
      ['no-branch', 'no-such-branch'],
    ]) {
      const status = await eventually(async () => {
        const body = (await t.http().get(`/api/v1/sources/${name}`).expect(200)).body;
        return body.status.error ? body.status : null;
      }, DEADLINE_MS);
      expect(status.error.message).toContain(text);
      expect(status.revision).toBeUndefined();
      expect(status.applicationSets).toBeUndefined();
    }
  });
});
