/**
 * Shared helpers of the execution e2e specs: cluster access for a kube-sim
 * cluster, Applications, and manifests.
 */
import { Application } from '../../../src/argo/application.types';
import { GitMirrorCache } from '../../../src/git';
import { ClusterAccess } from '../../../src/kube/cluster-access';
import { ClusterClientPool } from '../../../src/kube/cluster-client-pool';
import { clusterScopeResolver } from '../../../src/sync/engine/cluster-scopes';
import { DesiredState, SyncCluster, SyncPassRequest } from '../../../src/sync/engine/engine.types';
import { ManagedKinds } from '../../../src/sync/engine/managed-kinds';
import {
  DEFAULT_EXECUTION_SETTINGS,
  ExecutionSettings,
} from '../../../src/sync/engine/pass-context';
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { SourceRenderer } from '../../../src/sync/render/manifest-renderer';
import { locateRenderTools } from '../../../src/sync/render/render-tools';
import { KubeSim, SimCluster } from '../../kube-sim';
import { mirrorCache, removeAll, tempDir } from '../../git/git-test-kit';
import { TestGitRepo } from '../../support/git-repo';

/** The ClusterAccess Fleetplane would store for a kube-sim cluster (CA as PEM). */
export function accessOf(cluster: SimCluster): ClusterAccess {
  return {
    server: cluster.server,
    bearerToken: cluster.token,
    caData: cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : undefined,
    insecureSkipTLSVerify: false,
  };
}

/** The SyncCluster of a kube-sim cluster. */
export function syncClusterOf(cluster: SimCluster): SyncCluster {
  return { name: cluster.name, access: accessOf(cluster) };
}

/** An Application of a Git source, with spec overrides. */
export function application(
  name: string,
  source: Application['spec']['source'],
  spec: Partial<Application['spec']> = {},
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source,
      destination: { name: 'in-cluster', namespace: 'default' },
      ...spec,
    },
  };
}

/** The execution half wired for a spec: kube-sim, a Git repository, renderer, executor. */
export interface ExecutionHarness {
  readonly sim: KubeSim;
  readonly repo: TestGitRepo;
  readonly git: GitMirrorCache;
  readonly pool: ClusterClientPool;
  readonly renderer: SourceRenderer;
  readonly executor: KubeSyncExecutor;
  readonly managedKinds: ManagedKinds;
  /** Resolves the app's revision (after a fresh fetch) and renders it for `cluster`. */
  desired(app: Application, cluster: SimCluster): Promise<DesiredState>;
  close(): Promise<void>;
}

/** Starts a harness; `settings` overrides the executor's timing. */
export async function startHarness(
  options: {
    clusters?: number;
    readinessDelayMs?: number;
    requestTimeoutMs?: number;
    settings?: Partial<ExecutionSettings>;
  } = {},
): Promise<ExecutionHarness> {
  const dirs: string[] = [];
  const sim = await KubeSim.start({
    clusters: options.clusters ?? 1,
    readinessDelayMs: options.readinessDelayMs ?? 50,
  });
  const repo = await TestGitRepo.create();
  const git = mirrorCache(await tempDir('exec-mirrors', dirs));
  const pool = new ClusterClientPool({
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    concurrency: 8,
  });
  const tools = await locateRenderTools();
  const renderer = new SourceRenderer(git, clusterScopeResolver(pool), {
    tools,
    cacheBytes: 16 * 1024 * 1024,
    timeoutMs: 60_000,
    maxOutputBytes: 16 * 1024 * 1024,
  });
  const managedKinds = new ManagedKinds();
  const executor = new KubeSyncExecutor(
    pool,
    {
      ...DEFAULT_EXECUTION_SETTINGS,
      healthTimeoutMs: 20_000,
      waveDelayMs: 0,
      pollMinMs: 50,
      pollMaxMs: 500,
      ...options.settings,
    },
    managedKinds,
  );
  return {
    sim,
    repo,
    git,
    pool,
    renderer,
    executor,
    managedKinds,
    async desired(app, cluster) {
      git.invalidate(repo.url);
      const revision = await renderer.resolveRevision(app.spec.source!);
      return renderer.render(app, revision, syncClusterOf(cluster));
    },
    async close() {
      pool.closeAll();
      await sim.stop();
      await repo.cleanup();
      await removeAll(dirs);
    },
  };
}

/** A sync request with defaults (prune off, no dry run, never aborted). */
export function passRequest(
  app: Application,
  cluster: SimCluster,
  desired: DesiredState,
  overrides: Partial<SyncPassRequest> = {},
): SyncPassRequest {
  return {
    app,
    cluster: syncClusterOf(cluster),
    desired,
    inventory: [],
    prune: false,
    dryRun: false,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Manifests of a small web app: a Deployment, a Service and a ConfigMap. */
export function webApp(image = 'nginx:1.25'): Record<string, string> {
  return {
    'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{containerPort: 80}]
`,
    'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`,
    'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: hello
`,
  };
}

/** Files under `dir/` (for `repo.commitFiles`). */
export function under(
  dir: string,
  files: Record<string, string | null>,
): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(files).map(([name, content]) => [`${dir}/${name}`, content]),
  );
}
