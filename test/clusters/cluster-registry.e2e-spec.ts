import { ClusterRepository } from '../../src/clusters/cluster.repository';
import { startTestApp, TestApp } from '../support/app';

describe('cluster registry (REST, real Postgres)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  const register = (body: object) => t.http().post('/api/v1/clusters').send(body);
  const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((c) => c.name);

  describe('register and read', () => {
    it('registers a cluster without contacting it and returns it without credentials', async () => {
      // Given a cluster that is not reachable at all,
      const res = await register({
        name: 'prod-eu-1',
        server: 'https://10.255.255.1:6443',
        labels: { env: 'prod', region: 'eu' },
        annotations: { 'example.com/owner': 'team a' },
        project: 'payments',
        credentials: { bearerToken: 'never-shown' },
      });
      // then registration still succeeds,
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        name: 'prod-eu-1',
        server: 'https://10.255.255.1:6443',
        labels: { env: 'prod', region: 'eu' },
        annotations: { 'example.com/owner': 'team a' },
        project: 'payments',
        credentials: { kinds: ['bearerToken'], insecureSkipTLSVerify: false },
        connection: { status: 'Unknown', message: null, serverVersion: null, checkedAt: null },
        resourceVersion: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      // and reading it back gives the same view.
      const got = await t.http().get('/api/v1/clusters/prod-eu-1');
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('refuses a duplicate name with 409', async () => {
      await register({ name: 'dup', server: 'https://10.0.0.1' }).expect(201);
      const res = await register({ name: 'dup', server: 'https://10.0.0.2' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'AlreadyExists',
        details: [{ field: 'name', rule: 'unique' }],
      });
    });

    it('keeps free-form names, addressed percent-encoded', async () => {
      const name = 'Team A/prod #1 (eu)';
      await register({ name, server: 'https://10.0.0.3' }).expect(201);
      const res = await t.http().get(`/api/v1/clusters/${encodeURIComponent(name)}`);
      expect(res.status).toBe(200);
      expect(res.body.name).toBe(name);
    });

    it('answers 404 with a JSON body for an unknown cluster', async () => {
      const res = await t.http().get('/api/v1/clusters/nope');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'NotFound',
        message: 'cluster "nope" not found',
        details: [],
      });
    });
  });

  describe('list by label selector', () => {
    beforeAll(async () => {
      const fleet: [string, Record<string, string>][] = [
        ['sel-a', { fleet: 'sel', env: 'prod', region: 'eu', gpu: 'true' }],
        ['sel-b', { fleet: 'sel', env: 'prod', region: 'us' }],
        ['sel-c', { fleet: 'sel', env: 'dev', region: 'eu', legacy: 'yes' }],
        ['sel-d', { fleet: 'sel', env: 'staging', tier: 'x' }],
        ['sel-e', { fleet: 'sel' }],
      ];
      for (const [name, labels] of fleet)
        await register({ name, server: 'https://10.1.0.1', labels }).expect(201);
    });

    it.each<[string, string[]]>([
      ['fleet=sel,env=prod', ['sel-a', 'sel-b']],
      ['fleet=sel,env==prod', ['sel-a', 'sel-b']],
      ['fleet=sel,env!=dev', ['sel-a', 'sel-b', 'sel-d', 'sel-e']],
      ['fleet=sel,region in (eu,us)', ['sel-a', 'sel-b', 'sel-c']],
      ['fleet=sel,tier notin (x)', ['sel-a', 'sel-b', 'sel-c', 'sel-e']],
      ['fleet=sel,gpu', ['sel-a']],
      ['fleet=sel,!legacy', ['sel-a', 'sel-b', 'sel-d', 'sel-e']],
      ['fleet=sel,env=prod,region=eu,!legacy', ['sel-a']],
      ['fleet=sel,env in (nothing)', []],
    ])('%s selects %j', async (selector, expected) => {
      const res = await t.http().get('/api/v1/clusters').query({ selector });
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(expected);
      expect(res.body.continue).toBeNull();
    });

    it('pages through results in name order with continue tokens', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const res = await t
          .http()
          .get('/api/v1/clusters')
          .query({ selector: 'fleet=sel', limit: '2', ...(token ? { continue: token } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(res));
        token = res.body.continue;
      } while (token);
      expect(seen).toEqual(['sel-a', 'sel-b', 'sel-c', 'sel-d', 'sel-e']);
    });

    it.each<[Record<string, string>, string, RegExp]>([
      [{ selector: 'env in (a' }, 'selector', /expected: ',' or '\)' \(at position 9\)/],
      [{ selector: 'bad key=1' }, 'selector', /expected/],
      [{ limit: '0' }, 'limit', /from 1 to 1000/],
      [{ limit: 'ten' }, 'limit', /integer/],
      [{ continue: 'garbage' }, 'continue', /not a token/],
    ])('rejects %j with 400 naming %s', async (query, field, message) => {
      const res = await t.http().get('/api/v1/clusters').query(query);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BadRequest');
      expect(res.body.details).toEqual([
        expect.objectContaining({ field, message: expect.stringMatching(message) }),
      ]);
    });
  });

  describe('relabel', () => {
    beforeEach(async () => {
      await t.http().delete('/api/v1/clusters/relabel-me');
      await register({
        name: 'relabel-me',
        server: 'https://10.2.0.1',
        labels: { env: 'dev', team: 'a' },
      }).expect(201);
    });

    it('merges labels and removes keys set to null', async () => {
      const res = await t
        .http()
        .patch('/api/v1/clusters/relabel-me')
        .send({ labels: { env: 'prod', team: null, region: 'eu' } });
      expect(res.status).toBe(200);
      expect(res.body.labels).toEqual({ env: 'prod', region: 'eu' });
      expect(res.body.resourceVersion).toBe(2);
    });

    it('replaces the label set with PUT', async () => {
      const res = await t.http().put('/api/v1/clusters/relabel-me/labels').send({ only: 'this' });
      expect(res.status).toBe(200);
      expect(res.body.labels).toEqual({ only: 'this' });
    });

    it('changes server and annotations and treats a no-op patch as no change', async () => {
      const changed = await t
        .http()
        .patch('/api/v1/clusters/relabel-me')
        .send({ server: 'https://10.2.0.2:6443', annotations: { note: 'moved' } });
      expect(changed.body).toMatchObject({
        server: 'https://10.2.0.2:6443',
        annotations: { note: 'moved' },
        resourceVersion: 2,
      });
      const same = await t
        .http()
        .patch('/api/v1/clusters/relabel-me')
        .send({ labels: { env: 'dev' } });
      expect(same.body.resourceVersion).toBe(2);
    });

    it('survives the database: a fresh read shows the relabel', async () => {
      await t
        .http()
        .patch('/api/v1/clusters/relabel-me')
        .send({ labels: { env: 'prod' } })
        .expect(200);
      const row = await t.app.get(ClusterRepository).findByName('relabel-me');
      expect(row?.labels).toEqual({ env: 'prod', team: 'a' });
    });

    it('refuses to rename', async () => {
      const res = await t.http().patch('/api/v1/clusters/relabel-me').send({ name: 'other' });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'name', rule: 'immutable' }),
      ]);
    });

    it('answers 404 when relabelling an unknown cluster', async () => {
      await t
        .http()
        .patch('/api/v1/clusters/ghost')
        .send({ labels: { a: 'b' } })
        .expect(404);
      await t.http().put('/api/v1/clusters/ghost/labels').send({ a: 'b' }).expect(404);
    });
  });

  describe('delete', () => {
    it('deletes, then answers 404', async () => {
      await register({ name: 'short-lived', server: 'https://10.3.0.1' }).expect(201);
      await t.http().delete('/api/v1/clusters/short-lived').expect(204);
      await t.http().get('/api/v1/clusters/short-lived').expect(404);
      await t.http().delete('/api/v1/clusters/short-lived').expect(404);
    });
  });
});
