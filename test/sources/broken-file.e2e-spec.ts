/**
 * A file that fails to parse or validate is reported on the source's status
 * with its path and error; the other files still apply, and the last good
 * version of the broken ApplicationSet stays in force (its Applications are
 * neither changed nor deleted).
 */
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  getAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

interface SourceProblem {
  path: string;
  field: string;
  rule: string;
  message: string;
  line?: number;
}

describe('a broken file in a Git source', () => {
  let t: TestApp;
  let repo: TestGitRepo;

  const sourceStatus = async () =>
    (await t.http().get('/api/v1/sources/fleet').expect(200)).body.status;

  beforeAll(async () => {
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    await registerClusters(t, { 'eu-1': {} });
    repo = await TestGitRepo.create();
    await repo.commitFiles({
      'appsets/web.yaml': yamlDocs(listAppSet('web', ['frontend'], 'eu-1')),
      'appsets/jobs.yaml': yamlDocs(listAppSet('jobs', ['nightly'], 'eu-1')),
    });
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'fleet', repoURL: repo.url, revision: 'main', path: 'appsets' })
      .expect(201);
    await waitForApps(t, 'web', ['web-frontend']);
    await waitForApps(t, 'jobs', ['jobs-nightly']);
  });

  afterAll(async () => {
    await t?.close();
    await repo?.cleanup();
  });

  it('reports a schema problem with path and line, applies the other files, keeps the last good version', async () => {
    // Given web's generation before the breaking commit,
    const webBefore = await getAppSet(t, 'web');
    // when one commit breaks web.yaml (an unknown operator) and changes jobs.yaml,
    const broken = yamlDocs(listAppSet('web', ['frontend', 'backend'], 'eu-1')).replace(
      'list:',
      'lists:',
    );
    const sha = await repo.commitFiles({
      'appsets/web.yaml': broken,
      'appsets/jobs.yaml': yamlDocs(listAppSet('jobs', ['nightly', 'weekly'], 'eu-1')),
    });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);

    // then jobs.yaml applies,
    await waitForApps(t, 'jobs', ['jobs-nightly', 'jobs-weekly']);
    // the source names the broken file, the field and the line,
    const status = await eventually(async () => {
      const s = await sourceStatus();
      return s.revision === sha ? s : null;
    }, DEADLINE_MS);
    expect(status.problems).toContainEqual({
      path: 'appsets/web.yaml',
      field: 'spec.generators[0].lists',
      rule: 'unknown-field',
      line: 7,
      message: expect.stringContaining('unknown field "lists"'),
    });
    expect(status.problems.every((p: SourceProblem) => p.path === 'appsets/web.yaml')).toBe(true);
    expect(status.applicationSets).toEqual(['jobs', 'web']);
    // and web keeps its last good version and its Application.
    const webAfter = await getAppSet(t, 'web');
    expect(webAfter?.metadata.generation).toBe(webBefore?.metadata.generation);
    expect(webAfter?.source?.revision).toBe(webBefore?.source?.revision);
    await waitForApps(t, 'web', ['web-frontend']);
  });

  it('reports YAML that does not parse, and clears the problem once fixed', async () => {
    await repo.commitFiles({ 'appsets/web.yaml': 'apiVersion: [unclosed\n' });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);
    const problem: SourceProblem = await eventually(async () => {
      const s = await sourceStatus();
      return s.problems?.find(
        (p: SourceProblem) => p.path === 'appsets/web.yaml' && p.rule === 'syntax',
      );
    }, DEADLINE_MS);
    expect(problem).toMatchObject({ line: expect.any(Number), message: expect.any(String) });
    expect(await getAppSet(t, 'web')).not.toBeNull();
    await waitForApps(t, 'web', ['web-frontend']);

    // When the file is fixed (with one more Application), the problem goes and the change applies.
    await repo.commitFiles({
      'appsets/web.yaml': yamlDocs(listAppSet('web', ['frontend', 'backend'], 'eu-1')),
    });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);
    await waitForApps(t, 'web', ['web-backend', 'web-frontend']);
    await eventually(async () => (await sourceStatus()).problems === undefined, DEADLINE_MS);
  });

  it('reports a name clash between two files and applies neither version', async () => {
    await repo.commitFiles({
      'appsets/web-copy.yaml': yamlDocs(listAppSet('web', ['other'], 'eu-1')),
    });
    await t.http().post('/api/v1/sources/fleet/refresh').expect(202);
    const problems: SourceProblem[] = await eventually(async () => {
      const s = await sourceStatus();
      return s.problems?.length === 2 ? s.problems : null;
    }, DEADLINE_MS);
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['appsets/web-copy.yaml', 'unique'],
      ['appsets/web.yaml', 'unique'],
    ]);
    await waitForApps(t, 'web', ['web-backend', 'web-frontend']);
  });
});
