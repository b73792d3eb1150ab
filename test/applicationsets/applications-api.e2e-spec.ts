/**
 * `GET /api/v1/applications[/{name}]`: Argo CD's shape, filters
 * (`applicationset`, `cluster`, `project`, label `selector`), name-ordered
 * pagination, and a 400/404 naming the problem for every bad request.
 */
import { startTestApp, TestApp } from '../support/app';
import { clusterAppSet, registerClusters, waitForApps } from './lifecycle-kit';

describe('Applications over REST', () => {
  let t: TestApp;

  const names = async (query: Record<string, string>) => {
    const res = await t.http().get('/api/v1/applications').query(query);
    expect(res.status).toBe(200);
    return res.body.items.map((a: { metadata: { name: string } }) => a.metadata.name);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await registerClusters(t, {
      'eu-1': { env: 'prod', region: 'eu' },
      'eu-2': { env: 'dev', region: 'eu' },
      'us-1': { env: 'prod', region: 'us' },
    });
    const labelled = (name: string, project: string) => {
      const doc = clusterAppSet(name, {});
      doc.spec.generators = [{ clusters: { selector: { matchLabels: {} } } }];
      const template = doc.spec.template as {
        metadata: Record<string, unknown>;
        spec: Record<string, unknown>;
      };
      template.metadata.labels = {
        env: '{{metadata.labels.env}}',
        region: '{{metadata.labels.region}}',
      };
      template.spec.project = project;
      return doc;
    };
    await t.http().post('/api/v1/applicationsets').send(labelled('web', 'default')).expect(201);
    await t.http().post('/api/v1/applicationsets').send(labelled('db', 'data')).expect(201);
    await waitForApps(t, 'web', ['web-eu-1', 'web-eu-2', 'web-us-1']);
    await waitForApps(t, 'db', ['db-eu-1', 'db-eu-2', 'db-us-1']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['everything', {}, ['db-eu-1', 'db-eu-2', 'db-us-1', 'web-eu-1', 'web-eu-2', 'web-us-1']],
    ['by ApplicationSet', { applicationset: 'web' }, ['web-eu-1', 'web-eu-2', 'web-us-1']],
    ['by cluster', { cluster: 'us-1' }, ['db-us-1', 'web-us-1']],
    ['by project', { project: 'data' }, ['db-eu-1', 'db-eu-2', 'db-us-1']],
    ['by label selector', { selector: 'env=prod,region in (eu)' }, ['db-eu-1', 'web-eu-1']],
    [
      'by all of them',
      { applicationset: 'db', cluster: 'eu-2', project: 'data', selector: 'env!=prod' },
      ['db-eu-2'],
    ],
    ['matching nothing', { applicationset: 'nope' }, []],
  ])('lists %s', async (_what, query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it('pages in name order with an opaque continue token', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = token
        ? { limit: '4', continue: token }
        : { limit: '4' };
      const res = await t.http().get('/api/v1/applications').query(query).expect(200);
      seen.push(...res.body.items.map((a: { metadata: { name: string } }) => a.metadata.name));
      token = res.body.continue;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(['db-eu-1', 'db-eu-2', 'db-us-1', 'web-eu-1', 'web-eu-2', 'web-us-1']);
    // A filtered page continues within the filter.
    const first = await t
      .http()
      .get('/api/v1/applications')
      .query({ cluster: 'eu-1', limit: '1' })
      .expect(200);
    const second = await t
      .http()
      .get('/api/v1/applications')
      .query({ cluster: 'eu-1', limit: '1', continue: first.body.continue })
      .expect(200);
    expect([first.body.items[0].metadata.name, second.body.items[0].metadata.name]).toEqual([
      'db-eu-1',
      'web-eu-1',
    ]);
    expect(second.body.continue).toBeNull();
  });

  it("returns one Application in Argo CD's shape", async () => {
    const res = await t.http().get('/api/v1/applications/web-eu-1').expect(200);
    expect(res.body).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'web-eu-1',
        uid: expect.any(String),
        applicationSet: 'web',
        labels: { env: 'prod', region: 'eu' },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
        generation: 1,
        creationTimestamp: expect.any(String),
      },
      spec: { project: 'default', destination: { name: 'eu-1', namespace: 'apps' } },
      status: {
        destination: { cluster: 'eu-1', server: 'https://eu-1.example.com', namespace: 'apps' },
      },
    });
  });

  it.each<[string, Record<string, string | string[]>, string, string]>([
    ['a limit that is not a number', { limit: 'ten' }, 'limit', 'integer-range'],
    ['a limit of 0', { limit: '0' }, 'limit', 'integer-range'],
    ['a limit over 1000', { limit: '1001' }, 'limit', 'integer-range'],
    ['a forged continue token', { continue: 'not-a-token' }, 'continue', 'continue-token'],
    ['a selector that does not parse', { selector: 'env in (prod' }, 'selector', 'label-selector'],
    ['a repeated filter', { cluster: ['eu-1', 'us-1'] }, 'cluster', 'type'],
    [
      'an unknown parameter (a typo would otherwise list everything)',
      { applicationSet: 'web' },
      'applicationSet',
      'unknown-parameter',
    ],
  ])('answers %s with 400 naming the parameter', async (_what, query, field, rule) => {
    const res = await t.http().get('/api/v1/applications').query(query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(res.body.details).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it('answers an unknown Application with 404', async () => {
    const res = await t.http().get('/api/v1/applications/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NotFound', message: 'Application "nope" not found' });
  });
});
