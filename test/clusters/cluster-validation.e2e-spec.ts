import { selfSignedCertificate } from '../support/certificates';
import { startTestApp, TestApp } from '../support/app';

/** Every way a registration can be wrong, each answered with a JSON body naming the field and the rule. */
describe('cluster registry validation', () => {
  let t: TestApp;
  const pair = selfSignedCertificate('client');
  const other = selfSignedCertificate('other');

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  const valid = { name: 'ok', server: 'https://10.0.0.1:6443' };

  it.each<[string, object, string, string]>([
    ['missing name', { server: valid.server }, 'name', 'required'],
    ['empty name', { ...valid, name: '' }, 'name', 'length'],
    ['name of 254 characters', { ...valid, name: 'x'.repeat(254) }, 'name', 'length'],
    ['name with a newline', { ...valid, name: 'a\nb' }, 'name', 'printable'],
    ['name with a NUL', { ...valid, name: 'a\u0000b' }, 'name', 'nul-character'],
    ['name with a zero-width space', { ...valid, name: 'a\u200bb' }, 'name', 'printable'],
    ['missing server', { name: 'x' }, 'server', 'required'],
    ['relative server', { ...valid, server: '10.0.0.1:6443' }, 'server', 'url'],
    [
      'plain http to a remote host',
      { ...valid, server: 'http://10.0.0.1:6443' },
      'server',
      'url-scheme',
    ],
    ['ftp server', { ...valid, server: 'ftp://10.0.0.1' }, 'server', 'url-scheme'],
    [
      'credentials in the URL',
      { ...valid, server: 'https://admin:pw@10.0.0.1' },
      'server',
      'url-credentials',
    ],
    ['query in the URL', { ...valid, server: 'https://10.0.0.1/?x=1' }, 'server', 'url'],
    [
      'label key with a space',
      { ...valid, labels: { 'bad key': 'x' } },
      "labels['bad key']",
      'label-key',
    ],
    [
      'label key with two slashes',
      { ...valid, labels: { 'a/b/c': 'x' } },
      "labels['a/b/c']",
      'label-key',
    ],
    [
      'label key with an upper-case prefix',
      { ...valid, labels: { 'Example.com/x': 'y' } },
      "labels['Example.com/x']",
      'label-key',
    ],
    [
      'label value of 64 characters',
      { ...valid, labels: { env: 'x'.repeat(64) } },
      'labels.env',
      'label-value',
    ],
    ['label value with a slash', { ...valid, labels: { env: 'a/b' } }, 'labels.env', 'label-value'],
    [
      'label value ending in a dash',
      { ...valid, labels: { env: 'prod-' } },
      'labels.env',
      'label-value',
    ],
    ['label value that is a number', { ...valid, labels: { env: 1 } }, 'labels.env', 'label-value'],
    ['labels as a list', { ...valid, labels: ['env'] }, 'labels', 'type'],
    [
      'annotation key with a space',
      { ...valid, annotations: { 'a b': 'x' } },
      "annotations['a b']",
      'annotation-key',
    ],
    [
      'annotation value that is an object',
      { ...valid, annotations: { a: {} } },
      'annotations.a',
      'annotation-value',
    ],
    [
      'annotations over 256 KiB',
      { ...valid, annotations: { a: 'x'.repeat(262_145) } },
      'annotations',
      'annotations-size',
    ],
    ['project with upper case', { ...valid, project: 'Payments' }, 'project', 'project-name'],
    ['unknown field', { ...valid, lables: { env: 'x' } }, 'lables', 'unknown-field'],
    [
      'unknown credential field',
      { ...valid, credentials: { password: 'x' } },
      'credentials.password',
      'unknown-field',
    ],
    [
      'token with whitespace',
      { ...valid, credentials: { bearerToken: 'a b' } },
      'credentials.bearerToken',
      'bearer-token',
    ],
    [
      'certificate without key',
      { ...valid, credentials: { clientCertificateData: pair.certPem } },
      'credentials.clientKeyData',
      'required',
    ],
    [
      'key that is not PEM',
      { ...valid, credentials: { clientCertificateData: pair.certPem, clientKeyData: 'nope' } },
      'credentials.clientKeyData',
      'pem',
    ],
    [
      'key of another certificate',
      {
        ...valid,
        credentials: { clientCertificateData: pair.certPem, clientKeyData: other.keyPem },
      },
      'credentials.clientKeyData',
      'key-mismatch',
    ],
    [
      'CA that is not a certificate',
      { ...valid, credentials: { caData: pair.keyPem } },
      'credentials.caData',
      'certificate',
    ],
    [
      'insecure together with a CA',
      { ...valid, credentials: { caData: pair.certPem, insecureSkipTLSVerify: true } },
      'credentials.insecureSkipTLSVerify',
      'conflict',
    ],
    ['body that is a list', [valid], '', 'type'],
  ])('rejects %s with 422 naming the field', async (_case, body, field, rule) => {
    const res = await t.http().post('/api/v1/clusters').send(body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'Invalid' });
    expect(res.body.details).toContainEqual(expect.objectContaining({ field, rule }));
    // and nothing was stored.
    const list = await t.http().get('/api/v1/clusters');
    expect(list.body.items).toEqual([]);
  });

  it('reports every problem of a request at once', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .send({ name: '', server: 'ftp://x', labels: { 'a b': 'c' } });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
      'name',
      'server',
      "labels['a b']",
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });

  it('accepts plain http for loopback and base64-encoded PEM', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters')
      .send({
        name: 'local',
        server: 'http://127.0.0.1:8001',
        credentials: {
          clientCertificateData: Buffer.from(pair.certPem).toString('base64'),
          clientKeyData: Buffer.from(pair.keyPem).toString('base64'),
        },
      });
    expect(res.status).toBe(201);
    expect(res.body.credentials).toEqual({
      kinds: ['clientCertificate'],
      insecureSkipTLSVerify: false,
    });
    await t.http().delete('/api/v1/clusters/local').expect(204);
  });

  it('validates PATCH bodies the same way', async () => {
    await t.http().post('/api/v1/clusters').send({ name: 'p', server: valid.server }).expect(201);
    const res = await t
      .http()
      .patch('/api/v1/clusters/p')
      .send({
        labels: { env: 'a/b', 'ok-key': null },
        server: 'http://example.com',
        annotations: { x: 5 },
      });
    expect(res.status).toBe(422);
    expect(
      res.body.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`),
    ).toEqual(['server:url-scheme', 'labels.env:label-value', 'annotations.x:type']);
    const put = await t.http().put('/api/v1/clusters/p/labels').send({ env: null });
    expect(put.status).toBe(422);
    expect(put.body.details).toEqual([
      expect.objectContaining({ field: 'labels.env', rule: 'label-value' }),
    ]);
    await t.http().delete('/api/v1/clusters/p').expect(204);
  });
});
