/**
 * Rendering an Application with `spec.sources` against real Git
 * repositories: every source at its own commit, combined (the later source
 * wins an object both produce, with a warning), `ref` sources lending Helm
 * value files as `$<ref>/...`, and errors naming the source at fault.
 */
import * as path from 'node:path';
import { ApplicationSource } from '../../../src/argo/application.types';
import { joinRevisions } from '../../../src/argo/application-sources';
import { DomainErrorCode } from '../../../src/common/domain-error';
import { GitMirrorCache } from '../../../src/git';
import { ClusterClientPool } from '../../../src/kube/cluster-client-pool';
import { clusterScopeResolver } from '../../../src/sync/engine/cluster-scopes';
import { SourceRenderer } from '../../../src/sync/render/manifest-renderer';
import { RenderTools } from '../../../src/sync/render/render-tools';
import { mirrorCache, removeAll, tempDir } from '../../git/git-test-kit';
import { KubeSim } from '../../kube-sim';
import { TestGitRepo } from '../../support/git-repo';
import { application, syncClusterOf } from './execution-kit';

const configMap = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: ${value}
`;

describe(`${SourceRenderer.name} with spec.sources`, () => {
  const dirs: string[] = [];
  let sim: KubeSim;
  let pool: ClusterClientPool;
  let git: GitMirrorCache;
  let app: TestGitRepo;
  let settings: TestGitRepo;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 0 });
    pool = new ClusterClientPool({ requestTimeoutMs: 5_000, concurrency: 4 });
    git = mirrorCache(await tempDir('multi-source-mirrors', dirs));
    app = await TestGitRepo.create();
    settings = await TestGitRepo.create();
  });
  afterAll(async () => {
    pool.closeAll();
    await sim.stop();
    await app.cleanup();
    await settings.cleanup();
    await removeAll(dirs);
  });

  const renderer = (tools: RenderTools = {}) =>
    new SourceRenderer(git, clusterScopeResolver(pool), {
      tools,
      cacheBytes: 8 * 1024 * 1024,
      timeoutMs: 60_000,
      maxOutputBytes: 16 * 1024 * 1024,
    });
  const cluster = () => syncClusterOf(sim.clusters[0]);
  /** The revision of the Application: each source's commit, fetched afresh. */
  const revisionOf = async (sut: SourceRenderer, sources: readonly ApplicationSource[]) => {
    for (const source of sources) git.invalidate(source.repoURL);
    return joinRevisions(await Promise.all(sources.map((s) => sut.resolveRevision(s))));
  };
  const names = (objects: readonly { kind: string; metadata: { name?: string } }[]) =>
    objects.map((o) => `${o.kind} ${o.metadata.name}`);

  it('renders each source at its own commit and combines the objects', async () => {
    // Given an app repository and a settings repository, each with manifests
    const first = await app.commitFiles({ 'manifests/web.yaml': configMap('web', 'v1') });
    await settings.commitFiles({ 'billing/settings.yaml': configMap('billing-settings', 'a') });
    const sources = [
      { repoURL: app.url, targetRevision: 'main', path: 'manifests' },
      { repoURL: settings.url, targetRevision: 'main', path: 'billing' },
    ];
    const spec = application('billing', undefined, { sources });
    const sut = renderer();
    // When both are rendered at their latest commits
    const revision = await revisionOf(sut, sources);
    const desired = await sut.render(spec, revision, cluster());
    // Then the objects of both sources are there, and the revision names both commits
    expect(names(desired.objects)).toEqual(['ConfigMap billing-settings', 'ConfigMap web']);
    expect(revision.split(',')).toEqual([first, await settings.head()]);
    expect(desired.warnings).toBeUndefined();

    // When only the settings repository moves
    await app.commitFiles({ 'manifests/web.yaml': configMap('web', 'v2') });
    await settings.commitFiles({ 'billing/settings.yaml': configMap('billing-settings', 'b') });
    // Then the app source can still be rendered at its first commit beside the new settings
    const mixed = joinRevisions([first, await settings.head()]);
    const rendered = await sut.render(spec, mixed, cluster());
    const value = (name: string) =>
      (rendered.objects.find((o) => o.metadata.name === name)?.data as { value: string }).value;
    expect(value('web')).toBe('v1');
    expect(value('billing-settings')).toBe('b');
    expect(rendered.hash).not.toBe(desired.hash);
  });

  it('lets the later source win an object both produce, with a RepeatedResourceWarning', async () => {
    await app.commitFiles({ 'base/shared.yaml': configMap('shared', 'from-app') });
    await settings.commitFiles({ 'override/shared.yaml': configMap('shared', 'from-settings') });
    const sources = [
      { repoURL: app.url, targetRevision: 'main', path: 'base' },
      { repoURL: settings.url, targetRevision: 'main', path: 'override' },
    ];
    const sut = renderer();
    const desired = await sut.render(
      application('override', undefined, { sources }),
      await revisionOf(sut, sources),
      cluster(),
    );
    expect(names(desired.objects)).toEqual(['ConfigMap shared']);
    expect(desired.objects[0].data).toEqual({ value: 'from-settings' });
    expect(desired.warnings).toEqual([
      "several sources produce ConfigMap default/shared; the last source's object is applied",
    ]);
  });

  it('renders nothing from a ref source without path, and renders one with a path', async () => {
    await settings.commitFiles({ 'extra/cm.yaml': configMap('extra', 'x') });
    const sources = [
      { repoURL: app.url, targetRevision: 'main', path: 'manifests' },
      { repoURL: settings.url, targetRevision: 'main', ref: 'values' },
      { repoURL: settings.url, targetRevision: 'main', ref: 'extra', path: 'extra' },
    ];
    const sut = renderer();
    const desired = await sut.render(
      application('refs', undefined, { sources }),
      await revisionOf(sut, sources),
      cluster(),
    );
    expect(names(desired.objects)).toEqual(['ConfigMap extra', 'ConfigMap web']);
  });

  it('names the source at fault, and refuses a revision without one commit per source', async () => {
    const sources = [
      { repoURL: app.url, targetRevision: 'main', path: 'manifests' },
      { repoURL: settings.url, targetRevision: 'main', path: 'no/such/dir' },
    ];
    const spec = application('broken', undefined, { sources });
    const sut = renderer();
    const revision = await revisionOf(sut, sources);
    await expect(sut.render(spec, revision, cluster())).rejects.toMatchObject({
      code: DomainErrorCode.Invalid,
      message: expect.stringMatching(/^spec\.sources\[1\]: .*no\/such\/dir.* does not exist/),
      details: [expect.objectContaining({ field: 'spec.sources[1].path', rule: 'exists' })],
    });
    await expect(sut.render(spec, revision.split(',')[0], cluster())).rejects.toMatchObject({
      code: DomainErrorCode.Invalid,
      details: [expect.objectContaining({ field: 'revision', rule: 'one-per-source' })],
    });
    const twice = application('twice', undefined, {
      sources: [
        { repoURL: app.url, targetRevision: 'main', ref: 'v' },
        { repoURL: settings.url, targetRevision: 'main', ref: 'v' },
      ],
    });
    await expect(sut.render(twice, revision, cluster())).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'spec.sources[1].ref', rule: 'unique' })],
    });
  });

  it("gives Helm the value files of a ref source, read at that source's commit", async () => {
    // Given a chart in the app repository and its values in the settings repository
    await app.commitFiles({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': 'replicas: 1\n',
    });
    const v1 = await settings.commitFiles({ 'envs/prod/values.yaml': 'replicas: 3\n' });
    await settings.commitFiles({ 'envs/prod/values.yaml': 'replicas: 5\n' });
    const sources = [
      {
        repoURL: app.url,
        targetRevision: 'main',
        path: 'charts/web',
        helm: { valueFiles: ['values.yaml', '$values/envs/prod/values.yaml'] },
      },
      { repoURL: settings.url, targetRevision: 'main', ref: 'values' },
    ];
    const spec = application('chart', undefined, { sources });
    // A stand-in for helm (none on this machine) that prints each value file it was given.
    const sut = renderer({
      helm: {
        command: process.execPath,
        prefixArgs: [path.join(__dirname, '../../support/helm-stand-in.mjs')],
      },
    });
    const revision = await revisionOf(sut, sources);
    const texts = async (at: string) =>
      (await sut.render(spec, at, cluster())).objects.map((o) => o.data);
    // Then the chart's own values come first, then the ref source's, at the commit given
    expect(await texts(revision)).toEqual([
      { file: 'values.yaml', text: 'replicas: 1\n' },
      { file: 'values.yaml', text: 'replicas: 5\n' },
    ]);
    expect(await texts(joinRevisions([revision.split(',')[0], v1]))).toEqual([
      { file: 'values.yaml', text: 'replicas: 1\n' },
      { file: 'values.yaml', text: 'replicas: 3\n' },
    ]);
    // And a value file naming a ref no source has is refused, naming the source and file
    const unknown = application('chart-unknown-ref', undefined, {
      sources: [
        { ...sources[0], helm: { valueFiles: ['$vals/envs/prod/values.yaml'] } },
        sources[1],
      ],
    });
    await expect(sut.render(unknown, revision, cluster())).rejects.toMatchObject({
      code: DomainErrorCode.Invalid,
      details: [
        expect.objectContaining({ field: 'spec.sources[0].helm.valueFiles[0]', rule: 'ref' }),
      ],
    });
  });
});
