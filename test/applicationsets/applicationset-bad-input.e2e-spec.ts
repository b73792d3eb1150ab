/**
 * Bad requests to `/api/v1/applicationsets[/{name}[/approve-deletions]]`:
 * every one answers 400, 404, 409 or 422 with a JSON body naming the field
 * and the problem, never a 500, and changes nothing.
 */
import { startTestApp, TestApp } from '../support/app';
import { getAppSet, listAppSet, registerClusters, waitForApps, yamlDocs } from './lifecycle-kit';

describe('ApplicationSets API: bad input', () => {
  let t: TestApp;

  const expectError = (
    res: { status: number; body: Record<string, unknown> },
    status: number,
    code: string,
    detail?: { field: string; rule?: string },
  ) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
    if (detail) expect(res.body.details).toContainEqual(expect.objectContaining(detail));
  };

  beforeAll(async () => {
    t = await startTestApp();
    await registerClusters(t, { 'eu-1': {} });
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet('kept', ['a'], 'eu-1'))
      .expect(201);
    await waitForApps(t, 'kept', ['kept-a']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers a body that is missing, or not YAML/JSON, with 400', async () => {
    expectError(await t.http().post('/api/v1/applicationsets'), 400, 'BadRequest', {
      field: 'body',
    });
    const yaml = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send('metadata:\n  name: [unclosed\n');
    expectError(yaml, 400, 'BadRequest', { field: '', rule: 'syntax' });
    const json = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/json')
      .send('{"metadata": ');
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('BadRequest');
  });

  it('answers schema problems with 422, each with its path and line', async () => {
    const res = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send(
        'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: Bad_Name\nspec:\n  generators: []\n',
      );
    expectError(res, 422, 'Invalid', { field: 'metadata.name' });
    expect(res.body.details).toContainEqual(
      expect.objectContaining({ field: 'spec.template', line: expect.any(Number) }),
    );
  });

  it('answers two documents in one body with 422', async () => {
    const two = yamlDocs(listAppSet('first', ['a'], 'eu-1'), listAppSet('second', ['a'], 'eu-1'));
    const res = await t
      .http()
      .post('/api/v1/applicationsets')
      .set('content-type', 'application/yaml')
      .send(two);
    expectError(res, 422, 'Invalid', { rule: 'one-document', field: '' });
    expect(await getAppSet(t, 'first')).toBeNull();
  });

  it('answers a duplicate name with 409 naming the field', async () => {
    const res = await t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet('kept', ['b'], 'eu-1'));
    expectError(res, 409, 'AlreadyExists', { field: 'metadata.name', rule: 'unique' });
  });

  it('answers a PUT whose body names another ApplicationSet with 422', async () => {
    const res = await t
      .http()
      .put('/api/v1/applicationsets/kept')
      .send(listAppSet('other', ['a'], 'eu-1'));
    expectError(res, 422, 'Invalid', { field: 'metadata.name', rule: 'match-path' });
    expect(await getAppSet(t, 'other')).toBeNull();
  });

  it('answers an unknown ApplicationSet with 404 on every verb', async () => {
    for (const res of [
      await t.http().get('/api/v1/applicationsets/nope'),
      await t.http().delete('/api/v1/applicationsets/nope'),
      await t.http().post('/api/v1/applicationsets/nope/approve-deletions'),
    ]) {
      expectError(res, 404, 'NotFound');
      expect(res.body.message).toBe('ApplicationSet "nope" not found');
    }
  });

  it('answers an approval with nothing to approve with 409', async () => {
    const res = await t.http().post('/api/v1/applicationsets/kept/approve-deletions');
    expectError(res, 409, 'Conflict');
    expect(res.body.message).toContain('no deletions waiting for approval');
  });

  it('answers bad list parameters with 400 naming them', async () => {
    expectError(
      await t.http().get('/api/v1/applicationsets').query({ limit: '-1' }),
      400,
      'BadRequest',
      {
        field: 'limit',
      },
    );
    expectError(
      await t.http().get('/api/v1/applicationsets').query({ continue: '!!' }),
      400,
      'BadRequest',
      {
        field: 'continue',
      },
    );
  });

  it('changed nothing along the way', async () => {
    const body = await getAppSet(t, 'kept');
    expect(body?.metadata.generation).toBe(1);
    const list = (await t.http().get('/api/v1/applicationsets').expect(200)).body;
    expect(list.items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual([
      'kept',
    ]);
    expect(list.items[0].status.applications).toBe(1);
  });
});
