/**
 * Load for kube-sim's benchmark, as a child process (`fork`): server-side
 * applies of a small app (a ConfigMap, a Deployment, a Service) to every
 * cluster, with a bounded number in flight over keep-alive connections. In
 * its own process the client neither competes with kube-sim's event loop nor
 * counts in kube-sim's CPU time, as a sync engine would not. Its first
 * message is the `LoadTarget`; it answers each `LoadPhase` with a
 * `LoadResult`.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What the process is told first. */
export interface LoadTarget {
  readonly clusters: readonly { readonly server: string; readonly token: string }[];
  /** The CA to trust for HTTPS servers. */
  readonly caPem?: string;
  readonly inFlight: number;
}

/** One phase: every cluster gets the app at each of these revisions, in order. */
export interface LoadPhase {
  readonly revisions: readonly number[];
}

export interface LoadResult {
  readonly applies: number;
  readonly seconds: number;
  /** Latency percentiles in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** Answers other than 200/201, at most a few. */
  readonly failures: readonly string[];
}

type Manifest = { readonly path: string; readonly body: string };

/** The app at `revision`: the revision changes the ConfigMap's data and the pod template. */
export function fleetApp(revision: number): Manifest[] {
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'fleetplane' };
  const metadata = (name: string) => ({ name, namespace: 'default', labels });
  const container = {
    name: 'web',
    image: 'nginx:1.27',
    ports: [{ containerPort: 80, name: 'http' }],
    env: [{ name: 'MODE', value: 'production' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' } },
  };
  const objects: [string, object][] = [
    [
      '/api/v1/namespaces/default/configmaps/web-config',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('web-config'),
        data: { revision: String(revision), 'app.properties': 'greeting=hello\nworkers=4\n' },
      },
    ],
    [
      '/apis/apps/v1/namespaces/default/deployments/web',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: metadata('web'),
        spec: {
          replicas: 2,
          selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
          template: {
            metadata: { labels, annotations: { 'fleetplane.io/revision': String(revision) } },
            spec: { containers: [container] },
          },
        },
      },
    ],
    [
      '/api/v1/namespaces/default/services/web',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata('web'),
        spec: {
          selector: { 'app.kubernetes.io/name': 'web' },
          ports: [{ port: 80, targetPort: 'http' }],
        },
      },
    ],
  ];
  return objects.map(([path, body]) => ({ path, body: JSON.stringify(body) }));
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function startClient(target: LoadTarget) {
  const tls = target.clusters[0]?.server.startsWith('https:') ?? false;
  const agent = tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: target.inFlight, ca: target.caPem })
    : new HttpAgent({ keepAlive: true, maxSockets: target.inFlight });
  const send = tls ? httpsRequest : httpRequest;
  const once = (cluster: LoadTarget['clusters'][number], manifest: Manifest) =>
    new Promise<number>((resolve, reject) => {
      const req = send(
        `${cluster.server}${manifest.path}?fieldManager=fleetplane&force=true`,
        {
          method: 'PATCH',
          agent,
          headers: {
            authorization: `Bearer ${cluster.token}`,
            'content-type': 'application/apply-patch+yaml',
            accept: 'application/json',
            'content-length': Buffer.byteLength(manifest.body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(manifest.body);
    });
  // A kept-alive connection the server closes as it is reused fails with a
  // reset; an apply is idempotent, so it is sent again on a fresh connection.
  const apply = (cluster: LoadTarget['clusters'][number], manifest: Manifest) =>
    once(cluster, manifest).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') throw error;
      return once(cluster, manifest);
    });

  return async function run(phase: LoadPhase): Promise<LoadResult> {
    const work = phase.revisions.flatMap((revision) => {
      const app = fleetApp(revision);
      return target.clusters.flatMap((cluster) => app.map((manifest) => ({ cluster, manifest })));
    });
    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < work.length) {
        const { cluster, manifest } = work[next++];
        const t0 = performance.now();
        const status = await apply(cluster, manifest);
        latencies.push(performance.now() - t0);
        if (status !== 200 && status !== 201 && failures.length < 5)
          failures.push(`${cluster.server}${manifest.path}: HTTP ${status}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(target.inFlight, work.length) }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      applies: work.length,
      seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failures,
    };
  };
}

if (require.main === module && process.send) {
  const reply = (message: LoadResult | { error: string }) => process.send?.(message);
  let run: ((phase: LoadPhase) => Promise<LoadResult>) | undefined;
  process.on('message', (message: LoadTarget | LoadPhase) => {
    if (!run) {
      run = startClient(message as LoadTarget);
      return;
    }
    run(message as LoadPhase).then(reply, (error: unknown) => reply({ error: String(error) }));
  });
  process.on('disconnect', () => process.exit(0));
}
