/**
 * Shared set-up of the sync engine's end-to-end specs: the real control
 * plane (real Postgres, real Git over file://) and kube-sim clusters
 * registered through the REST API with their server, token and CA, an
 * ApplicationSet over them, and helpers to read Applications.
 */
import { KubeSim, SimCluster } from '../kube-sim';
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';

/** Manifests of a small web app: a Deployment, a Service and a ConfigMap. */
export function webManifests(image = 'nginx:1.25', greeting = 'hello'): Record<string, string> {
  return {
    'web/deploy.yaml': `apiVersion: apps/v1
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
`,
    'web/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`,
    'web/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: ${greeting}
`,
  };
}

export interface FleetOptions {
  readonly clusters: number;
  readonly env?: Record<string, string>;
  /** kube-sim: one port per cluster, so a cluster that is "down" refuses connections. */
  readonly perClusterListeners?: boolean;
}

export interface Fleet {
  readonly t: TestApp;
  readonly sim: KubeSim;
  readonly repo: TestGitRepo;
  /** The Application of `appSet` on `cluster` (`<appSet>-<cluster>`). */
  app(name: string): Promise<AppView>;
  /** Waits until `check` holds for the Application. */
  until(
    name: string,
    check: (app: AppView) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<AppView>;
  close(): Promise<void>;
}

/**
 * The parts of an Application response the specs read. An Application with
 * `spec.sources` shows `revisions` and `sources` where one with `spec.source`
 * shows `revision` and `source`.
 */
export interface AppView {
  readonly metadata: { name: string; uid: string };
  readonly status: {
    sync?: {
      status: string;
      revision?: string;
      revisions?: string[];
      message?: string;
      comparedTo?: { source?: unknown; sources?: unknown[] };
    };
    health?: { status: string; message?: string };
    operationState?: {
      phase: string;
      message: string;
      retryCount: number;
      operation: {
        revision: string;
        revisions?: string[];
        initiatedBy: { automated: boolean; username?: string };
      };
      startedAt?: string;
      finishedAt?: string;
      syncResult?: {
        revision?: string;
        revisions?: string[];
        resources: { kind: string; name?: string; status: string }[];
      };
    };
    history?: { id: number; revision?: string; revisions?: string[]; sources?: unknown[] }[];
    resources?: {
      kind: string;
      name: string;
      status: string;
      health?: { status: string; message?: string };
      requiresPruning?: boolean;
    }[];
    conditions?: { type: string; message: string }[];
  };
}

/** A ConfigMap in wave 1 of the `web` path: applied only once wave 0's Deployment is healthy. */
export const AFTER_ROLLOUT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: after-rollout
  annotations: {argocd.argoproj.io/sync-wave: "1"}
data: {ready: "yes"}
`;

/** Settings that make a fleet react quickly in tests (the defaults are production ones). */
export const FAST_SYNC_ENV: Record<string, string> = {
  FLEETPLANE_SYNC_WORKERS: 'true',
  FLEETPLANE_GIT_POLL_SECONDS: '1',
  FLEETPLANE_SYNC_WAVE_DELAY_SECONDS: '0',
  FLEETPLANE_SYNC_HEALTH_TIMEOUT_SECONDS: '20',
  FLEETPLANE_SYNC_REQUEST_TIMEOUT_SECONDS: '5',
  FLEETPLANE_RESYNC_SECONDS: '0',
};

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const sim = await KubeSim.start({
    clusters: options.clusters,
    readinessDelayMs: 20,
    ...(options.perClusterListeners ? { listeners: 'per-cluster' as const } : {}),
  });
  const repo = await TestGitRepo.create();
  await repo.commitFiles(webManifests(), 'web app');
  const t = await startTestApp({ env: { ...FAST_SYNC_ENV, ...options.env } });
  for (const cluster of sim.clusters) await register(t, cluster);
  const app = async (name: string): Promise<AppView> => {
    const res = await t.http().get(`/api/v1/applications/${name}`);
    if (res.status !== 200)
      throw new Error(`GET ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    t,
    sim,
    repo,
    app,
    until: (name, check, what, timeoutMs = 30_000) =>
      eventually(
        async () => {
          const view = await app(name);
          return check(view) ? view : null;
        },
        timeoutMs,
        `${name}: ${what}`,
      ),
    async close() {
      await t.close();
      await sim.stop();
      await repo.cleanup();
    },
  };
}

/** Registers a kube-sim cluster through the REST API, as an operator would. */
export async function register(
  t: TestApp,
  cluster: SimCluster,
  labels: Record<string, string> = { fleet: 'yes' },
): Promise<void> {
  await t
    .http()
    .post('/api/v1/clusters')
    .send({
      name: cluster.name,
      server: cluster.server,
      labels,
      credentials: { bearerToken: cluster.token, caData: cluster.caData },
    })
    .expect(201);
}

/** An ApplicationSet deploying `path` of `repoURL` to every cluster labelled `fleet=yes`. */
export function webAppSet(
  name: string,
  repoURL: string,
  syncPolicy: Record<string, unknown> = {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['CreateNamespace=true'],
  },
  namespace = 'shop',
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ clusters: { selector: { matchLabels: { fleet: 'yes' } } } }],
      template: {
        metadata: { name: `${name}-{{name}}` },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: 'main', path: 'web' },
          destination: { name: '{{name}}', namespace },
          syncPolicy,
        },
      },
    },
  };
}

/**
 * `webAppSet` with a second source: `settingsPath` of `settingsRepo` (branch
 * `main`), rendered after the app repository's `web` (`spec.sources`).
 */
export function twoSourceAppSet(
  name: string,
  repoURL: string,
  settingsRepo: string,
  settingsPath: string,
  syncPolicy?: Record<string, unknown>,
  namespace?: string,
) {
  const appSet = webAppSet(name, repoURL, syncPolicy, namespace);
  const { source, ...spec } = appSet.spec.template.spec;
  const sources = [
    { ...source, name: 'app' },
    { repoURL: settingsRepo, targetRevision: 'main', path: settingsPath, name: 'settings' },
  ];
  return {
    ...appSet,
    spec: { ...appSet.spec, template: { ...appSet.spec.template, spec: { ...spec, sources } } },
  };
}

/** Sets the image of the `web` Deployment behind Fleetplane's back, as `kubectl set image` would. */
export function editImage(cluster: SimCluster, image: string, namespace = 'shop'): void {
  cluster.objects.patch(deploymentIn(namespace), {
    spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
  });
}

/** True when the Application is Synced and Healthy at `revision` (any when absent). */
export function syncedHealthy(revision?: string) {
  return (app: AppView) =>
    app.status.sync?.status === 'Synced' &&
    app.status.health?.status === 'Healthy' &&
    (revision === undefined || app.status.sync?.revision === revision);
}

/** The `web` Deployment in a namespace. */
export const deploymentIn = (namespace: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace,
  name: 'web',
});
/** The `web-settings` ConfigMap in a namespace. */
export const configMapIn = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace,
  name: 'web-settings',
});
export const DEPLOYMENT = deploymentIn('shop');
export const CONFIG_MAP = configMapIn('shop');

/** The image of the `web` Deployment on a cluster. */
export function imageOn(cluster: SimCluster, namespace = 'shop'): string | undefined {
  const deployment = cluster.objects.get(deploymentIn(namespace)) as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return deployment?.spec?.template?.spec?.containers?.[0]?.image;
}
