import { stringify } from 'yaml';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/wait';

/** An ApplicationSet with a cluster generator over `selector`, in Argo CD's format. */
function clusterAppSet(
  name: string,
  matchLabels: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ clusters: { selector: { matchLabels } } }],
      template: {
        metadata: {
          name: `${name}-{{nameNormalized}}`,
          labels: { env: '{{metadata.labels.env}}' },
        },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://git.example.com/apps.git',
            targetRevision: 'main',
            path: 'guestbook',
          },
          destination: { name: '{{name}}', namespace: 'guestbook' },
        },
      },
      ...extra,
    },
  };
}

describe('ApplicationSets over REST and their Applications', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    for (const [name, env] of [
      ['eu-1', 'prod'],
      ['eu-2', 'prod'],
      ['us-1', 'dev'],
    ]) {
      await t
        .http()
        .post('/api/v1/clusters')
        .send({ name, server: `https://${name}.example.com`, labels: { env } })
        .expect(201);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const appNames = async (appSet: string): Promise<string[]> => {
    const res = await t.http().get('/api/v1/applications').query({ applicationset: appSet });
    return res.body.items.map((a: { metadata: { name: string } }) => a.metadata.name);
  };

  it('previews without writing, then creates the Applications of a cluster generator', async () => {
    const doc = clusterAppSet('guestbook', { env: 'prod' });
    const preview = await t.http().post('/api/v1/applicationsets/preview').send(doc);
    expect(preview.status).toBe(200);
    expect(
      preview.body.applications.map((a: { metadata: { name: string } }) => a.metadata.name),
    ).toEqual(['guestbook-eu-1', 'guestbook-eu-2']);
    expect(preview.body.applications[0].params).toMatchObject({
      name: 'eu-1',
      server: 'https://eu-1.example.com',
      'metadata.labels.env': 'prod',
    });
    expect(preview.body.plan).toEqual({
      create: ['guestbook-eu-1', 'guestbook-eu-2'],
      update: [],
      delete: [],
      unchanged: 0,
    });
    expect(await appNames('guestbook')).toEqual([]);

    const created = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send(stringify(doc));
    expect(created.status).toBe(201);
    expect(
      await eventually(async () =>
        (await appNames('guestbook')).length === 2 ? appNames('guestbook') : null,
      ),
    ).toEqual(['guestbook-eu-1', 'guestbook-eu-2']);
    const app = await t.http().get('/api/v1/applications/guestbook-eu-1');
    expect(app.body).toMatchObject({
      kind: 'Application',
      metadata: {
        name: 'guestbook-eu-1',
        labels: { env: 'prod' },
        applicationSet: 'guestbook',
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: { destination: { name: 'eu-1', namespace: 'guestbook' } },
      status: {
        destination: {
          cluster: 'eu-1',
          server: 'https://eu-1.example.com',
          namespace: 'guestbook',
        },
      },
    });
    const appSet = await eventually(async () => {
      const res = await t.http().get('/api/v1/applicationsets/guestbook');
      return res.body.status?.conditions ? res.body : null;
    });
    expect(appSet.status.conditions).toEqual([
      expect.objectContaining({ type: 'ErrorOccurred', status: 'False' }),
      expect.objectContaining({ type: 'ParametersGenerated', status: 'True' }),
      expect.objectContaining({ type: 'ResourcesUpToDate', status: 'True' }),
    ]);
    expect(appSet.status.applications).toBe(2);
  });

  it('follows a relabel both ways', async () => {
    await t
      .http()
      .patch('/api/v1/clusters/us-1')
      .send({ labels: { env: 'prod' } })
      .expect(200);
    await eventually(
      async () => (await appNames('guestbook')).includes('guestbook-us-1'),
      5000,
      'us-1 added',
    );
    await t
      .http()
      .patch('/api/v1/clusters/eu-1')
      .send({ labels: { env: 'dev' } })
      .expect(200);
    await eventually(
      async () => !(await appNames('guestbook')).includes('guestbook-eu-1'),
      5000,
      'eu-1 removed',
    );
    expect(await appNames('guestbook')).toEqual(['guestbook-eu-2', 'guestbook-us-1']);
  });

  it('reports schema problems with paths and lines', async () => {
    const yaml =
      'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: broken\nspec:\n  generators:\n  - clusters:\n      selector:\n        matchExpressions:\n        - key: env\n          operator: Equals\n  template: {}\n';
    const res = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send(yaml);
    expect(res.status).toBe(422);
    expect(res.body.details).toContainEqual(
      expect.objectContaining({
        field: 'spec.generators[0].clusters.selector.matchExpressions[0].operator',
        line: 11,
      }),
    );
  });

  it('answers a generation error in the preview with 422 and the generator index', async () => {
    const doc = clusterAppSet('bad', { env: 'prod' });
    // Only generation can tell: a matrix whose children disagree on a key (semantics §1.6).
    (doc.spec.generators as unknown[]).push({
      matrix: {
        generators: [
          { list: { elements: [{ name: 'x' }] } },
          { list: { elements: [{ name: 'y' }] } },
        ],
      },
    });
    const res = await t.http().post('/api/v1/applicationsets/preview').send(doc);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'Invalid',
      message: expect.stringContaining('found duplicate key name with different value'),
      generatorIndex: 1,
      applications: [],
    });
  });

  it('refuses a duplicate and deletes with the Applications', async () => {
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(clusterAppSet('guestbook', { env: 'prod' }))
      .expect(409);
    await t.http().delete('/api/v1/applicationsets/guestbook').expect(202);
    await eventually(
      async () => (await t.http().get('/api/v1/applicationsets/guestbook')).status === 404,
      5000,
      'appset gone',
    );
    expect(await appNames('guestbook')).toEqual([]);
  });
});
