/**
 * Text PostgreSQL cannot store, wherever input enters: the NUL character
 * (U+0000, in neither text nor jsonb) and half of a UTF-16 surrogate pair
 * (not Unicode; jsonb refuses it). Each of these requests used to end in a
 * 500. Now the request line answers 400 and a body 422, naming the field; a
 * Git file that carries one refuses only the Applications it reaches, and the
 * ApplicationSet's status still records them.
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import { getAppSet, registerClusters, waitForApps } from '../applicationsets/lifecycle-kit';

const MESSAGE = 'must not contain the NUL character (U+0000), which PostgreSQL cannot store';

describe('text PostgreSQL cannot store, in input', () => {
  let t: TestApp;
  let repo: TestGitRepo;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    await repo.commitFiles({
      'envs/dev/config.json': JSON.stringify({ env: 'dev' }),
      'envs/prod/config.json': '{"env":"pr\\u0000od"}',
    });
    t = await startTestApp();
    await registerClusters(t, { 'eu-1': {} });
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it.each([
    ['GET', '/api/v1/applications/a%00b'],
    ['GET', '/api/v1/applications/a%00b/history'],
    ['POST', '/api/v1/applications/a%00b/terminate'],
    ['GET', '/api/v1/applicationsets/%00'],
    ['POST', '/api/v1/applicationsets/%00/approve-deletions'],
    ['GET', '/api/v1/clusters/eu-1%00'],
    ['DELETE', '/api/v1/sources/%00'],
  ])('answers 400 naming the path parameter: %s %s', async (method, url) => {
    const res = await t.http()[method.toLowerCase() as 'get' | 'post' | 'delete'](url);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'BadRequest',
      message: `name: ${MESSAGE}`,
      details: [{ field: 'name', rule: 'nul-character', message: MESSAGE }],
    });
  });

  it('answers 400 naming the query parameter', async () => {
    const res = await t.http().get('/api/v1/applications?selector=env%3Dpr%00od');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'selector', rule: 'nul-character', message: MESSAGE },
    ]);
  });

  it('answers 422 naming the field of a JSON body, and stores nothing', async () => {
    const value = await t
      .http()
      .post('/api/v1/clusters')
      .send({
        name: 'eu-2',
        server: 'https://eu-2.example.com',
        annotations: { owner: 'a\u0000' },
      });
    expect(value.status).toBe(422);
    expect(value.body.details).toEqual([
      { field: 'annotations.owner', rule: 'nul-character', message: MESSAGE },
    ]);
    const key = await t
      .http()
      .post('/api/v1/clusters')
      .send({ name: 'eu-2', server: 'https://eu-2.example.com', labels: { 'a\u0000': 'x' } });
    expect(key.status).toBe(422);
    expect(key.body.details).toEqual([
      {
        field: 'labels',
        rule: 'nul-character',
        message: 'must not have a key that contains the NUL character (U+0000)',
      },
    ]);
    const half = await t
      .http()
      .post('/api/v1/clusters')
      .set('content-type', 'application/json')
      .send(
        '{"name":"eu-2","server":"https://eu-2.example.com","annotations":{"owner":"a\\ud800"}}',
      );
    expect(half.status).toBe(422);
    expect(half.body.details).toEqual([
      {
        field: 'annotations.owner',
        rule: 'unpaired-surrogate',
        message:
          'must be Unicode text: it holds half of a UTF-16 surrogate pair (\\ud800-\\udfff) without the other',
      },
    ]);
    await t.http().get('/api/v1/clusters/eu-2').expect(404);

    const sync = await t
      .http()
      .post('/api/v1/applications/web-dev/sync')
      .send({ revision: '\u0000' });
    expect(sync.status).toBe(422);
    expect(sync.body.details).toEqual([
      { field: 'revision', rule: 'nul-character', message: MESSAGE },
    ]);
  });

  it('refuses an ApplicationSet whose YAML holds one, naming the line', async () => {
    const yaml = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata:',
      '  name: nul',
      'spec:',
      '  generators:',
      '  - list:',
      '      elements:',
      '      - env: "pr\\0od"',
      '  template:',
      '    metadata:',
      "      name: 'nul-{{env}}'",
      '    spec:',
      '      project: default',
      '      source: {repoURL: "https://git.example.com/apps.git", targetRevision: main, path: web}',
      '      destination: {name: eu-1, namespace: apps}',
      '',
    ].join('\n');
    const res = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send(yaml);
    expect(res.status).toBe(422);
    expect(res.body.details).toContainEqual(
      expect.objectContaining({
        field: 'spec.generators[0].list.elements[0].env',
        rule: 'nul-character',
        line: 9,
      }),
    );
    await t.http().get('/api/v1/applicationsets/nul').expect(404);
  });

  it('skips only the Application a Git file with a NUL reaches, and records it in the status', async () => {
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'web' },
        spec: {
          generators: [
            {
              git: { repoURL: repo.url, revision: 'main', files: [{ path: 'envs/*/config.json' }] },
            },
          ],
          template: {
            metadata: { name: 'web-{{env}}' },
            spec: {
              project: 'default',
              source: { repoURL: repo.url, targetRevision: 'main', path: 'web' },
              destination: { name: 'eu-1', namespace: '{{env}}' },
            },
          },
        },
      })
      .expect(201);
    await waitForApps(t, 'web', ['web-dev']);
    const appSet = await eventually(async () => {
      const found = await getAppSet(t, 'web');
      return found?.status.skippedApplications?.length ? found : null;
    });
    const skipped = appSet.status.skippedApplications!;
    // The name is recorded with the NUL written out, as text.
    expect(skipped.map((s) => s.name)).toEqual(['web-pr\\u0000od']);
    expect(skipped[0].problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'metadata.name', rule: 'nul-character' }),
        expect.objectContaining({ field: 'spec.destination.namespace', rule: 'nul-character' }),
      ]),
    );
  });
});
