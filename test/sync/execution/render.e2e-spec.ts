/**
 * The renderer against real Git repositories (and kube-sim for the scope of
 * a custom kind): directory and Kustomize sources, Kustomize options, the
 * clear errors for Helm without a binary and for a missing Kustomize,
 * malformed manifests named by file and document, and the render cache.
 */
import { Application } from '../../../src/argo/application.types';
import { DomainError, DomainErrorCode } from '../../../src/common/domain-error';
import { GitMirrorCache } from '../../../src/git';
import { ClusterClientPool } from '../../../src/kube/cluster-client-pool';
import { clusterScopeResolver } from '../../../src/sync/engine/cluster-scopes';
import { TRACKING_ANNOTATION } from '../../../src/sync/manifests/tracking';
import { SourceRenderer } from '../../../src/sync/render/manifest-renderer';
import { RenderGit } from '../../../src/sync/render/render.types';
import { RenderTools, locateRenderTools } from '../../../src/sync/render/render-tools';
import { KubeSim } from '../../kube-sim';
import { mirrorCache, removeAll, tempDir } from '../../git/git-test-kit';
import { TestGitRepo } from '../../support/git-repo';
import { application, syncClusterOf } from './execution-kit';

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: main
          image: ${image}
`;

const configMap = (name: string, namespace?: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}${namespace ? `\n  namespace: ${namespace}` : ''}
data:
  key: value
`;

describe(SourceRenderer.name, () => {
  const dirs: string[] = [];
  let sim: KubeSim;
  let pool: ClusterClientPool;
  let git: GitMirrorCache;
  let repo: TestGitRepo;
  let tools: RenderTools;
  let exports: number;
  let countingGit: RenderGit;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 0 });
    pool = new ClusterClientPool({ requestTimeoutMs: 5_000, concurrency: 4 });
    git = mirrorCache(await tempDir('render-mirrors', dirs));
    repo = await TestGitRepo.create();
    tools = await locateRenderTools();
    exports = 0;
    countingGit = {
      resolveRevision: (url, rev) => git.resolveRevision(url, rev),
      invalidate: (url) => git.invalidate(url),
      listTree: (url, sha) => git.listTree(url, sha),
      readFiles: (url, sha, paths) => git.readFiles(url, sha, paths),
      exportTree: (url, sha, sub, dest) => {
        exports++;
        return git.exportTree(url, sha, sub, dest);
      },
    };
  });
  afterAll(async () => {
    pool.closeAll();
    await sim.stop();
    await repo.cleanup();
    await removeAll(dirs);
  });

  const renderer = (withTools: RenderTools = { kustomize: tools.kustomize }) =>
    new SourceRenderer(countingGit, clusterScopeResolver(pool), {
      tools: withTools,
      cacheBytes: 8 * 1024 * 1024,
      timeoutMs: 60_000,
      maxOutputBytes: 16 * 1024 * 1024,
    });
  const cluster = () => syncClusterOf(sim.clusters[0]);
  // The mirror fetches at most once per interval; a test that just committed asks for a fetch.
  const latest = (sut: SourceRenderer, app: Application) => {
    git.invalidate(repo.url);
    return sut.resolveRevision(app.spec.source!);
  };

  it('finds a Kustomize renderer on this machine', () => {
    expect(tools.kustomize?.command).toMatch(/kustomize|kubectl/);
  });

  it('renders a directory source with recurse, include and exclude, normalised for the app', async () => {
    // Given a directory with nested manifests and an unrelated YAML file
    await repo.commitFiles({
      'apps/web/deploy.yaml': deployment('web', 'nginx:1.25'),
      'apps/web/nested/cm.yaml': configMap('settings'),
      'apps/web/nested/skip.yaml': configMap('skipped'),
      'apps/web/ci.yml': 'stages: [build]\n',
      'apps/web/other/cm.yml': configMap('elsewhere', 'kube-public'),
    });
    const app = application(
      'web',
      {
        repoURL: repo.url,
        targetRevision: 'main',
        path: 'apps/web',
        directory: { recurse: true, exclude: '{nested/skip.yaml}' },
      },
      { destination: { name: 'sim-0', namespace: 'prod' } },
    );
    const sut = renderer();
    // When the revision is resolved and the source rendered
    const sha = await latest(sut, app);
    const desired = await sut.render(app, sha, cluster());
    // Then every manifest but the excluded one is there, in ref order, tracked and namespaced
    expect(desired.revision).toBe(sha);
    expect(
      desired.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual([
      'ConfigMap kube-public/elsewhere',
      'ConfigMap prod/settings',
      'Deployment prod/web',
    ]);
    expect(desired.objects[2].metadata.annotations).toEqual({
      [TRACKING_ANNOTATION]: 'web:apps/Deployment:prod/web',
    });
    // And rendering again gives the same hash; another destination gives another one
    expect((await sut.render(app, sha, cluster())).hash).toBe(desired.hash);
    const moved = {
      ...app,
      spec: { ...app.spec, destination: { name: 'sim-0', namespace: 'qa' } },
    };
    expect((await sut.render(moved, sha, cluster())).hash).not.toBe(desired.hash);
  });

  it('renders a Kustomize overlay with the Application kustomize options applied', async () => {
    // Given a base and an overlay that reaches it through ../
    await repo.commitFiles({
      'kustomize/base/kustomization.yaml':
        'resources: [deploy.yaml, cm.yaml]\ncommonLabels: {tier: web}\n',
      'kustomize/base/deploy.yaml': deployment('api', 'nginx:1.25'),
      'kustomize/base/cm.yaml': configMap('api-settings'),
      'kustomize/overlay/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
    });
    const app = application(
      'api',
      {
        repoURL: repo.url,
        targetRevision: 'main',
        path: 'kustomize/overlay',
        kustomize: {
          nameSuffix: '-v2',
          images: ['nginx=registry.local/nginx:1.27'],
          commonAnnotations: { owner: 'platform' },
          commonLabels: { team: 'a' },
        },
      },
      { destination: { name: 'sim-0', namespace: 'apps' } },
    );
    const sut = renderer();
    const sha = await latest(sut, app);
    exports = 0;
    // When it is rendered twice
    const desired = await sut.render(app, sha, cluster());
    await sut.render(app, sha, cluster());
    // Then kustomize ran once (the second render came from the cache)
    expect(exports).toBe(1);
    const deploy = desired.objects.find((o) => o.kind === 'Deployment')!;
    expect(deploy.metadata).toMatchObject({
      name: 'prod-api-v2',
      namespace: 'apps',
      labels: { tier: 'web', team: 'a' },
      annotations: {
        owner: 'platform',
        [TRACKING_ANNOTATION]: 'api:apps/Deployment:apps/prod-api-v2',
      },
    });
    expect(
      (deploy.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0].image,
    ).toBe('registry.local/nginx:1.27');
  });

  it('refuses a kustomize option Fleetplane cannot honour, naming it', async () => {
    const app = application('api', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'kustomize/overlay',
      kustomize: { version: 'v4.5.7', labels: { tier: 'other' } },
    });
    const sut = renderer();
    const error = await sut.render(app, await latest(sut, app), cluster()).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.details.map((d: { field: string }) => d.field)).toEqual([
      'spec.source.kustomize.version',
      'spec.source.kustomize.labels',
    ]);
  });

  it('says clearly that a Helm source needs helm, and a Kustomize source kustomize or kubectl', async () => {
    await repo.commitFiles({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/templates/cm.yaml': configMap('from-chart'),
    });
    const helmApp = application('chart', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'charts/web',
    });
    const sut = renderer({ kustomize: tools.kustomize });
    const sha = await latest(sut, helmApp);
    await expect(sut.render(helmApp, sha, cluster())).rejects.toMatchObject({
      code: DomainErrorCode.Configuration,
      message: expect.stringMatching(
        /charts\/web is a Helm source, but no helm binary is installed/,
      ),
    });
    const kustomizeApp = application('api', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'kustomize/overlay',
    });
    await expect(renderer({}).render(kustomizeApp, sha, cluster())).rejects.toMatchObject({
      code: DomainErrorCode.Configuration,
      message: expect.stringMatching(/neither kustomize nor kubectl is installed/),
    });
  });

  it('names the file and document of a malformed manifest without quoting it', async () => {
    await repo.commitFiles({
      'broken/good.yaml': configMap('fine'),
      'broken/secret.yaml': `${configMap('first')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n  : [oops\n`,
    });
    const app = application('broken', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'broken',
    });
    const sut = renderer();
    const error = await sut.render(app, await latest(sut, app), cluster()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as Error).message).toMatch(/secret\.yaml, document 2, line \d+/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('reports a kustomize failure with its diagnostic, not the temporary path', async () => {
    await repo.commitFiles({
      'kustomize/bad/kustomization.yaml': 'resources: [missing.yaml]\n',
    });
    const app = application('bad', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'kustomize/bad',
    });
    const sut = renderer();
    const error = await sut.render(app, await latest(sut, app), cluster()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: DomainErrorCode.Invalid });
    expect((error as Error).message).toMatch(/Kustomize build of kustomize\/bad failed/);
    expect((error as Error).message).not.toMatch(/fleetplane-render-/);
  });

  it('asks the cluster whether a custom kind is namespaced', async () => {
    // Given a cluster-scoped CRD installed on the cluster, and a manifest of its kind without a namespace
    const c = await pool.client(cluster().name, cluster().access);
    await c.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'tenants.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'tenants', singular: 'tenant', kind: 'Tenant', listKind: 'TenantList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        ],
      },
    });
    await repo.commitFiles({
      'tenants/t.yaml': 'apiVersion: example.com/v1\nkind: Tenant\nmetadata:\n  name: blue\n',
    });
    const app = application('tenants', {
      repoURL: repo.url,
      targetRevision: 'main',
      path: 'tenants',
    });
    const sut = renderer();
    // When it is rendered for that cluster
    const desired = await sut.render(app, await latest(sut, app), cluster());
    // Then it stays cluster-scoped
    expect(desired.objects[0].metadata.namespace).toBeUndefined();
  });
});
