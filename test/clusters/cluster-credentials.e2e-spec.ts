import { Client } from 'pg';
import { stringify } from 'yaml';
import { selfSignedCertificate } from '../support/certificates';
import { startTestApp, TestApp } from '../support/app';

describe('cluster credentials: import, redaction and encryption at rest', () => {
  let t: TestApp;
  const token = 'tok-4f1c2b9e-very-secret';
  const client = selfSignedCertificate('admin');
  const ca = selfSignedCertificate('ca');
  const secrets = [
    token,
    keyBody(client.keyPem),
    keyBody(client.certPem),
    Buffer.from(client.keyPem).toString('base64').slice(0, 40),
  ];
  const logged: string[] = [];
  let restore: (() => void) | undefined;

  beforeAll(async () => {
    // Capture everything the app writes, at the most verbose level.
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (
      logged.push(String(chunk)),
      out(chunk as string, ...(rest as []))
    )) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (
      logged.push(String(chunk)),
      err(chunk as string, ...(rest as []))
    )) as typeof process.stderr.write;
    restore = () => {
      process.stdout.write = out;
      process.stderr.write = err;
    };
    t = await startTestApp({
      env: { LOG_LEVEL: 'verbose', FLEETPLANE_CONNECTIVITY_TIMEOUT_SECONDS: '2' },
    });
  });

  afterAll(async () => {
    restore?.();
    await t?.close();
  });

  const kubeconfig = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'ctx-a',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: 'https://10.9.0.1:6443',
            'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'),
            ...cluster,
          },
        },
      ],
      users: [{ name: 'u', user }],
      contexts: [
        { name: 'ctx-a', context: { cluster: 'c', user: 'u' } },
        { name: 'ctx-b', context: { cluster: 'c', user: 'u' } },
      ],
    });

  it('imports a kubeconfig context with its token and CA', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters/import')
      .send({ kubeconfig: kubeconfig({ token }), labels: { env: 'prod' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'ctx-a',
      server: 'https://10.9.0.1:6443',
      labels: { env: 'prod' },
      credentials: { kinds: ['bearerToken', 'caData'], insecureSkipTLSVerify: false },
    });
  });

  it('imports a named context with a client certificate under another name', async () => {
    const res = await t
      .http()
      .post('/api/v1/clusters/import')
      .send({
        kubeconfig: kubeconfig({
          'client-certificate-data': Buffer.from(client.certPem).toString('base64'),
          'client-key-data': Buffer.from(client.keyPem).toString('base64'),
        }),
        context: 'ctx-b',
        name: 'imported-b',
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'imported-b',
      credentials: { kinds: ['clientCertificate', 'caData'] },
    });
  });

  it.each<[string, () => object, string, RegExp]>([
    [
      'an exec plugin',
      () => ({ kubeconfig: kubeconfig({ exec: { command: 'aws' } }), name: 'x1' }),
      'kubeconfig.users.exec',
      /cannot run in the control plane/,
    ],
    [
      'a CA file reference',
      () => ({
        kubeconfig: kubeconfig(
          { token },
          { 'certificate-authority': '/etc/ca.crt', 'certificate-authority-data': undefined },
        ),
        name: 'x2',
      }),
      'kubeconfig.clusters.certificate-authority',
      /--flatten/,
    ],
    [
      'an unknown context',
      () => ({ kubeconfig: kubeconfig({ token }), context: 'nope' }),
      'context',
      /ctx-a, ctx-b/,
    ],
    [
      'YAML that does not parse',
      () => ({ kubeconfig: 'clusters: [' }),
      'kubeconfig',
      /not valid YAML/,
    ],
    ['a missing kubeconfig', () => ({ context: 'ctx-a' }), 'kubeconfig', /must be the kubeconfig/],
  ])('refuses %s', async (_case, body, field, message) => {
    const res = await t.http().post('/api/v1/clusters/import').send(body());
    expect(res.status).toBe(422);
    expect(res.body.details).toContainEqual(
      expect.objectContaining({ field, message: expect.stringMatching(message) }),
    );
  });

  it('never returns credential bytes from any endpoint', async () => {
    await t
      .http()
      .patch('/api/v1/clusters/ctx-a')
      .send({ credentials: { bearerToken: token, caData: ca.certPem } })
      .expect(200);
    const bodies = [
      (await t.http().get('/api/v1/clusters')).text,
      (await t.http().get('/api/v1/clusters/ctx-a')).text,
      (await t.http().get('/api/v1/clusters/imported-b')).text,
      (
        await t
          .http()
          .post('/api/v1/clusters')
          .send({ name: 'ctx-a', server: 'https://1.1.1.1', credentials: { bearerToken: token } })
      ).text,
      (
        await t
          .http()
          .post('/api/v1/clusters')
          .send({
            name: 'bad',
            server: 'https://1.1.1.1',
            credentials: { bearerToken: `${token} x` },
          })
      ).text,
      (await t.http().get('/metrics')).text,
    ];
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret);
  });

  it('stores credentials only as ciphertext', async () => {
    const db = new Client({ connectionString: t.db.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT row_to_json(c)::text AS row, credentials_ciphertext FROM clusters c`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { row, credentials_ciphertext } of rows) {
        for (const secret of secrets) {
          expect(row).not.toContain(secret);
          if (credentials_ciphertext)
            expect((credentials_ciphertext as Buffer).includes(Buffer.from(secret))).toBe(false);
        }
      }
      const events = await db.query(`SELECT row_to_json(e)::text AS row FROM cluster_events e`);
      for (const { row } of events.rows)
        for (const secret of secrets) expect(row).not.toContain(secret);
    } finally {
      await db.end();
    }
  });

  it('records a failed connectivity check without leaking the token', async () => {
    await t
      .http()
      .post('/api/v1/clusters')
      .send({
        name: 'unreachable',
        server: 'https://127.0.0.1:1',
        credentials: { bearerToken: token, insecureSkipTLSVerify: true },
      })
      .expect(201);
    const res = await t.http().post('/api/v1/clusters/unreachable/check');
    expect(res.status).toBe(200);
    expect(res.body.connection).toMatchObject({
      status: 'Failed',
      serverVersion: null,
      checkedAt: expect.any(String),
    });
    expect(res.body.connection.message).toMatch(/ECONNREFUSED/);
    expect(res.text).not.toContain(token);
  });

  it('never writes credential bytes to the log', () => {
    const all = logged.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});

/** A distinctive slice of a PEM body (the base64 between the armour lines). */
function keyBody(pem: string): string {
  return pem.split('\n').slice(1, 2).join('');
}
